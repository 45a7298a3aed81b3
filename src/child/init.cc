#include "child/init.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <cstring>
#include <new>

#include "sys/raw.h"

namespace ljail::child {

namespace {

namespace raw = sys::raw;

// Where ljail-init finds the host channel.
constexpr int kInitFds = 3;

// What the clone gets: the caller's InitClone and signal mask, copied onto its stack.
struct CloneArgs {
  InitClone c;
  uint64_t sigmask = 0;
};

// A message built on the clone's stack.
class Text {
 public:
  Text& operator<<(const char* s) {
    while (*s && n_ < sizeof(buf_)) buf_[n_++] = *s++;
    return *this;
  }
  Text& operator<<(long v) {
    char digits[24];
    size_t k = 0;
    unsigned long u = v < 0 ? 0UL - static_cast<unsigned long>(v) : static_cast<unsigned long>(v);
    do {
      digits[k++] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u);
    if (v < 0 && n_ < sizeof(buf_)) buf_[n_++] = '-';
    while (k && n_ < sizeof(buf_)) buf_[n_++] = digits[--k];
    return *this;
  }
  const char* data() const { return buf_; }
  size_t size() const { return n_; }

 private:
  char buf_[384];
  size_t n_ = 0;
};

// ERR as Error::message() renders it ("context: op: strerror", protocol.h), then the clone's
// exit. show_errno false: `op` says it all (Error::invalid).
[[noreturn]] void fail(int sock, int code, const char* context, const char* op,
                       bool show_errno = true) {
  Text t;
  t << "ERR " << static_cast<long>(code) << " ";
  if (context) t << context << ": ";
  t << op;
  if (show_errno) {
    // strerrordesc_np: the C locale's text, read from a table (no locale, no TLS); bound
    // before the clone (clone_init).
    const char* desc = ::strerrordesc_np(code);
    t << ": " << (desc ? desc : "Unknown error");
  }
  struct iovec iov = {const_cast<char*>(t.data()), t.size()};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  raw::sendmsg(sock, &msg, MSG_NOSIGNAL);
  raw::exit(1);
}

// Closes every descriptor from `first` on but `a` and `b`.
void close_all_but(unsigned first, int a, int b) {
  unsigned lo = static_cast<unsigned>(a < b ? a : b), hi = static_cast<unsigned>(a < b ? b : a);
  if (first < lo) raw::close_range(first, lo - 1);
  if (lo + 1 < hi && first < hi) raw::close_range(first > lo + 1 ? first : lo + 1, hi - 1);
  raw::close_range(first > hi + 1 ? first : hi + 1, ~0U);
}

// The clone (clone_init): system calls only, on its own stack.
int run_clone(void* p) {
  const CloneArgs& a = *static_cast<const CloneArgs*>(p);
  const InitClone& c = a.c;
  // If jail(8) dies first, PDEATHSIG (or, in the race before it is set, EOF on the channel)
  // ends the init. getppid() cannot tell: the parent is outside the PID namespace.
  if (c.host_end >= 0) raw::close(c.host_end);
  raw::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (c.new_netns) {
    // Before GO: the clone's capabilities in the new user namespace suffice, the uid maps are
    // not needed, and it overlaps jail(8)'s next steps. Owned by the jail's user namespace, as
    // the clone's would have been. NET, which says it exists, is ljail-init's first word: what
    // NET starts in jail(8) runs on this CPU then, idle from there to the plan.
    if (long r = raw::unshare(CLONE_NEWNET); r < 0) {
      fail(c.sock, static_cast<int>(-r), "creating namespaces", "unshare");
    }
    // `lo` up here too, with the capabilities of the clone (0.06-0.12 ms, off the builder's
    // way to the plan); then the builder may enter the namespace (host/builder.h).
    long inet = raw::call(__NR_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (inet < 0) fail(c.sock, static_cast<int>(-inet), nullptr, "socket");
    struct ifreq ifr = {};
    ifr.ifr_name[0] = 'l';
    ifr.ifr_name[1] = 'o';
    if (long r = raw::ioctl(static_cast<int>(inet), SIOCGIFFLAGS, &ifr); r < 0) {
      fail(c.sock, static_cast<int>(-r), nullptr, "SIOCGIFFLAGS lo");
    }
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    if (long r = raw::ioctl(static_cast<int>(inet), SIOCSIFFLAGS, &ifr); r < 0) {
      fail(c.sock, static_cast<int>(-r), nullptr, "bringing lo up");
    }
    raw::close(static_cast<int>(inet));
    if (long r = raw::write(c.net_ready, "N", 1); r < 0) {
      fail(c.sock, static_cast<int>(-r), nullptr, "write");
    }
  }
  if (c.net_ready >= 0) raw::close(c.net_ready);
  // GO (protocol.h), and nothing else: no descriptors either.
  char buf[64];
  char control[CMSG_SPACE(sizeof(int) * 4)];
  struct iovec iov = {buf, sizeof(buf)};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  long got = raw::recvmsg(c.sock, &msg, MSG_CMSG_CLOEXEC);
  if (got < 0) fail(c.sock, static_cast<int>(-got), nullptr, "recvmsg");
  if (got == 0) raw::exit(1);  // jail(8) is gone
  bool go = got == 4 && buf[0] == 'G' && buf[1] == 'O' && buf[2] == ' ' && buf[3] == '0';
  if (!go || msg.msg_controllen != 0 || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
    fail(c.sock, EINVAL, nullptr, "jail init: protocol error waiting for GO", false);
  }
  // Jail root before the exec: ljail-init is not readable by jail root, so the kernel makes
  // the new image undumpable and keeps it out of reach of the jail's ptrace.
  if (c.new_userns) {
    if (long r = raw::setgroups(0, nullptr); r < 0) {
      fail(c.sock, static_cast<int>(-r), "becoming jail root", "setgroups");
    }
    if (long r = raw::setresgid(0); r < 0) {
      fail(c.sock, static_cast<int>(-r), "becoming jail root", "setresgid");
    }
    if (long r = raw::setresuid(0); r < 0) {
      fail(c.sock, static_cast<int>(-r), "becoming jail root", "setresuid");
    }
  }
  // The channel becomes descriptor 3: moved up out of the way first, then down, with nothing
  // else open.
  long sock = raw::fcntl(c.sock, F_DUPFD_CLOEXEC, 100);
  if (sock < 0) fail(c.sock, static_cast<int>(-sock), nullptr, "F_DUPFD");
  long exe = raw::fcntl(c.exe, F_DUPFD_CLOEXEC, 100);
  if (exe < 0) fail(c.sock, static_cast<int>(-exe), nullptr, "F_DUPFD");
  close_all_but(0, static_cast<int>(sock), static_cast<int>(exe));
  if (long r = raw::dup3(static_cast<int>(sock), kInitFds); r < 0) {
    fail(static_cast<int>(sock), static_cast<int>(-r), nullptr, "dup2");
  }
  close_all_but(kInitFds + 1, static_cast<int>(exe), static_cast<int>(exe));
  raw::sigprocmask(SIG_SETMASK, &a.sigmask, nullptr);
  const char* argv[] = {"ljail-init", nullptr};
  const char* envp[] = {nullptr};
  long r = raw::call(__NR_execveat, exe, "", argv, envp, AT_EMPTY_PATH);
  fail(kInitFds, static_cast<int>(-r), nullptr, "executing ljail-init");
}

}  // namespace

Result<sys::CloneResult> clone_init(uint64_t flags, int cgroup_fd, const InitClone& c,
                                    InitStack& stack) {
  // The clone's arguments at the top of its stack, which jail(8) leaves alone (this frame
  // may be gone before the clone runs); its stack below them.
  constexpr size_t kArgs = (sizeof(CloneArgs) + 15) & ~size_t{15};
  static_assert(kArgs < InitStack::kSize);
  auto* args = new (stack.data() + InitStack::kSize - kArgs) CloneArgs;
  args->c = c;
  raw::sigprocmask(SIG_BLOCK, nullptr, &args->sigmask);
  // Bound now: the clone may call it, and must not resolve a symbol in shared memory.
  (void)::strerrordesc_np(0);
  return sys::clone3_vm(flags, cgroup_fd, stack.data(), InitStack::kSize - kArgs, run_clone, args);
}

}  // namespace ljail::child
