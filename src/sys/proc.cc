#include "sys/proc.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "base/strings.h"
#include "sys/dirfile.h"
#include "sys/file.h"
#include "sys/raw.h"

extern char** environ;

namespace ljail::sys {

namespace {

// clone3's arguments: CLONE_PIDFD into `pidfd`, SIGCHLD at exit, and CLONE_INTO_CGROUP when
// cgroup_fd >= 0.
struct clone_args clone_args_for(uint64_t flags, int cgroup_fd, int* pidfd) {
  struct clone_args args = {};
  args.flags = flags | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uint64_t>(pidfd);
  args.exit_signal = SIGCHLD;
  if (cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(cgroup_fd);
  }
  return args;
}

}  // namespace

Result<CloneResult> clone3(uint64_t flags, int cgroup_fd) {
  int pidfd = -1;
  struct clone_args args = clone_args_for(flags, cgroup_fd, &pidfd);
  long r = ::syscall(SYS_clone3, &args, sizeof(args));
  if (r < 0) return Error::sys(errno, "clone3");
  CloneResult out;
  out.pid = static_cast<pid_t>(r);
  if (r > 0) out.pidfd.reset(pidfd);
  return out;
}

namespace {

// clone3 whose child calls fn(arg) on the stack the arguments give it and exits with its value.
long clone3_call(struct clone_args* args, int (*fn)(void*), void* arg) {
#if defined(__x86_64__)
  // The kernel keeps every register but rax, rcx and r11 in the child, whose rsp is the new
  // stack's top: fn and arg come through r12 and r13, and the frame pointer is cleared.
  register long r12 asm("r12") = reinterpret_cast<long>(fn);
  register long r13 asm("r13") = reinterpret_cast<long>(arg);
  long ret;
  asm volatile(
      "syscall\n\t"
      "test %%rax, %%rax\n\t"
      "jnz 1f\n\t"
      "xor %%ebp, %%ebp\n\t"
      "mov %%r13, %%rdi\n\t"
      "call *%%r12\n\t"
      "mov %%eax, %%edi\n\t"
      "mov %[exit], %%eax\n\t"
      "syscall\n\t"
      "hlt\n"
      "1:\n\t"
      : "=a"(ret)
      : "a"(static_cast<long>(SYS_clone3)), "D"(args), "S"(sizeof(*args)), "r"(r12),
        "r"(r13), [exit] "i"(SYS_exit)
      : "rcx", "r11", "memory");
  return ret;
#else
  args->flags &= ~static_cast<uint64_t>(CLONE_VM);
  args->stack = 0;
  args->stack_size = 0;
  long ret = ::syscall(SYS_clone3, args, sizeof(*args));
  if (ret == 0) ::syscall(SYS_exit, fn(arg));
  return ret < 0 ? -errno : ret;
#endif
}

}  // namespace

Result<CloneResult> clone3_vm(uint64_t flags, int cgroup_fd, void* stack, size_t size,
                              int (*fn)(void*), void* arg) {
  int pidfd = -1;
  struct clone_args args = clone_args_for(flags | CLONE_VM, cgroup_fd, &pidfd);
  // The child starts with its stack pointer at the stack's end.
  args.stack = reinterpret_cast<uint64_t>(stack);
  args.stack_size = size;
  // No handler of this process may run on the child's stack: it starts with every signal
  // blocked and sets its own mask before it executes.
  uint64_t all = ~uint64_t{0}, old = 0;
  raw::sigprocmask(SIG_SETMASK, &all, &old);
  long r = clone3_call(&args, fn, arg);
  raw::sigprocmask(SIG_SETMASK, &old, nullptr);
  if (r < 0) return Error::sys(static_cast<int>(-r), "clone3");
  CloneResult out;
  out.pid = static_cast<pid_t>(r);
  out.pidfd.reset(pidfd);
  return out;
}

Result<pid_t> fork() {
  pid_t p = ::fork();
  if (p < 0) return Error::sys(errno, "fork");
  return p;
}

Result<UniqueFd> pidfd_open(pid_t pid) {
  // glibc 2.36 declares pidfd_open without C linkage: call the kernel directly.
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return Error::sys(errno, "pidfd_open " + std::to_string(pid));
  return UniqueFd(fd);
}

Result<UniqueFd> namespace_of(int pidfd, pid_t pid, const std::string& kind) {
  // PIDFD_GET_*_NAMESPACE of <linux/pidfd.h> (Linux 6.11; not in Debian 12's headers):
  // _IO(0xFF, n); the kernel opens the descriptor close-on-exec.
  static constexpr struct {
    const char* kind;
    unsigned long nr;
  } kIoctls[] = {{"cgroup", 1}, {"ipc", 2},  {"mnt", 3}, {"net", 4},
                 {"pid", 5},    {"user", 9}, {"uts", 10}};
  for (const auto& k : kIoctls) {
    if (kind != k.kind) continue;
    int fd = ::ioctl(pidfd, _IO(0xFF, k.nr), 0);
    if (fd >= 0) return UniqueFd(fd);
    // Only an older kernel (no such ioctl) goes to /proc; a dead process is an error.
    if (errno != ENOTTY && errno != EINVAL && errno != EOPNOTSUPP) {
      return Error::sys(errno, "namespace " + kind + " of " + std::to_string(pid));
    }
    break;
  }
  return open("/proc/" + std::to_string(pid) + "/ns/" + kind, O_RDONLY);
}

Ok pidfd_send_signal(int pidfd, int sig) {
  if (::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) < 0) {
    return Error::sys(errno, "pidfd_send_signal");
  }
  return {};
}

