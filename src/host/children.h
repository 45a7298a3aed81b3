// The jails inside a running jail, as the host sees them (FreeBSD lists them as parent.child
// with the parent's jid in `parent`). They live in the parent's own registry, /run/ljail of its
// mount namespace, which the jail controls: the host only reads it, through descriptors
// resolved inside the jail's root, believes an entry only when a live process of the jail's
// PID namespace with the recorded start time is its init, and never cleans anything up there.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "host/registry.h"

namespace ljail::host {

struct ChildJail {
  JailState state;        // as its parent's registry records it (jid and pids are the parent's)
  std::string full_name;  // "parent.child", "parent.child.grandchild"
  int parent_jid = 0;     // the jid its parent shows
  pid_t host_init_pid = 0;
};

// Every jail beneath `parent` (children of children included), parents before children.
// Jails whose parent has children.max = 0 have none; unreadable entries are skipped.
std::vector<ChildJail> child_jails(const JailState& parent);

}  // namespace ljail::host
