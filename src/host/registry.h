// The registry of running jails (design.md 2): a directory, /run/ljail (or $LJAIL_RUNDIR),
// mode 0700, that only host root can read or write. Its files:
//
//   <jid>.json    The state of jail <jid>: a JailState as one JSON object (to_json), written
//                 whole by rename(2). The only record of a jail; the others are an index and
//                 a cache that can always be rebuilt from it.
//   name.<NAME>   A symlink to "<jid>.json": the index by name. NAME is the jail's name with
//                 '%', '/' and every byte outside printable ASCII as %XX (none for a name
//                 that would not fit in 255 bytes, nor for a numeric name: that is the jid). Made
//                 right after the first state file of a jail and removed right before its last,
//                 both under the lock.
//   policy.<hash> A compiled privilege policy, shared by the jails with the same policy
//                 parameters (host/policy_cache.h), a cache, written under the lock.
//   lock          flock(2)ed by every writer (and by jail -c around its name and jid checks).
//   next_jid      FreeBSD's increasing jid counter, read and rewritten in place under the lock.
//
// The directory exists only while a jail does: the first writer makes it, and the writer that
// lets go of the lock with no state file left (the last jail removed, a create that failed
// before its state file) removes every file, the lock last, and the directory (tidy()). So
// the jid counter starts again at 1 once no jail runs (but within one jail(8), which keeps it:
// a restart's jail gets a jid above the old one's), and a reader finds no directory where
// there is no jail.
//
// Readers take no lock: every other file is replaced by rename(2), so a reader sees a whole old
// or new file. A lookup by jid reads one state file, a lookup by name one symlink and one state
// file; a name whose link is missing or names another jail (a create or removal cut short by
// a crash, or a state file of an older ljail) is looked for in every state file. A jail whose
// init died is still in the registry until a reader sees it (lifecycle.h: running_jails,
// find_running) and removes it, under the lock and only if it is still dead read again there.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "params/params.h"

namespace ljail::host {

struct JailState {
  enum class Status { Creating, Active };

  int jid = 0;
  std::string name;
  std::string path;
  Status status = Status::Creating;
  // Creating: the jail(8) making it; its death means the create was abandoned.
  pid_t owner_pid = 0;
  uint64_t owner_start = 0;
  // The jail init (host pid) and its start time: together they name it across pid reuse.
  pid_t init_pid = 0;
  uint64_t init_start = 0;
  // The init's pidfs inode number: unique for the boot and never reused (Linux >= 6.9), so a
  // pidfd of init_pid with this inode is the init, without reading /proc/PID/stat. Recorded
  // by save() once the jail is active; 0 when unknown (older kernels, older state files).
  uint64_t init_ino = 0;
  bool userns = true;
  uint32_t uid_base = 0;
  uint32_t uid_size = 0;
  // Every cgroup directory made for the jail, recorded before it is made.
  std::vector<std::string> cgroups;
  // Network records (host/net.h), each saved before the change it names.
  std::string veth;                      // host end of the veth pair
  std::vector<std::string> proxies;      // "iface|address" proxy ARP/NDP entries
  std::vector<std::string> sysctls;      // "name=value before ljail changed it"
  std::vector<std::string> vnet_ifaces;  // host interfaces moved into the jail
  std::vector<std::string> nat;          // "table|address" ip4.nat set elements (host/nat.h)
  params::ParamSet params;
};

std::string to_json(const JailState& s);
Result<JailState> from_json(std::string_view text);

class Registry {
 public:
  // Opens the registry directory (mode 0700), if there is one: lock() makes it.
  static Result<Registry> open();

  const std::string& dir() const { return dir_; }
  // "" for the default registry; else a short tag of its directory, so that the host-wide
  // names of jails of different registries (interfaces) never collide.
  std::string tag() const;
  // Holds the registry's exclusive lock while it lives.
  class Lock {
   public:
    explicit Lock(const Registry* r) : r_(r) {}
    Lock(Lock&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;
    Lock& operator=(Lock&&) = delete;
    ~Lock() {
      if (r_) r_->unlock();
    }

   private:
    const Registry* r_;
  };
  // The registry's exclusive lock (flock on its lock file, the directory made if missing);
  // nested calls share it. Without `wait`, a lock held by another process is an error
  // (EWOULDBLOCK) at once. Letting go of it with no state file left removes the registry.
  Result<Lock> lock(bool wait = true) const;
  // Every readable state file; unreadable ones are skipped.
  std::vector<JailState> load_all() const;
  // The state file of the jail with jid `key` (all digits) or name `key`, dead or alive.
  std::optional<JailState> find(std::string_view key) const;
  // The state file of jail `jid`, read again (e.g. to see whether it is still there).
  std::optional<JailState> load(int jid) const;
  // Writes and removals take the lock, so a reader holding it (the name and jid checks of a
  // create) never sees the directory change under it. save() also makes the name link;
  // remove() deletes the state file, its name link and its policy cache.
  Ok save(const JailState& s) const;
  Ok remove(int jid) const;
  // The directory, open (for the *at() calls of the policy cache); -1 when there is none.
  int dir_fd() const;
  // Writes the cache file `name` (a policy.<hash>: host/policy_cache.h) under the lock, if it
  // is free at once.
  void store_cache(const std::string& name, std::string_view text) const;
  // The next free jid after the counter (FreeBSD: increasing, wrapping at 999999; see above
  // for an empty registry).
  Result<int> allocate_jid(const std::vector<JailState>& running) const;

 private:
  Registry(std::string dir, UniqueFd fd) : dir_(std::move(dir)), dir_fd_(std::move(fd)) {}
  std::optional<JailState> load_file(const std::string& name) const;
  void drop_link(const std::string& name, const std::string& target) const;

  void unlock() const;
  // Under the lock: with no state file, removes every file and the directory.
  void tidy() const;

  std::string dir_;
  mutable UniqueFd dir_fd_;
  mutable UniqueFd lock_fd_;
  mutable int lock_depth_ = 0;
  // Set when the lock is taken and by remove(), cleared by save(): unlock() tidies then.
  mutable bool may_be_empty_ = false;
  // The jid counter as this process last saw it, kept when tidy() removes its file.
  mutable int counter_ = 0;
};

// A state file's name: the jid, then ".json" (nothing else in a registry is one).
bool is_state_name(std::string_view name);

// True while the jail's init (or, while creating, the creating jail(8)) is the same process
// that was recorded.
bool is_alive(const JailState& s);
// The pidfs inode number of the process of `pidfd` (an identity that survives PID reuse); 0
// where pidfds are anonymous inodes (before Linux 6.9).
uint64_t pidfs_ino(int pidfd);
// True when `pidfd`, opened for s.init_pid, is the recorded init and it has not exited.
bool is_init(const JailState& s, int pidfd);

}  // namespace ljail::host