Ok setns(int fd, int nstype) {
  if (::setns(fd, nstype) < 0) return Error::sys(errno, "setns");
  return {};
}

Ok unshare(int flags) {
  if (::unshare(flags) < 0) return Error::sys(errno, "unshare");
  return {};
}

Result<int> waitpid(pid_t pid, int flags) {
  int status = 0;
  while (true) {
    pid_t r = ::waitpid(pid, &status, flags);
    if (r >= 0) return status;
    if (errno != EINTR) return Error::sys(errno, "waitpid");
  }
}

bool wait_readable(int fd, int timeout_ms) {
  struct pollfd p = {fd, POLLIN, 0};
  int r;
  while ((r = ::poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) {
  }
  return r != 0;
}

bool wait_exit(int pidfd, int timeout_ms) {
  return wait_readable(pidfd, timeout_ms);
}

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

Error exec_with_env(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  if (argv.empty()) return Error::sys(ENOENT, "exec");
  std::vector<std::string> a = argv, e = env;
  std::vector<char*> args, envp;
  for (auto& s : a) args.push_back(s.data());
  args.push_back(nullptr);
  for (auto& s : e) envp.push_back(s.data());
  envp.push_back(nullptr);
  environ = envp.data();
  ::execvp(args[0], args.data());
  return Error::sys(errno, "exec " + argv[0]);
}

Ok prctl(int option, unsigned long arg2, unsigned long arg3) {
  if (::prctl(option, arg2, arg3, 0, 0) < 0) return Error::sys(errno, "prctl");
  return {};
}

Ok close_range_from(unsigned first, const std::vector<int>& keep) {
  std::vector<int> k = keep;
  std::sort(k.begin(), k.end());
  unsigned next = first;
  for (int fd : k) {
    if (fd < 0 || static_cast<unsigned>(fd) < next) continue;
    if (static_cast<unsigned>(fd) > next &&
        ::close_range(next, static_cast<unsigned>(fd) - 1, 0) < 0) {
      return Error::sys(errno, "close_range");
    }
    next = static_cast<unsigned>(fd) + 1;
  }
  if (::close_range(next, ~0U, 0) < 0) return Error::sys(errno, "close_range");
  return {};
}

Result<std::pair<UniqueFd, UniqueFd>> socketpair_seqpacket() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
    return Error::sys(errno, "socketpair");
  }
  return std::make_pair(UniqueFd(sv[0]), UniqueFd(sv[1]));
}

namespace {
constexpr size_t kMaxFds = 8;
}  // namespace

Ok send_msg(int sock, const std::string& data, const std::vector<int>& fds) {
  if (fds.size() > kMaxFds) return Error::invalid("send_msg: too many descriptors");
  struct iovec iov = {const_cast<char*>(data.data()), data.size()};
  char dummy = 0;
  if (data.empty()) iov = {&dummy, 1};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  if (!fds.empty()) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  while (::sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
    if (errno != EINTR) return Error::sys(errno, "sendmsg");
  }
  return {};
}

Result<Message> recv_msg(int sock) {
  // Not zero-filled: only the pages the message lands in are ever touched (the jail init keeps
  // what its heap once touched).
  std::unique_ptr<char[]> buf(new char[kMaxMessage]);
  struct iovec iov = {buf.get(), kMaxMessage};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t n;
  while ((n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0) {
    if (errno != EINTR) return Error::sys(errno, "recvmsg");
  }
  Message out;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; ++i) {
        int fd;
        std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        out.fds.emplace_back(fd);
      }
    }
  }
  // A message cut short is not taken for a whole one (its descriptors close with `out`).
  if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) return Error::sys(EMSGSIZE, "recvmsg");
  if (n == 0) {
    out.eof = true;
    return out;
  }
  out.data.assign(buf.get(), static_cast<size_t>(n));
  return out;
}

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  // The command name (field 2) may hold spaces and parentheses: start after the last ')'.
  auto close = text.rfind(')');
  if (close == std::string_view::npos || close + 2 >= text.size()) return std::nullopt;
  // Fields 3 (state), 9 (flags) and 22 (start), counted from field 3 without splitting the
  // rest (every registry reader does this once per jail).
  std::string_view field[20];
  size_t n = 0;
  std::string_view rest = text.substr(close + 2);
  while (n < 20) {
    auto sp = rest.find(' ');
    field[n++] = rest.substr(0, sp);
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  if (n < 20 || field[0].size() != 1) return std::nullopt;
  auto flags = parse_uint(field[6]);
  auto start = parse_uint(field[19]);
  if (!flags || !start) return std::nullopt;
  return ProcStat{field[0][0], *flags, *start};
}

Result<ProcStat> process_stat(pid_t pid) {
  // One read(2): the kernel makes the whole line at the first read.
  std::string text;
  LJ_TRY(read_file_at(AT_FDCWD, ("/proc/" + std::to_string(pid) + "/stat").c_str(), &text));
  auto st = parse_proc_stat(text);
  if (!st) return Error::invalid("malformed /proc/" + std::to_string(pid) + "/stat");
  return *st;
}

Result<uint64_t> process_start_time(pid_t pid) {
  auto st = LJ_TRY(process_stat(pid));
  if (st.exited()) return Error::sys(ESRCH, "process " + std::to_string(pid));
  return st.start_time;
}

}  // namespace ljail::sys
