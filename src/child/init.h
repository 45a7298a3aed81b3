// The jail init: PID 1 of the jail's PID namespace, the small static program ljail-init. It
// finishes the jail's setup from the plan jail(8) sends it, then only reaps: it runs no user
// code, holds no host descriptor, is not dumpable, and exits when the jail holds no other
// process and neither `persist` nor the host's temporary hold keeps it.
#pragma once

#include "child/plan.h"

namespace ljail::child {

// In the process jail(8) cloned into the jail's namespaces: waits for GO (uid maps written,
// cgroups joined, the jail's mount namespace and procfs as descriptors), becomes jail root and
// executes ljail-init from `exe` (an O_PATH descriptor of a binary jail root cannot read),
// handing it `sock`, the host channel (protocol.h), and the two descriptors.
[[noreturn]] void exec_init(int exe, int sock, bool new_userns);

// ljail-init's main: descriptors 3, 4 and 5 are the channel, the jail's mount namespace and
// its procfs; the plan arrives on the channel.
int init_main(int argc, char** argv);

}  // namespace ljail::child
