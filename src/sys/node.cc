#include "sys/node.h"

#include <fcntl.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>

namespace ljail::sys {

Ok mknod_char(int dirfd, const std::string& name, mode_t mode, unsigned major, unsigned minor) {
  if (::mknodat(dirfd, name.c_str(), S_IFCHR | mode, makedev(major, minor)) < 0) {
    return Error::sys(errno, "mknod " + name);
  }
  return {};
}

void clear_umask() {
  ::umask(0);
}

CreateAs::CreateAs(uid_t uid, gid_t gid) {
  ::setfsuid(uid);
  ::setfsgid(gid);
}

CreateAs::~CreateAs() {
  ::setfsuid(0);
  ::setfsgid(0);
}

}  // namespace ljail::sys
