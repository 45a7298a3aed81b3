#include "sys/dirfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>

#include "base/unique_fd.h"
#include "sys/file.h"

namespace ljail::sys {

Ok read_file_at(int dirfd, const char* name, std::string* buf, int flags) {
  int fd = ::openat(dirfd, name, O_RDONLY | O_CLOEXEC | flags);
  if (fd < 0) return Error::sys(errno, std::string("open ") + name);
  UniqueFd owned(fd);
  char first[16384];
  buf->clear();
  char* at = first;
  size_t room = sizeof(first);
  while (true) {
    ssize_t n = ::read(fd, at, room);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::sys(errno, std::string("read ") + name);
    }
    if (at == first) {
      buf->assign(first, static_cast<size_t>(n));
    } else {
      buf->resize(buf->size() - room + static_cast<size_t>(n));
    }
    if (static_cast<size_t>(n) < room) break;  // a short read: the end of the file
    // Larger than the first buffer: read on at the end of `buf`.
    size_t len = buf->size();
    buf->resize(len * 2);
    at = buf->data() + len;
    room = len;
  }
  return {};
}

Result<std::string> read_link_at(int dirfd, const std::string& name) {
  char target[4096];
  ssize_t n = ::readlinkat(dirfd, name.c_str(), target, sizeof(target));
  if (n < 0) return Error::sys(errno, "readlink " + name);
  if (static_cast<size_t>(n) == sizeof(target)) return Error::sys(ENAMETOOLONG, "readlink " + name);
  return std::string(target, static_cast<size_t>(n));
}

Ok replace_symlink_at(int dirfd, const std::string& target, const std::string& name) {
  std::string tmp = "." + name + ".tmp";
  ::unlinkat(dirfd, tmp.c_str(), 0);
  if (::symlinkat(target.c_str(), dirfd, tmp.c_str()) < 0) {
    return Error::sys(errno, "symlink " + tmp);
  }
  if (::renameat(dirfd, tmp.c_str(), dirfd, name.c_str()) < 0) {
    int e = errno;
    ::unlinkat(dirfd, tmp.c_str(), 0);
    return Error::sys(e, "rename " + tmp);
  }
  return {};
}

Ok unlink_at(int dirfd, const std::string& name) {
  if (::unlinkat(dirfd, name.c_str(), 0) < 0 && errno != ENOENT) {
    return Error::sys(errno, "unlink " + name);
  }
  return {};
}

Result<std::vector<std::string>> list_dir(int dirfd) {
  // fdopendir takes over the descriptor: give it its own.
  int fd = ::openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::sys(errno, "open directory");
  DIR* d = ::fdopendir(fd);
  if (!d) {
    int e = errno;
    ::close(fd);
    return Error::sys(e, "fdopendir");
  }
  std::vector<std::string> out;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") out.emplace_back(n);
  }
  ::closedir(d);
  return out;
}

Result<long> fs_type(int fd) {
  struct statfs st;
  if (::fstatfs(fd, &st) < 0) return Error::sys(errno, "fstatfs");
  return static_cast<long>(st.f_type);
}

}  // namespace ljail::sys
