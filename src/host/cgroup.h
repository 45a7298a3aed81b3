// One cgroup per jail, `ljail/<name>` in each hierarchy used (design.md 2): the cgroup v2
// hierarchy wherever one is mounted, also on hosts whose controllers are v1 (this project's
// machines: memory, pids and cpu as v1 plus a v2 hierarchy with no controllers), for
// membership, cgroup.kill and the BPF device program (host/devices.h); the v1 hierarchies
// (memory, pids, cpu, and devices restricted to the jail's /dev) on hosts without v2, or for
// resource limits.
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
// The directories a jail named `name` gets, v2 first: where a cgroup v2 hierarchy is mounted,
// that one alone (membership, cgroup.kill, the BPF device program: a v1 mkdir and its writes
// cost milliseconds per start); the v1 hierarchies on hosts without one, or with `limits`
// (resource limits, on hosts whose controllers are v1).
std::vector<std::string> jail_cgroup_paths(const CgroupLayout& layout, const std::string& name,
                                           bool limits = false);

// Makes the directories (parents included, controllers enabled on v2 where offered).
Ok create_cgroups(const std::vector<std::string>& paths);
// Restricts the jail to `devices`: the v1 devices controller when one of the directories is a
// v1 devices cgroup, else a device program attached to the v2 directory. Called before the
// jail's init runs anything of the jail (it may have joined them already, waiting for GO).
Ok restrict_devices(const std::vector<std::string>& paths,
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
