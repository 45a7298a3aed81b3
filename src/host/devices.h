// The devices a jail may use: one table, the nodes of the jail's /dev (child/rootfs.cc) plus
// /dev/fuse with allow.mount.fusefs. Enforced by the v1 devices controller where the jail has a
// v1 devices cgroup (hybrid hosts), else by a BPF_PROG_TYPE_CGROUP_DEVICE program attached to
// its v2 cgroup before any jail process runs in it (pure v2 hosts). Every rule grants read,
// write and mknod ("rwm"); everything else is refused with EPERM.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "params/params.h"

namespace ljail::host {

inline constexpr int64_t kAnyMinor = -1;

struct DeviceRule {
  char type = 'c';  // 'c' character device, 'b' block device
  uint32_t major = 0;
  int64_t minor = kAnyMinor;  // kAnyMinor: every minor of `major`
  std::string_view node;      // its node in the jail's /dev, if the builder makes one
  bool operator==(const DeviceRule&) const = default;
};

// allow.mount with allow.mount.fusefs: the jail gets /dev/fuse (c 10:229).
bool fuse_allowed(const params::ParamSet& p);
// The allow list: null zero full random urandom tty ptmx pts/*, and fuse when `fuse`.
std::vector<DeviceRule> jail_devices(bool fuse);
// The v1 devices.allow line of a rule: "c 1:3 rwm", "c 136:* rwm".
std::string v1_rule(const DeviceRule& rule);
// The cgroup device program: returns 1 (allow) for a device of the list, 0 for any other.
std::vector<struct bpf_insn> device_program(const std::vector<DeviceRule>& rules);
// Loads the program for `rules` and attaches it to the v2 cgroup directory `cgroup_fd`.
Ok attach_device_program(int cgroup_fd, const std::vector<DeviceRule>& rules);
// The program for `rules`, attached once to the parent `parent_fd` of the jails' cgroups with
// BPF_F_ALLOW_OVERRIDE, for every jail below that has no program of its own: a jail with the
// default list costs no program load (verifier and JIT) at all. Checked by name at every
// create ("ljdev_" and a hash of the instructions); attached again, replacing it, when it is
// missing or another list. Only host root can attach programs, so nothing a jail does can
// override it.
Ok share_device_program(int parent_fd, const std::vector<DeviceRule>& rules);
// "ljdev_" and 8 hex digits of a hash of the program's instructions.
std::string device_program_name(const std::vector<struct bpf_insn>& program);

}  // namespace ljail::host
