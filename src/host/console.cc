#include "host/console.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>

#include "sys/file.h"
#include "sys/proc.h"

namespace ljail::host {

namespace {

// What the jail wrote last (its shutdown messages) is still in the pty when its init is gone.
[[noreturn]] void drain_and_exit(int master, int log) {
  char buf[4096];
  ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
  ssize_t n;
  while ((n = ::read(master, buf, sizeof(buf))) > 0) {
    if (log >= 0) (void)sys::write_all(log, std::string_view(buf, n));
  }
  ::_exit(0);
}

[[noreturn]] void relay(int master, int init, int log) {
  char buf[4096];
  while (true) {
    struct pollfd fds[2] = {{init, POLLIN, 0}, {master, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      ::_exit(1);
    }
    if (fds[0].revents) drain_and_exit(master, log);  // the jail's init has exited
    if (fds[1].revents & POLLIN) {
      ssize_t n = ::read(master, buf, sizeof(buf));
      if (n > 0 && log >= 0) (void)sys::write_all(log, std::string_view(buf, n));
      if (n > 0) continue;
    }
    // No process has the console open (a getty between two sessions): the master reads
    // nothing but hangups until one does.
    struct pollfd wait_init = {init, POLLIN, 0};
    if (::poll(&wait_init, 1, 200) > 0) drain_and_exit(master, log);
  }
}

}  // namespace

Ok start_console_relay(UniqueFd master, const JailState& s, const std::string& log) {
  auto init = LJ_TRY(sys::pidfd_open(s.init_pid));
  UniqueFd logfd;
  if (!log.empty()) {
    logfd = LJ_TRY_CTX(sys::open(log, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0600),
                       "exec.consolelog");
  }
  pid_t pid = LJ_TRY(sys::fork());
  if (pid == 0) {
    // Nothing of jail(8) stays: not its registry lock, not its terminal.
    (void)sys::close_range_from(0, {master.get(), init.get(), logfd.get()});
    int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
      for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
    }
    ::setsid();
    if (::fork() != 0) ::_exit(0);
    ::prctl(PR_SET_NAME, "ljail-console");
    relay(master.get(), init.get(), logfd.get());
  }
  (void)sys::waitpid(pid);
  return {};
}

}  // namespace ljail::host
