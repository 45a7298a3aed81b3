// Commands jail(8) runs in a jail it still holds (exec.start, command=): the jail's init forks
// them. The init has the jail's namespaces, cgroups and policy already, so nothing is entered
// and nothing compiled; jexec and the hooks of a released jail attach instead (host/attach.h).
#pragma once

#include "base/result.h"
#include "host/attach.h"
#include "host/lifecycle.h"

namespace ljail::host {

// True while `r`'s init takes commands: held, and not about to become exec.init.
bool init_runs_commands(const Running& r);
// Runs `spec` (not an internal one) through the init of `r`, with the caller's stdin and its
// stdout and stderr (or spec.output_fd). Returns the command's wait status; `timeout` seconds
// (0: none) passed is an error ("timed out") and the command is left running, as FreeBSD does.
// The jail is recorded (record_jail) while the command starts. A command whose argv and
// environment do not fit in one message (sys::kMaxMessage) is not sent: E2BIG, and the
// caller attaches instead. With `then_release`, the init
// releases the jail once the command has exited (release() then only reads its BYE): for the
// last thing jail(8) does in the jail before it lets go.
Result<int> run_through_init(const Registry& reg, Running& r, const AttachSpec& spec, int timeout,
                             bool then_release = false);
// Its two halves: sending the RUN (returns the command's tag), and recording the jail and
// waiting for that command's EXIT. create_jail's after_plan sends the first command of a start
// before the init has answered READY, so that the init forks it at once (host/steps.cc).
Result<long> send_run(Running& r, const AttachSpec& spec, bool then_release);
Result<int> await_exit(const Registry& reg, Running& r, long tag, int timeout);

}  // namespace ljail::host
