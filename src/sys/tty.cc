#include "sys/tty.h"

#include <fcntl.h>
#include <sys/ioctl.h>

#include <cerrno>

#include "sys/file.h"

namespace ljail::sys {

Result<std::pair<UniqueFd, std::string>> open_pty(const std::string& ptmx) {
  auto master = LJ_TRY(open(ptmx, O_RDWR | O_NOCTTY));
  int unlock = 0;
  if (::ioctl(master.get(), TIOCSPTLCK, &unlock) < 0) return Error::sys(errno, "TIOCSPTLCK");
  int n = -1;
  if (::ioctl(master.get(), TIOCGPTN, &n) < 0) return Error::sys(errno, "TIOCGPTN");
  return std::pair{std::move(master), "/dev/pts/" + std::to_string(n)};
}

}  // namespace ljail::sys
