// Directory listing and namespace lookups that the other wrappers do not cover.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"

namespace ljail::sys {

// The names in the directory `dirfd` (without "." and ".."); `dirfd` itself stays open.
Result<std::vector<std::string>> list_dir(int dirfd);
// The target of the symbolic link `path`.
Result<std::string> read_link(const std::string& path);
// The inode of the PID namespace that `pid`'s PID namespace was made in (NS_GET_PARENT).
Result<ino_t> parent_pidns_inode(pid_t pid);

}  // namespace ljail::sys
