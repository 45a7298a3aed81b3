// One cgroup per jail, `ljail/<name>` in each hierarchy used (design.md 2): on a pure cgroup v2
// host the unified hierarchy; on hosts with v1 controllers (this project's machines: memory,
// pids and cpu as v1 plus a v2 hierarchy with no controllers) the v1 memory, pids and cpu
// hierarchies for limits, the v1 devices hierarchy restricted to the jail's /dev, plus the v2
// hierarchy, when mounted, for membership and cgroup.kill. Without a v1 devices hierarchy the
// same device list is enforced by a BPF program on the v2 cgroup (host/devices.h).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "host/devices.h"

namespace ljail::host {

struct CgroupLayout {
  std::string v2_root;                // "" when no cgroup2 hierarchy is mounted
  std::vector<std::string> v1_roots;  // controller hierarchies used for limits
};

// Looks at /sys/fs/cgroup (or `base`, for tests).
CgroupLayout detect_cgroups(const std::string& base = "/sys/fs/cgroup");
// The directories a jail named `name` gets, v2 first.
std::vector<std::string> jail_cgroup_paths(const CgroupLayout& layout, const std::string& name);

// Makes the directories (parents included, controllers enabled on v2 where offered) and
// restricts the jail to `devices`: the v1 devices controller when one of the directories is a
// v1 devices cgroup, else a device program attached to the v2 directory. Called before any
// process joins them.
Ok create_cgroups(const std::vector<std::string>& paths,
                  const std::vector<DeviceRule>& devices = jail_devices(false));
// Opens the v2 directory for CLONE_INTO_CGROUP (invalid fd when there is none).
Result<UniqueFd> open_v2_cgroup(const std::vector<std::string>& paths);
// Moves `pid` into every v1 directory (v2 is joined at clone time).
Ok add_to_v1_cgroups(const std::vector<std::string>& paths, pid_t pid);
// The pids in the jail's cgroups (host pids), from the first directory that lists any.
std::vector<pid_t> cgroup_pids(const std::vector<std::string>& paths);
// Kills every process: cgroup.kill on v2, SIGKILL to each listed pid on v1.
void kill_cgroups(const std::vector<std::string>& paths);
// Removes the directories, killing and waiting for stragglers; "already gone" is success.
Ok remove_cgroups(const std::vector<std::string>& paths);
bool is_v2_path(const std::string& path);

}  // namespace ljail::host
