#include "child/init.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "child/protocol.h"
#include "sys/file.h"
#include "sys/ids.h"
#include "sys/iface.h"
#include "sys/proc.h"

namespace ljail::child {

namespace {

// Where ljail-init finds the host channel.
constexpr int kInitFds = 3;

}  // namespace

void exec_init(int exe, int sock, bool new_userns, bool new_netns, int net_ready) {
  // If jail(8) dies first, PDEATHSIG (or, in the race before it is set, EOF on the channel)
  // ends the init. getppid() cannot tell: the parent is outside the PID namespace.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::prctl(PR_SET_DUMPABLE, 0);
  auto fail = [&](const Error& e) {
    (void)sys::send_msg(sock, encode_error(e));
    ::_exit(1);
  };
  if (new_netns) {
    // Before GO: the clone's capabilities in the new user namespace suffice, the uid maps are
    // not needed, and it overlaps jail(8)'s next steps. Owned by the jail's user namespace, as
    // the clone's would have been. NET, which says it exists, is ljail-init's first word: what
    // NET starts in jail(8) runs on this CPU then, idle from there to the plan.
    if (auto r = sys::unshare(CLONE_NEWNET); !r) {
      Error e = std::move(r.error());
      e.add_context("creating namespaces");
      fail(e);
    }
    // `lo` up here too, with the capabilities of the clone (0.06-0.12 ms, off the builder's
    // way to the plan); then the builder may enter the namespace (host/builder.h).
    auto inet = sys::inet_socket();
    if (!inet) fail(inet.error());
    if (auto up = sys::interface_up(inet->get(), "lo"); !up) fail(up.error());
    if (auto said = sys::write_all(net_ready, "N"); !said) fail(said.error());
  }
  if (net_ready >= 0) ::close(net_ready);
  auto go = sys::recv_msg(sock);
  if (!go) fail(go.error());
  auto parsed = decode(go->data);
  if (go->eof || !parsed || parsed->kind != Msg::Go || !go->fds.empty()) {
    fail(Error::invalid("jail init: protocol error waiting for GO"));
  }
  // Jail root before the exec: ljail-init is not readable by jail root, so the kernel makes
  // the new image undumpable and keeps it out of reach of the jail's ptrace.
  if (new_userns) {
    if (auto r = sys::set_credentials(0, 0, {}); !r) {
      Error e = std::move(r.error());
      e.add_context("becoming jail root");
      fail(e);
    }
  }
  // The channel becomes descriptor 3: moved up out of the way first, then down, with nothing
  // else open.
  int high[] = {sock, exe};
  for (int& fd : high) {
    fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 100);
    if (fd < 0) fail(Error::sys(errno, "F_DUPFD"));
  }
  (void)sys::close_range_from(0, {high[0], high[1]});
  if (::dup2(high[0], kInitFds) < 0) fail(Error::sys(errno, "dup2"));
  sock = kInitFds;
  (void)sys::close_range_from(kInitFds + 1, {high[1]});
  const char* argv[] = {"ljail-init", nullptr};
  const char* envp[] = {nullptr};
  ::syscall(SYS_execveat, high[1], "", argv, envp, AT_EMPTY_PATH);
  fail(Error::sys(errno, "executing ljail-init"));
  ::_exit(1);
}

}  // namespace ljail::child
