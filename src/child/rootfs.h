// The builder: runs as host root inside the jail's PID and network namespaces (so proc and
// sysfs show the jail's own), in a fresh private mount namespace. It binds the jail root
// (idmapped with userns=new), makes the default mounts beneath it, pivots into it, detaches the
// host's root and, with userns=new, copies the result into a mount namespace owned by the
// jail's user namespace, where every mount is locked against the jail.
#pragma once

#include "base/result.h"
#include "base/unique_fd.h"
#include "child/plan.h"

namespace ljail::child {

struct BuiltRoot {
  UniqueFd mntns;  // the jail's mount namespace
  UniqueFd proc;   // the jail's procfs instance, for the init's view of the jail's processes
};

// `userns_fd` is the jail's user namespace (-1 with userns=inherit).
Result<BuiltRoot> build_root(const RootfsPlan& plan, int userns_fd);

}  // namespace ljail::child
