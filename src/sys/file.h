// File and directory system calls, each returning a Result with the call and path in the
// error. Every descriptor is opened O_CLOEXEC and owned by a UniqueFd.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <string>
#include <string_view>
#include <utility>

#include "base/result.h"
#include "base/unique_fd.h"

namespace ljail::sys {

Result<UniqueFd> open(const std::string& path, int flags, mode_t mode = 0);
Result<UniqueFd> openat(int dirfd, const std::string& path, int flags, mode_t mode = 0);
// openat2(2) with `resolve` flags (RESOLVE_IN_ROOT, RESOLVE_NO_MAGICLINKS, ...).
Result<UniqueFd> openat2(int dirfd, const std::string& path, int flags, uint64_t resolve,
                         mode_t mode = 0);
// Resolves `path` inside the root `rootfd` (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): the path
// can never leave the root, whatever symlinks the root holds.
Result<UniqueFd> open_in_root(int rootfd, const std::string& path, int flags, mode_t mode = 0);

Result<std::string> read_all(int fd);
Ok write_all(int fd, std::string_view data);
Result<std::string> read_file(const std::string& path);
// Opens with O_WRONLY (no create) and writes; for /proc, /sys and cgroup files.
Ok write_file(const std::string& path, std::string_view data);
// Writes a whole file atomically: a temporary file in the same directory, fsync-free, rename.
Ok write_file_atomic(const std::string& path, std::string_view data, mode_t mode);
// Rewrites a small file in place (no temporary, no rename, never truncated to zero): for a
// file only read and written under a lock, where a rename would cost the replaced inode and,
// on ext4, a flush of the new data.
Ok overwrite_file(const std::string& path, std::string_view data, mode_t mode);

Result<struct stat> stat(const std::string& path);
Result<struct stat> fstat(int fd);
Ok mkdir(const std::string& path, mode_t mode);               // EEXIST is success
Ok mkdirat(int dirfd, const std::string& name, mode_t mode);  // EEXIST is success
Ok rmdir(const std::string& path);
Ok unlink(const std::string& path);
Ok symlinkat(const std::string& target, int dirfd, const std::string& name);
Ok fchownat(int dirfd, const std::string& name, uid_t uid, gid_t gid, int flags);
Ok flock(int fd, int op);
// An anonymous memory file (memfd_create, close-on-exec).
Result<UniqueFd> memfd(const char* name);
// A pipe (close-on-exec): {read end, write end}.
Result<std::pair<UniqueFd, UniqueFd>> pipe();

}  // namespace ljail::sys
