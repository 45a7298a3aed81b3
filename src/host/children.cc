#include "host/children.h"

#include <fcntl.h>
#include <linux/openat2.h>

#include <unistd.h>

#include <cerrno>
#include <map>

#include "base/strings.h"
#include "sys/dir.h"
#include "sys/file.h"
#include "sys/proc.h"

namespace ljail::host {

namespace {

constexpr size_t kMaxStateFile = 1 << 20;

bool plain_path(const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  for (const auto& part : split(path, '/')) {
    if (part == "..") return false;
  }
  return true;
}

// The NSpid line of /proc/PID/status: the pid in each PID namespace, outermost first.
std::vector<pid_t> ns_pids(pid_t pid) {
  std::vector<pid_t> out;
  auto text = sys::read_file("/proc/" + std::to_string(pid) + "/status");
  if (!text) return out;
  for (const auto& line : split(*text, '\n')) {
    if (line.rfind("NSpid:", 0) != 0) continue;
    for (const auto& f : split(line.substr(6), '\t')) {
      if (auto v = parse_int(trim(f))) out.push_back(static_cast<pid_t>(*v));
    }
  }
  return out;
}

// Host pids of every process that is PID 1 of a PID namespace below the host's, with its
// NSpid list: the candidates for the inits of jails inside jails.
std::map<pid_t, std::vector<pid_t>> namespace_inits() {
  std::map<pid_t, std::vector<pid_t>> out;
  for (pid_t pid : sys::process_ids()) {
    auto ids = ns_pids(pid);
    if (ids.size() >= 3 && ids.back() == 1) out.emplace(pid, ids);
  }
  return out;
}

// The host pid of the init recorded as `pid_in_parent` by the jail whose init is `parent_pid`.
pid_t host_pid_of(pid_t parent_pid, const JailState& child,
                  const std::map<pid_t, std::vector<pid_t>>& inits) {
  auto parent_ids = ns_pids(parent_pid);
  if (parent_ids.empty()) return 0;
  auto parent_ns = sys::stat("/proc/" + std::to_string(parent_pid) + "/ns/pid");
  if (!parent_ns) return 0;
  size_t level = parent_ids.size() - 1;  // the parent's PID namespace, counted from the host
  for (const auto& [host_pid, ids] : inits) {
    if (ids.size() != level + 2 || ids[level] != child.init_pid) continue;
    auto up = sys::parent_pidns_inode(host_pid);
    if (!up || *up != parent_ns->st_ino) continue;
    auto start = sys::process_start_time(host_pid);
    if (start && *start == child.init_start) return host_pid;
  }
  return 0;
}

std::vector<JailState> read_registry(pid_t init_pid, const JailState& parent) {
  std::vector<JailState> out;
  auto root = sys::open("/proc/" + std::to_string(init_pid) + "/root", O_PATH | O_DIRECTORY);
  if (!root) return out;
  // The descriptor names the jail's root only if the pid still is the jail's init.
  auto start = sys::process_start_time(init_pid);
  if (!start || *start != parent.init_start) return out;
  std::string rundir = LJAIL_DEFAULT_RUNDIR;
  auto dir = sys::open_in_root(root->get(), rundir.substr(1), O_RDONLY | O_DIRECTORY);
  if (!dir) return out;
  auto names = sys::list_dir(dir->get());
  if (!names) return out;
  for (const auto& n : *names) {
    if (!is_state_name(n)) continue;
    // O_NONBLOCK: the jail may have put a FIFO there, whose open would wait for a writer.
    auto f = sys::openat2(dir->get(), n, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
                          RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV);
    if (!f) continue;
    auto st = sys::fstat(f->get());
    if (!st || !S_ISREG(st->st_mode) || static_cast<size_t>(st->st_size) > kMaxStateFile) continue;
    // At most kMaxStateFile bytes, however the file grows meanwhile.
    std::string text(kMaxStateFile + 1, '\0');
    ssize_t got = ::pread(f->get(), text.data(), text.size(), 0);
    if (got <= 0 || static_cast<size_t>(got) > kMaxStateFile) continue;
    text.resize(static_cast<size_t>(got));
    auto s = from_json(text);
    if (!s || s->status != JailState::Status::Active) continue;
    // What the jail wrote is shown on the host: names by the jail name rules (no control
    // characters), an absolute path without control characters or "..".
    if (!params::validate_name(s->name) || !plain_path(s->path)) continue;
    out.push_back(std::move(*s));
  }
  return out;
}

void collect(const JailState& parent, pid_t parent_host_pid, const std::string& prefix,
             const std::map<pid_t, std::vector<pid_t>>& inits, std::vector<ChildJail>& out) {
  if (parent.params.get_int("children.max") <= 0) return;
  for (auto& s : read_registry(parent_host_pid, parent)) {
    pid_t host_pid = host_pid_of(parent_host_pid, s, inits);
    if (host_pid == 0) continue;  // gone, or never the jail's
    ChildJail c;
    c.full_name = prefix + "." + s.name;
    c.parent_jid = parent.jid;
    c.host_init_pid = host_pid;
    c.state = std::move(s);
    out.push_back(std::move(c));
    // out may grow while we recurse: copy what the recursion needs.
    JailState child = out.back().state;
    std::string name = out.back().full_name;
    collect(child, host_pid, name, inits, out);
  }
}

}  // namespace

std::vector<ChildJail> child_jails(const JailState& parent) {
  std::vector<ChildJail> out;
  if (parent.params.get_int("children.max") <= 0 || parent.init_pid <= 0) return out;
  auto inits = namespace_inits();
  collect(parent, parent.init_pid, parent.name, inits, out);
  return out;
}

}  // namespace ljail::host
