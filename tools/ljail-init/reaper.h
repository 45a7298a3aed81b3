// The jail init once its setup is done (init.cc): it says READY, forks the commands jail(8)
// sends while it holds the jail and reports their exits, answers RELEASE with BYE, and reaps.
// It exits when the jail holds no other process and neither `persist` nor the host's hold
// keeps it.
#pragma once

#include "rt.h"

namespace ljail::init {

// `proc`: the jail's procfs (to see processes that are not the init's children); `sock`: the
// host channel; `sigfd`: a signalfd of SIGCHLD, SIGUSR1 and SIGUSR2 (persist on and off, from
// the host only). Returns only when READY cannot be sent.
void serve(bool persist, Fd proc, int sock, int sigfd);

}  // namespace ljail::init
