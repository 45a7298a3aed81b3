#include "sys/file.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace ljail::sys {

Result<UniqueFd> open(const std::string& path, int flags, mode_t mode) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) return Error::sys(errno, "open " + path);
  return UniqueFd(fd);
}

Result<UniqueFd> openat(int dirfd, const std::string& path, int flags, mode_t mode) {
  int fd = ::openat(dirfd, path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) return Error::sys(errno, "open " + path);
  return UniqueFd(fd);
}

Result<UniqueFd> openat2(int dirfd, const std::string& path, int flags, uint64_t resolve,
                         mode_t mode) {
  struct open_how how = {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
  how.resolve = resolve;
  long fd;
  do {
    fd = ::syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof(how));
  } while (fd < 0 && errno == EAGAIN);
  if (fd < 0) return Error::sys(errno, "open " + path);
  return UniqueFd(static_cast<int>(fd));
}

Result<UniqueFd> open_in_root(int rootfd, const std::string& path, int flags, mode_t mode) {
  return openat2(rootfd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, mode);
}

Result<std::string> read_all(int fd) {
  std::string out;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::sys(errno, "read");
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Ok write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::sys(errno, "write");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Result<std::string> read_file(const std::string& path) {
  auto fd = LJ_TRY(open(path, O_RDONLY));
  auto r = read_all(fd.get());
  if (!r) return Error::sys(r.error().code(), "read " + path);
  return r;
}

Ok write_file(const std::string& path, std::string_view data) {
  auto fd = LJ_TRY(open(path, O_WRONLY));
  if (::write(fd.get(), data.data(), data.size()) < 0) {
    return Error::sys(errno, "write " + path);
  }
  return {};
}

Ok write_file_atomic(const std::string& path, std::string_view data, mode_t mode) {
  auto slash = path.rfind('/');
  std::string tmp = path.substr(0, slash + 1) + "." + path.substr(slash + 1) + ".tmp";
  auto fd = LJ_TRY(open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode));
  if (auto r = write_all(fd.get(), data); !r) {
    ::unlink(tmp.c_str());
    return Error::sys(r.error().code(), "write " + tmp);
  }
  fd.reset();
  if (::rename(tmp.c_str(), path.c_str()) < 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error::sys(e, "rename " + tmp);
  }
  return {};
}

Ok overwrite_file(const std::string& path, std::string_view data, mode_t mode) {
  auto fd = LJ_TRY(open(path, O_WRONLY | O_CREAT, mode));
  if (::pwrite(fd.get(), data.data(), data.size(), 0) != static_cast<ssize_t>(data.size())) {
    return Error::sys(errno, "write " + path);
  }
  if (::ftruncate(fd.get(), static_cast<off_t>(data.size())) < 0) {
    return Error::sys(errno, "truncate " + path);
  }
  return {};
}

Result<struct stat> stat(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) < 0) return Error::sys(errno, path);
  return st;
}

Result<struct stat> fstat(int fd) {
  struct stat st;
  if (::fstat(fd, &st) < 0) return Error::sys(errno, "fstat");
  return st;
}

Ok mkdir(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) < 0 && errno != EEXIST) return Error::sys(errno, "mkdir " + path);
  return {};
}

Ok mkdirat(int dirfd, const std::string& name, mode_t mode) {
  if (::mkdirat(dirfd, name.c_str(), mode) < 0 && errno != EEXIST) {
    return Error::sys(errno, "mkdir " + name);
  }
  return {};
}

Ok rmdir(const std::string& path) {
  if (::rmdir(path.c_str()) < 0) return Error::sys(errno, "rmdir " + path);
  return {};
}

Ok unlink(const std::string& path) {
  if (::unlink(path.c_str()) < 0) return Error::sys(errno, "unlink " + path);
  return {};
}

Ok symlinkat(const std::string& target, int dirfd, const std::string& name) {
  if (::symlinkat(target.c_str(), dirfd, name.c_str()) < 0 && errno != EEXIST) {
    return Error::sys(errno, "symlink " + name);
  }
  return {};
}

Ok fchownat(int dirfd, const std::string& name, uid_t uid, gid_t gid, int flags) {
  if (::fchownat(dirfd, name.c_str(), uid, gid, flags) < 0) {
    return Error::sys(errno, "chown " + name);
  }
  return {};
}

Ok flock(int fd, int op) {
  while (::flock(fd, op) < 0) {
    if (errno != EINTR) return Error::sys(errno, "flock");
  }
  return {};
}

Result<UniqueFd> memfd(const char* name) {
  int fd = ::memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) return Error::sys(errno, "memfd_create");
  return UniqueFd(fd);
}

Result<std::pair<UniqueFd, UniqueFd>> pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return Error::sys(errno, "pipe2");
  return std::pair<UniqueFd, UniqueFd>(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

}  // namespace ljail::sys
