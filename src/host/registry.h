// The registry of running jails (design.md 2): one state file per jail under /run/ljail (or
// $LJAIL_RUNDIR), written atomically; a lock file serialising jid, name and id-range
// allocation; `next_jid` holding FreeBSD's increasing jid counter.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
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
Result<JailState> from_json(const std::string& text);

class Registry {
 public:
  // Opens (and creates, mode 0700) the registry directory.
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
  // The registry's exclusive lock (flock on its lock file); nested calls share it.
  Result<Lock> lock() const;
  // Every readable state file; unreadable ones are skipped.
  std::vector<JailState> load_all() const;
  // Writes and removals take the lock, so a reader holding it (the name and jid checks of a
  // create) never sees the directory change under it.
  Ok save(const JailState& s) const;
  Ok remove(int jid) const;
  // The next free jid after the counter (FreeBSD: increasing, wrapping at 999999).
  Result<int> allocate_jid(const std::vector<JailState>& running) const;

 private:
  explicit Registry(std::string dir) : dir_(std::move(dir)) {}
  std::string file(int jid) const { return dir_ + "/" + std::to_string(jid) + ".json"; }

  void unlock() const;

  std::string dir_;
  mutable UniqueFd lock_fd_;
  mutable int lock_depth_ = 0;
};

// True while the jail's init (or, while creating, the creating jail(8)) is the same process
// that was recorded.
bool is_alive(const JailState& s);

}  // namespace ljail::host
