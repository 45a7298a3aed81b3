#include "sys/node.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>

namespace ljail::sys {

Ok mknod_char(int dirfd, const std::string& name, mode_t mode, unsigned major, unsigned minor) {
  if (::mknodat(dirfd, name.c_str(), S_IFCHR | mode, makedev(major, minor)) < 0) {
    return Error::sys(errno, "mknod " + name);
  }
  if (::fchmodat(dirfd, name.c_str(), mode, 0) < 0) return Error::sys(errno, "chmod " + name);
  return {};
}

}  // namespace ljail::sys
