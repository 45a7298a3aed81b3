#include "host/cgroup.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "base/strings.h"
#include "sys/file.h"

namespace ljail::host {

namespace {

long fs_type(const std::string& path) {
  struct statfs st;
  if (::statfs(path.c_str(), &st) < 0) return 0;
  return static_cast<long>(st.f_type);
}

// cgroup v2 directories are recognised by a file only v2 has.
bool has_v2_marker(const std::string& path) {
  return ::access((path + "/cgroup.controllers").c_str(), F_OK) == 0;
}

void enable_controllers(const std::string& dir) {
  auto offered = sys::read_file(dir + "/cgroup.controllers");
  if (!offered) return;
  std::string want;
  for (const auto& c : split(trim(*offered), ' ')) {
    if (c == "memory" || c == "pids" || c == "cpu" || c == "io") want += "+" + c + " ";
  }
  if (!want.empty()) (void)sys::write_file(dir + "/cgroup.subtree_control", want);
}

bool is_v1_devices_path(const std::string& path) {
  return path.find("/devices/ljail/") != std::string::npos;
}

// The v1 device controller: nothing but the devices a jail's /dev holds (design.md 2).
Ok restrict_v1_devices(const std::string& dir, const std::vector<DeviceRule>& devices) {
  LJ_TRY_CTX(sys::write_file(dir + "/devices.deny", "a"), "restricting devices");
  for (const auto& rule : devices) {
    LJ_TRY_CTX(sys::write_file(dir + "/devices.allow", v1_rule(rule)), "allowing device");
  }
  return {};
}

// Pure v2 (no v1 devices hierarchy): the same list as a device program on the v2 directory.
Ok restrict_v2_devices(const std::vector<std::string>& paths,
                       const std::vector<DeviceRule>& devices) {
  for (const auto& p : paths) {
    if (is_v1_devices_path(p)) return {};
  }
  for (const auto& p : paths) {
    if (!is_v2_path(p)) continue;
    // The default list: the program the parent holds for every jail (devices.h). Any other
    // list, or a parent that cannot take it, a program of the jail's own; it overrides the
    // parent's.
    std::string parent = p.substr(0, p.rfind('/'));
    if (devices == jail_devices(false)) {
      // Not O_PATH: bpf(2) takes only a descriptor opened for reading.
      if (auto dir = sys::open(parent, O_RDONLY | O_DIRECTORY)) {
        if (share_device_program(dir->get(), devices)) continue;
      }
    }
    auto dir = LJ_TRY(sys::open(p, O_RDONLY | O_DIRECTORY));
    LJ_TRY_CTX(attach_device_program(dir.get(), devices), "restricting devices of " + p);
  }
  return {};
}

}  // namespace

bool is_v2_path(const std::string& path) {
  auto slash = path.rfind("/ljail/");
  return slash != std::string::npos && has_v2_marker(path.substr(0, slash));
}

CgroupLayout detect_cgroups(const std::string& base) {
  CgroupLayout out;
  if (fs_type(base) == CGROUP2_SUPER_MAGIC) {
    out.v2_root = base;
    return out;
  }
  if (fs_type(base + "/unified") == CGROUP2_SUPER_MAGIC) out.v2_root = base + "/unified";
  for (const char* c : {"memory", "pids", "cpu", "devices"}) {
    std::string dir = base + "/" + c;
    if (fs_type(dir) == CGROUP_SUPER_MAGIC) out.v1_roots.push_back(dir);
  }
  return out;
}

std::vector<std::string> jail_cgroup_paths(const CgroupLayout& layout, const std::string& name,
                                           bool limits) {
  std::vector<std::string> out;
  if (!layout.v2_root.empty()) out.push_back(layout.v2_root + "/ljail/" + name);
  if (layout.v2_root.empty() || limits) {
    for (const auto& root : layout.v1_roots) out.push_back(root + "/ljail/" + name);
  }
  return out;
}

Ok create_cgroups(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    std::string parent = p.substr(0, p.rfind('/'));
    std::string root = parent.substr(0, parent.rfind('/'));
    bool v2 = has_v2_marker(root);
    if (v2) enable_controllers(root);
    LJ_TRY_CTX(sys::mkdir(parent, 0755), "creating cgroup");
    if (v2) enable_controllers(parent);
    if (::mkdir(p.c_str(), 0755) < 0) {
      return Error::sys(errno, "creating cgroup " + p);
    }
  }
  return {};
}

Ok restrict_devices(const std::vector<std::string>& paths, const std::vector<DeviceRule>& devices) {
  for (const auto& p : paths) {
    if (is_v1_devices_path(p)) LJ_TRY(restrict_v1_devices(p, devices));
  }
  return restrict_v2_devices(paths, devices);
}

Result<UniqueFd> open_v2_cgroup(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    if (is_v2_path(p)) return sys::open(p, O_PATH | O_DIRECTORY);
  }
  return UniqueFd();
}

Ok add_to_v1_cgroups(const std::vector<std::string>& paths, pid_t pid) {
  for (const auto& p : paths) {
    if (is_v2_path(p)) continue;
    // `tasks`, not cgroup.procs: the init has one thread, and a cgroup.procs write waits for
    // an RCU grace period (milliseconds) where a tasks write does not.
    LJ_TRY_CTX(sys::write_file(p + "/tasks", std::to_string(pid)), "joining cgroup " + p);
  }
  return {};
}

std::vector<pid_t> cgroup_pids(const std::vector<std::string>& paths) {
  std::vector<pid_t> out;
  for (const auto& p : paths) {
    auto text = sys::read_file(p + "/cgroup.procs");
    if (!text) continue;
    for (const auto& line : split(*text, '\n')) {
      if (auto v = parse_int(line)) out.push_back(static_cast<pid_t>(*v));
    }
    return out;
  }
  return out;
}

void kill_cgroups(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    if (is_v2_path(p) && sys::write_file(p + "/cgroup.kill", "1")) continue;
    for (pid_t pid : cgroup_pids({p})) ::kill(pid, SIGKILL);
  }
}

Ok remove_cgroups(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    for (int attempt = 0;; ++attempt) {
      if (::rmdir(p.c_str()) == 0 || errno == ENOENT) break;
      if (errno != EBUSY || attempt >= 500) return Error::sys(errno, "removing cgroup " + p);
      kill_cgroups({p});
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  return {};
}

}  // namespace ljail::host
