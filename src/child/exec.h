// Starting a process inside the jail: credentials, working directory, descriptors, exec.
#pragma once

#include "child/plan.h"

namespace ljail::child {

// In a freshly forked process already inside every namespace of the jail: restores the
// signal mask, takes the plan's credentials, closes every descriptor but 0-2 and
// `report_fd`, and execs. On failure writes the errno to `report_fd` (close-on-exec, so
// success closes it) and exits 127.
[[noreturn]] void exec_command(const CommandPlan& plan, int report_fd);

}  // namespace ljail::child
