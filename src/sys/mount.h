// The mount API (open_tree, move_mount, mount_setattr, fsopen/fsconfig/fsmount), the classic
// mount(2)/umount2(2) and pivot_root(2). Mounts are made through descriptors, never by
// resolving a path string twice.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace ljail::sys {

// open_tree(dirfd, path, OPEN_TREE_CLONE [| AT_RECURSIVE]): a detached copy of a mount tree.
Result<UniqueFd> open_tree_clone(int dirfd, const std::string& path, bool recursive);
// mount_setattr(MOUNT_ATTR_IDMAP) with the user namespace `userns_fd` on a detached tree.
Ok mount_set_idmap(int mountfd, int userns_fd, bool recursive);
// mount_setattr on an attached or detached mount: set and clear MOUNT_ATTR_* flags.
Ok mount_setattr(int mountfd, uint64_t attr_set, uint64_t attr_clr, bool recursive);
// move_mount of a detached mount onto the directory or file `target_fd`.
Ok move_mount_to_fd(int mountfd, int target_fd, const std::string& what);
// A new filesystem instance: fsopen(type), fsconfig(key=value...), fsmount(attrs).
Result<UniqueFd> fs_mount(const std::string& type,
                          const std::vector<std::pair<std::string, std::string>>& options,
                          uint64_t mount_attrs);
// A procfs instance of the PID namespace `pidns_fd` (fsconfig "pidns", kernels since 2025), or of
// the caller's own PID namespace with -1.
Result<UniqueFd> proc_mount(int pidns_fd, uint64_t mount_attrs);
// Whether this kernel's procfs takes the "pidns" option (tried with `pidns_fd`).
bool proc_takes_pidns(int pidns_fd);
// mount(2) for propagation changes and remounts.
Ok mount(const char* source, const std::string& target, const char* type, unsigned long flags,
         const char* data);
Ok umount2(const std::string& target, int flags);
Ok pivot_root(const std::string& new_root, const std::string& put_old);

}  // namespace ljail::sys
