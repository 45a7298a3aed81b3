// The jail init: PID 1 of the jail's PID namespace. It finishes the jail's setup from the
// plan, starts the command, then only reaps: it runs no user code, holds no host descriptor,
// is not dumpable, and exits when the jail holds no other process and neither `persist` nor
// the host's temporary hold keeps it.
#pragma once

#include "child/plan.h"

namespace ljail::child {

// `sock` is the init's end of the host channel (protocol.h); `parent` the host pid that
// cloned it (the init dies with it until setup is done).
[[noreturn]] void init_main(const InitPlan& plan, int sock, pid_t parent);

}  // namespace ljail::child
