// Links and namespace lookups that the other wrappers do not cover (list_dir is in
// sys/dirfile.h).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "sys/dirfile.h"

namespace ljail::sys {

// The target of the symbolic link `path`.
Result<std::string> read_link(const std::string& path);
// The inode of the PID namespace that `pid`'s PID namespace was made in (NS_GET_PARENT).
Result<ino_t> parent_pidns_inode(pid_t pid);

}  // namespace ljail::sys
