// The plan for one jail, computed on the host before anything is cloned: which namespaces,
// what the builder mounts, what the init does. Pure: unit tested without privileges.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "child/plan.h"
#include "params/params.h"

namespace ljail::host {

// The init's privilege policy (init.drop_caps, init.seccomp) is left to the caller: it is
// compiled while the builder works (host/create.cc).
struct JailPlan {
  uint64_t clone_flags = 0;  // CLONE_NEW* for the init
  bool new_userns = true;
  bool own_netns = true;  // made by the init, which brings lo up (child/init.h)
  // net.ipv4.ping_group_range of the jail's stack (ping without raw sockets) when the builder
  // writes it, in the host's ids (empty: the init writes init.ping_groups, in the jail's).
  std::string ping_groups = "0 2147483647";
  uint64_t uid_base = 0;  // with new_userns
  uint64_t uid_size = 0;
  bool nested = false;  // made by a jail(8) running inside a jail (host/nesting.h)
  child::RootfsPlan rootfs;
  child::InitPlan init;
};

struct PlanInputs {
  const params::ParamSet* params = nullptr;
  uint64_t uid_base = 0;  // chosen id range (userns=new)
  gid_t jail_tty_gid = 5;
  bool nested = false;  // jail(8) runs inside a jail
  // fstab lines of `mount`, then of the `mount.fstab` files (read by the caller).
  std::vector<std::string> mount_lines;  // the jail's tty group
};

Result<JailPlan> make_plan(const PlanInputs& in);
// The CLONE_NEW* flags of the namespaces a jail with parameters `p` has of its own, besides
// its mount and cgroup namespaces (made later by the builder and the init): what its init is
// cloned with, and what jexec joins (with CLONE_NEWNS).
uint64_t namespace_flags(const params::ParamSet& p);

}  // namespace ljail::host
