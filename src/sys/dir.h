// Processes and namespace lookups that the other wrappers do not cover (list_dir and
// read_link_at are in sys/dirfile.h).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "sys/dirfile.h"

namespace ljail::sys {

// The pids /proc lists (every process of this PID namespace's view).
std::vector<pid_t> process_ids();
// The inode of the PID namespace that `pid`'s PID namespace was made in (NS_GET_PARENT).
Result<ino_t> parent_pidns_inode(pid_t pid);

}  // namespace ljail::sys
