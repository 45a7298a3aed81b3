#include "sys/mount.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace ljail::sys {

Result<UniqueFd> open_tree_clone(int dirfd, const std::string& path, bool recursive) {
  unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
  if (recursive) flags |= AT_RECURSIVE;
  if (path.empty()) flags |= AT_EMPTY_PATH;
  int fd = ::open_tree(dirfd, path.c_str(), flags);
  if (fd < 0) return Error::sys(errno, "open_tree " + path);
  return UniqueFd(fd);
}

Ok mount_set_idmap(int mountfd, int userns_fd, bool recursive) {
  struct mount_attr attr = {};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<uint64_t>(userns_fd);
  unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
  if (::mount_setattr(mountfd, "", flags, &attr, sizeof(attr)) < 0) {
    return Error::sys(errno, "mount_setattr MOUNT_ATTR_IDMAP");
  }
  return {};
}

Ok mount_setattr(int mountfd, uint64_t attr_set, uint64_t attr_clr, bool recursive) {
  struct mount_attr attr = {};
  attr.attr_set = attr_set;
  attr.attr_clr = attr_clr;
  unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
  if (::mount_setattr(mountfd, "", flags, &attr, sizeof(attr)) < 0) {
    return Error::sys(errno, "mount_setattr");
  }
  return {};
}

Ok move_mount_to_fd(int mountfd, int target_fd, const std::string& what) {
  if (::move_mount(mountfd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
      0) {
    return Error::sys(errno, "mounting " + what);
  }
  return {};
}

namespace {

Result<UniqueFd> fs_open(const std::string& type) {
  int fs = ::fsopen(type.c_str(), FSOPEN_CLOEXEC);
  if (fs < 0) return Error::sys(errno, "fsopen " + type);
  return UniqueFd(fs);
}

// The configured instance, created and mounted detached.
Result<UniqueFd> fs_create(int fs, const std::string& type, uint64_t mount_attrs) {
  if (::fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) {
    return Error::sys(errno, "creating " + type + " filesystem");
  }
  int mfd = ::fsmount(fs, FSMOUNT_CLOEXEC, static_cast<unsigned>(mount_attrs));
  if (mfd < 0) return Error::sys(errno, "fsmount " + type);
  return UniqueFd(mfd);
}

int set_pidns(int fs, int pidns_fd) {
  return ::fsconfig(fs, FSCONFIG_SET_FD, "pidns", nullptr, pidns_fd);
}

}  // namespace

Result<UniqueFd> fs_mount(const std::string& type,
                          const std::vector<std::pair<std::string, std::string>>& options,
                          uint64_t mount_attrs) {
  auto fs = LJ_TRY(fs_open(type));
  for (const auto& [key, value] : options) {
    int r = value.empty()
                ? ::fsconfig(fs.get(), FSCONFIG_SET_FLAG, key.c_str(), nullptr, 0)
                : ::fsconfig(fs.get(), FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0);
    if (r < 0) return Error::sys(errno, "fsconfig " + type + " " + key);
  }
  return fs_create(fs.get(), type, mount_attrs);
}

Result<UniqueFd> proc_mount(int pidns_fd, uint64_t mount_attrs) {
  auto fs = LJ_TRY(fs_open("proc"));
  if (pidns_fd >= 0 && set_pidns(fs.get(), pidns_fd) < 0) {
    return Error::sys(errno, "fsconfig proc pidns");
  }
  return fs_create(fs.get(), "proc", mount_attrs);
}

bool proc_takes_pidns(int pidns_fd) {
  auto fs = fs_open("proc");
  return fs && set_pidns(fs->get(), pidns_fd) == 0;
}

Ok mount(const char* source, const std::string& target, const char* type, unsigned long flags,
         const char* data) {
  if (::mount(source, target.c_str(), type, flags, data) < 0) {
    return Error::sys(errno, "mount " + target);
  }
  return {};
}

Ok umount2(const std::string& target, int flags) {
  if (::umount2(target.c_str(), flags) < 0) return Error::sys(errno, "umount " + target);
  return {};
}

Ok pivot_root(const std::string& new_root, const std::string& put_old) {
  if (::syscall(SYS_pivot_root, new_root.c_str(), put_old.c_str()) < 0) {
    return Error::sys(errno, "pivot_root");
  }
  return {};
}

}  // namespace ljail::sys
