// Files relative to a directory descriptor, for the registry's hot paths (jls, jexec): a
// small file read whole with one read(2), symlinks read and replaced atomically, the names of
// a directory.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace ljail::sys {

// Reads the whole of `name` (relative to `dirfd`, symlinks followed unless O_NOFOLLOW is in
// `flags`) into `buf`: one read(2) when it is shorter than 16 KiB. For regular files and
// single-record files such as /proc/PID/stat, whose first short read returns all there is.
Ok read_file_at(int dirfd, const char* name, std::string* buf, int flags = 0);
Result<std::string> read_link_at(int dirfd, const std::string& name);
// Makes `name` a symlink to `target`, replacing what is there in one rename(2).
Ok replace_symlink_at(int dirfd, const std::string& target, const std::string& name);
Ok unlink_at(int dirfd, const std::string& name);  // ENOENT is success
// The names in the directory `dirfd` ("." and ".." left out).
Result<std::vector<std::string>> list_dir(int dirfd);
// The file system type of `fd` (fstatfs f_type: CGROUP2_SUPER_MAGIC, ...).
Result<long> fs_type(int fd);

}  // namespace ljail::sys
