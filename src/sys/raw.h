// System calls without a C library, for ljail-init (tools/ljail-init): a glibc program spends
// 0.3 ms of CPU here before main() (most of it asking the CPU for its features and caches,
// each `cpuid` a VM exit on a virtual machine), and every jail start and creation executes
// the init once. Each call returns what the kernel returns: a value >= 0, or -errno.
#pragma once

#include <asm/unistd.h>
#include <linux/types.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ljail::sys::raw {

inline long call6(long n, long a, long b, long c, long d, long e, long f) {
#if defined(__x86_64__)
  register long r10 asm("r10") = d;
  register long r8 asm("r8") = e;
  register long r9 asm("r9") = f;
  long ret;
  asm volatile("syscall"
               : "=a"(ret)
               : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
#elif defined(__aarch64__)
  register long x8 asm("x8") = n;
  register long x0 asm("x0") = a;
  register long x1 asm("x1") = b;
  register long x2 asm("x2") = c;
  register long x3 asm("x3") = d;
  register long x4 asm("x4") = e;
  register long x5 asm("x5") = f;
  asm volatile("svc 0"
               : "+r"(x0)
               : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
               : "memory", "cc");
  return x0;
#else
#error "ljail-init: no system call convention for this architecture"
#endif
}

// Pointers and integers alike become registers.
template <typename T>
long reg(T v) {
  if constexpr (std::is_null_pointer_v<T>) {
    return 0;
  } else if constexpr (std::is_pointer_v<T>) {
    return reinterpret_cast<long>(v);
  } else {
    return static_cast<long>(v);
  }
}

template <typename... Args>
long call(long n, Args... args) {
  static_assert(sizeof...(Args) <= 6);
  long a[6] = {reg(args)...};
  return call6(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

[[noreturn]] inline void exit(int code) {
  for (;;) call(__NR_exit_group, code);
}

inline long read(int fd, void* buf, size_t n) {
  return call(__NR_read, fd, buf, n);
}
inline long write(int fd, const void* buf, size_t n) {
  return call(__NR_write, fd, buf, n);
}
inline long openat(int dirfd, const char* path, int flags, unsigned mode = 0) {
  return call(__NR_openat, dirfd, path, flags, mode);
}
inline long close(int fd) {
  return call(__NR_close, fd);
}
inline long close_range(unsigned first, unsigned last) {
  return call(__NR_close_range, first, last, 0);
}
inline long fcntl(int fd, int cmd, long arg) {
  return call(__NR_fcntl, fd, cmd, arg);
}
inline long dup3(int from, int to) {
  return call(__NR_dup3, from, to, 0);
}
inline long ioctl(int fd, unsigned long req, void* arg) {
  return call(__NR_ioctl, fd, req, arg);
}
inline long getdents64(int fd, void* buf, size_t n) {
  return call(__NR_getdents64, fd, buf, n);
}
inline long chdir(const char* path) {
  return call(__NR_chdir, path);
}
inline long execve(const char* path, char* const* argv, char* const* envp) {
  return call(__NR_execve, path, argv, envp);
}
inline long prctl(int option, unsigned long a, unsigned long b = 0) {
  return call(__NR_prctl, option, a, b, 0, 0);
}
inline long sigprocmask(int how, const uint64_t* set, uint64_t* old) {
  return call(__NR_rt_sigprocmask, how, set, old, sizeof(uint64_t));
}
inline long signalfd(const uint64_t* mask, int flags) {
  return call(__NR_signalfd4, -1, mask, sizeof(uint64_t), flags);
}
inline long fork() {
  // clone(SIGCHLD) is fork(2) on every architecture (arm64 has no fork).
  return call(__NR_clone, 17 /* SIGCHLD */, 0, 0, 0, 0);
}
inline long wait4(int pid, int* status, int options) {
  return call(__NR_wait4, pid, status, options, 0);
}
inline long setsid() {
  return call(__NR_setsid);
}
inline long setgroups(size_t n, const uint32_t* groups) {
  return call(__NR_setgroups, n, groups);
}
inline long setresgid(uint32_t g) {
  return call(__NR_setresgid, g, g, g);
}
inline long setresuid(uint32_t u) {
  return call(__NR_setresuid, u, u, u);
}
inline long setns(int fd, int type) {
  return call(__NR_setns, fd, type);
}
inline long unshare(int flags) {
  return call(__NR_unshare, flags);
}
inline long sethostname(const char* name, size_t n) {
  return call(__NR_sethostname, name, n);
}
inline long setdomainname(const char* name, size_t n) {
  return call(__NR_setdomainname, name, n);
}
inline long sendmsg(int fd, const void* msg, int flags) {
  return call(__NR_sendmsg, fd, msg, flags);
}
inline long recvmsg(int fd, void* msg, int flags) {
  return call(__NR_recvmsg, fd, msg, flags);
}
inline long sendmmsg(int fd, void* msgs, unsigned n, int flags) {
  return call(__NR_sendmmsg, fd, msgs, n, flags);
}
inline long poll(void* fds, unsigned n, int timeout_ms) {
  // ppoll: arm64 has no poll.
  struct {
    long sec, nsec;
  } t = {timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
  return call(__NR_ppoll, fds, n, timeout_ms < 0 ? nullptr : &t, nullptr, 0);
}
inline long pidfd_open(int pid) {
  return call(__NR_pidfd_open, pid, 0);
}
inline long open_tree(int dirfd, const char* path, unsigned flags) {
  return call(__NR_open_tree, dirfd, path, flags);
}
inline long move_mount(int from_fd, const char* from, int to_fd, const char* to, unsigned flags) {
  return call(__NR_move_mount, from_fd, from, to_fd, to, flags);
}
inline long keyctl(int op, long a) {
  return call(__NR_keyctl, op, a);
}
inline long capget(void* header, void* data) {
  return call(__NR_capget, header, data);
}
inline long capset(void* header, const void* data) {
  return call(__NR_capset, header, data);
}
inline long seccomp(unsigned op, unsigned flags, const void* prog) {
  return call(__NR_seccomp, op, flags, prog);
}

}  // namespace ljail::sys::raw
