// The real filesystem behind FileReader and Globber.
#include <fcntl.h>
#include <glob.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "config/config.h"

namespace ljail::config {
namespace {

constexpr size_t kMaxFileSize = size_t{1} << 30;

Result<std::string> read_fd(int fd, const std::string& path) {
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(Error::sys(errno, path));
    }
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > kMaxFileSize) return fail(Error::sys(EFBIG, path));
  }
}

}  // namespace

FileReader system_reader() {
  return [](const std::string& path) -> Result<std::string> {
    if (path == "-") return read_fd(STDIN_FILENO, "STDIN");
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(Error::sys(errno, path));
    Result<std::string> text = read_fd(fd, path);
    ::close(fd);
    return text;
  };
}

Globber system_glob() {
  return [](const std::string& pattern) -> Result<std::vector<std::string>> {
    glob_t g{};
    int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
    std::vector<std::string> out;
    if (rc == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
    }
    ::globfree(&g);
    if (rc != 0 && rc != GLOB_NOMATCH) {
      return fail(Error::invalid(pattern + ": filename glob failed"));
    }
    return out;
  };
}

}  // namespace ljail::config
