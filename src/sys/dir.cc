#include "sys/dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"
#include "sys/file.h"

namespace ljail::sys {

Result<std::string> read_link(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf));
  if (n < 0) return Error::sys(errno, "readlink " + path);
  if (static_cast<size_t>(n) == sizeof(buf)) return Error::sys(ENAMETOOLONG, "readlink " + path);
  return std::string(buf, static_cast<size_t>(n));
}

Result<ino_t> parent_pidns_inode(pid_t pid) {
  auto ns = LJ_TRY(open("/proc/" + std::to_string(pid) + "/ns/pid", O_RDONLY));
  int parent = ::ioctl(ns.get(), NS_GET_PARENT);
  if (parent < 0) return Error::sys(errno, "NS_GET_PARENT");
  UniqueFd owned(parent);
  auto st = LJ_TRY(fstat(owned.get()));
  return st.st_ino;
}

}  // namespace ljail::sys
