// The builder: runs as host root in a fresh private mount namespace; procfs is made for the
// jail's PID namespace (named by descriptor, or the builder's own when it was forked into it)
// and sysfs once the builder is in the jail's network namespace, so both show the jail's own. It
// binds the jail root (idmapped with userns=new), makes the default mounts beneath it, pivots into
// it, detaches the host's root and, with userns=new, copies the result into a mount namespace owned
// by the jail's user namespace, where every mount is locked against the jail.
#pragma once

#include <functional>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "child/plan.h"

namespace ljail::child {

struct BuiltRoot {
  UniqueFd mntns;  // the jail's mount namespace
  UniqueFd proc;   // a procfs of the jail, never attached: the init's view of its processes
  // What the builder let go of last: its first mount namespace (with the host's detached tree
  // and the unlocked jail tree) and the procfs it wrote the user namespace limit through.
  // Freeing a mount waits for an RCU grace period; held here, that happens when the builder
  // exits, once jail(8) lets go of it (host/builder.h), not while anything waits for it.
  std::vector<UniqueFd> release_last;
};

// The jail's namespaces the builder works with, as descriptors. -1: userns=inherit (userns),
// the builder's own, being the jail's (pidns: where procfs takes no "pidns" option, the
// builder is forked into the jail's PID namespace).
struct JailNamespaces {
  int userns = -1;
  int pidns = -1;
  // Enters the jail's network namespace (which the init makes while the builder works,
  // init.h), called before the first mount that belongs to it, with a descriptor of the
  // host's /proc (the builder may have left the host's tree by then); none: it is the
  // builder's own.
  std::function<Ok(int host_proc)> join_netns;
};

Result<BuiltRoot> build_root(const RootfsPlan& plan, const JailNamespaces& ns);

}  // namespace ljail::child
