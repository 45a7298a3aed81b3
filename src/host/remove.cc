// destroy_jail(), remove_jail() and the registry readers that clean up dead jails.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "base/signals.h"
#include "base/strings.h"
#include "host/cgroup.h"
#include "host/lifecycle.h"
#include "host/net.h"
#include "sys/dir.h"
#include "sys/file.h"
#include "sys/proc.h"

namespace ljail::host {

namespace {

using Clock = std::chrono::steady_clock;

// The init's pidfd, or none when the recorded init is gone.
UniqueFd open_init(const JailState& s) {
  auto fd = init_pidfd(s);
  return fd ? std::move(*fd) : UniqueFd();
}

// Without cgroups (a jail made inside a jail): the processes of the init's PID namespace, by
// their namespace link.
std::vector<pid_t> namespace_pids(const JailState& s) {
  std::vector<pid_t> out;
  UniqueFd init = open_init(s);
  if (!init.valid()) return out;
  auto want = sys::read_link_at(AT_FDCWD, "/proc/" + std::to_string(s.init_pid) + "/ns/pid");
  // Still the init once its namespace is read: a reused pid would name the host's.
  if (!want || !is_init(s, init.get())) return out;
  for (pid_t pid : sys::process_ids()) {
    auto ns = sys::read_link_at(AT_FDCWD, "/proc/" + std::to_string(pid) + "/ns/pid");
    if (ns && *ns == *want) out.push_back(pid);
  }
  return out;
}

std::vector<pid_t> jail_processes(const JailState& s) {
  auto pids = s.cgroups.empty() ? namespace_pids(s) : cgroup_pids(s.cgroups);
  pids.erase(std::remove(pids.begin(), pids.end(), s.init_pid), pids.end());
  return pids;
}

// exec.init: the distribution's init shuts the jail down on its signal (sysvinit: SIGPWR, with
// mkjail's inittab; systemd: SIGRTMIN+3); up to `stop_timeout` seconds for it to finish.
void shut_down_init(const JailState& s, int init, int stop_timeout) {
  std::string name = s.params.get_string("stop.signal");
  auto sig = parse_signal(name.empty() ? "SIGPWR" : name);
  if (!sig || init < 0 || stop_timeout <= 0) return;
  if (sys::pidfd_send_signal(init, *sig)) sys::wait_exit(init, stop_timeout * 1000);
}

// The same create: its creator (a pid and its start time) and its name, not the jid, which may
// be taken again (jid=, or the counter wrapping).
bool same_jail(const JailState& a, const JailState& b) {
  return a.owner_pid == b.owner_pid && a.owner_start == b.owner_start && a.name == b.name;
}

}  // namespace

Result<UniqueFd> init_pidfd(const JailState& s) {
  auto gone = [&] { return Error::not_found("\"" + s.name + "\" not found"); };
  if (s.init_pid <= 0) return gone();
  auto fd = sys::pidfd_open(s.init_pid);
  // The pid may have been reused since the registry was read.
  if (!fd || !is_init(s, fd->get())) return gone();
  return std::move(*fd);
}

namespace {

// destroy_jail() with the init's pidfd (none: the init is gone) opened by the caller.
Ok destroy_with(const Registry& reg, const JailState& s, int netns_fd, const UniqueFd& init) {
  // Host interfaces would be destroyed with the jail's network namespace: bring them back.
  if (!s.vnet_ifaces.empty()) {
    if (netns_fd >= 0) {
      return_vnet_interfaces(s, netns_fd);
    } else if (init.valid()) {
      if (auto netns = sys::namespace_of(init.get(), s.init_pid, "net")) {
        return_vnet_interfaces(s, netns->get());
      }
    }
  }
  // SIGKILL to PID 1 of the jail's PID namespace: the kernel kills everything in it.
  if (init.valid()) (void)sys::pidfd_send_signal(init.get(), SIGKILL);
  // The rest under the lock, and only while the registry still records this jail: once another
  // process has cleaned it up, a new jail may have its name, and with it its cgroups, already.
  // Read while the kernel tears the jail's namespaces down.
  auto held = LJ_TRY(reg.lock());
  auto now = reg.load(s.jid);
  if (init.valid()) sys::wait_exit(init.get(), 10000);
  // Reaps the init when this process made it (a failed or abandoned create, or one that
  // ended after its command).
  if (s.init_pid > 0) (void)sys::waitpid(s.init_pid, WNOHANG);
  if (!now || !same_jail(*now, s)) return {};
  kill_cgroups(now->cgroups);
  teardown_network(reg, *now);
  Ok removed = remove_cgroups(now->cgroups);
  LJ_TRY(reg.remove(now->jid));
  return removed;
}

}  // namespace

Ok destroy_jail(const Registry& reg, const JailState& s, int netns_fd) {
  return destroy_with(reg, s, netns_fd, open_init(s));
}

Ok remove_jail(const Registry& reg, const JailState& s, int stop_timeout) {
  // One pidfd of the init for the whole removal.
  UniqueFd init = open_init(s);
  if (!s.params.get_string("exec.init").empty()) shut_down_init(s, init.get(), stop_timeout);
  if (init.valid() && stop_timeout > 0) {
    auto others = jail_processes(s);
    for (pid_t pid : others) {
      if (auto fd = sys::pidfd_open(pid)) (void)sys::pidfd_send_signal(fd->get(), SIGTERM);
    }
    auto deadline = Clock::now() + std::chrono::seconds(stop_timeout);
    auto pause = std::chrono::microseconds(500);
    while (!others.empty() && Clock::now() < deadline) {
      std::this_thread::sleep_for(pause);
      pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(20));
      others = jail_processes(s);
    }
  }
  return destroy_with(reg, s, -1, init);
}

// What a reader without the lock read may be stale: a create that has finished since, its
// jail(8) gone, looks abandoned, and destroying it would kill a jail just made and let a
// second create of its name through. Under the lock no create or removal moves on.
std::optional<JailState> settle_dead(const Registry& reg, const JailState& read) {
  auto held = reg.lock();
  if (!held) return std::nullopt;
  auto now = reg.load(read.jid);
  if (now && is_alive(*now)) return now;
  if (now) (void)destroy_jail(reg, *now);
  return std::nullopt;
}

std::vector<JailState> running_jails(const Registry& reg, bool include_creating) {
  std::vector<JailState> out;
  for (auto& read : reg.load_all()) {
    auto s = is_alive(read) ? std::optional<JailState>(std::move(read)) : settle_dead(reg, read);
    if (s && (s->status == JailState::Status::Active || include_creating)) {
      out.push_back(std::move(*s));
    }
  }
  return out;
}

Result<JailState> find_running(const Registry& reg, std::string_view key) {
  // One state file through the registry's index, not all of them.
  auto s = reg.find(key);
  if (s && !is_alive(*s)) {
    s = settle_dead(reg, *s);
    // The jid may have gone to another jail since the first read.
    if (s && s->name != key && std::to_string(s->jid) != key) s.reset();
  }
  if (s && s->status == JailState::Status::Active) return std::move(*s);
  return Error::not_found("\"" + std::string(key) + "\" not found");
}

}  // namespace ljail::host
