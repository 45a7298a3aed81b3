// The jail init: PID 1 of the jail's PID namespace, the small static program ljail-init
// (tools/ljail-init, without a C library). It finishes the jail's setup from the plan jail(8)
// sends it, forks the commands jail(8) runs while it holds the jail, then only reaps: it runs
// no user code itself, holds no host descriptor, is not dumpable, and exits when the jail
// holds no other process and neither `persist` nor the host's temporary hold keeps it.
#pragma once

#include "child/plan.h"

namespace ljail::child {

// In the process jail(8) cloned into the jail's namespaces: with `new_netns` makes the jail's
// network namespace (its creation is most of a clone's cost: made here, it overlaps jail(8)'s
// next steps and the builder), brings its `lo` up and writes a byte to `net_ready` (a pipe's
// write end, closed then: the builder waits for it, host/builder.h); waits for GO (uid maps
// written), becomes jail root and executes ljail-init from `exe` (an O_PATH descriptor of a
// binary jail root cannot read), handing it `sock`, the host channel (protocol.h), as
// descriptor 3. This happens while the builder makes the jail's mounts.
[[noreturn]] void exec_init(int exe, int sock, bool new_userns, bool new_netns, int net_ready);

}  // namespace ljail::child
