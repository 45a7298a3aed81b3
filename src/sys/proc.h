// Processes and namespaces: clone3, pidfds, setns/unshare, waiting, prctl, descriptor passing.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace ljail::sys {

struct CloneResult {
  pid_t pid = 0;   // 0 in the child
  UniqueFd pidfd;  // the child's pidfd, in the parent
};
// clone3 with CLONE_PIDFD, `flags` (CLONE_NEW*), SIGCHLD as exit signal and, when
// cgroup_fd >= 0, CLONE_INTO_CGROUP.
Result<CloneResult> clone3(uint64_t flags, int cgroup_fd = -1);
// As clone3(), but the child shares this process's memory (CLONE_VM) until it executes a
// program, as posix_spawn's does: no copy of the address space, no copy-on-write faults on
// either side, nothing to tear down at its exec. The child runs fn(arg) on `stack` (`size`
// bytes, its end 16-byte aligned; the child's until it has executed or exited) with every
// signal blocked, and exits with fn's value. This process goes on meanwhile: fn may make
// system calls only (sys/raw.h) and touch only its stack and what this process leaves alone
// (no allocation, no errno, no lazily bound library call). Where there is no trampoline (only
// x86-64 has one), the child gets a copy of the memory instead and runs fn the same way.
Result<CloneResult> clone3_vm(uint64_t flags, int cgroup_fd, void* stack, size_t size,
                              int (*fn)(void*), void* arg);
Result<pid_t> fork();

Result<UniqueFd> pidfd_open(pid_t pid);
// A descriptor of a namespace of the process `pid` (whose pidfd is `pidfd`): `kind` as in
// /proc/PID/ns ("user", "pid", "net", ...). Through the pidfd (an ioctl, Linux 6.11) where the
// kernel can, else through /proc/PID/ns/KIND (a lookup of the process in /proc costs more).
Result<UniqueFd> namespace_of(int pidfd, pid_t pid, const std::string& kind);
Ok pidfd_send_signal(int pidfd, int sig);
Ok setns(int fd, int nstype);
Ok unshare(int flags);
// waitpid(pid, &status, 0) retrying on EINTR; returns the raw status.
Result<int> waitpid(pid_t pid, int flags = 0);
// Waits until the process of `pidfd` has exited (-1: no limit); false when the time ran out.
bool wait_exit(int pidfd, int timeout_ms);
// Waits until `fd` is readable (-1: no limit); false when the time ran out.
bool wait_readable(int fd, int timeout_ms);
// Exit status as a shell reports it: the code, or 128 + signal.
int exit_code(int wait_status);

Ok prctl(int option, unsigned long arg2, unsigned long arg3 = 0);
// execvp(argv[0]) with `env` as the whole environment; returns only on failure
// ("exec ARGV0: ...").
Error exec_with_env(const std::vector<std::string>& argv, const std::vector<std::string>& env);
Ok close_range_from(unsigned first, const std::vector<int>& keep = {});

Result<std::pair<UniqueFd, UniqueFd>> socketpair_seqpacket();
// One message with optional descriptors (SCM_RIGHTS); recv_msg() takes up to kMaxMessage bytes
// of one (a longer one is an error: EMSGSIZE).
inline constexpr size_t kMaxMessage = 65536;
Ok send_msg(int sock, const std::string& data, const std::vector<int>& fds = {});
struct Message {
  std::string data;  // empty with eof = true when the peer closed
  std::vector<UniqueFd> fds;
  bool eof = false;
};
Result<Message> recv_msg(int sock);

// Field 22 of /proc/PID/stat (start time in clock ticks since boot), the other half of a
// process identity that survives PID reuse. A zombie (or dead) process is ESRCH: it has
// exited, whether or not its parent has reaped it yet.
Result<uint64_t> process_start_time(pid_t pid);

// The fields of /proc/PID/stat that ljail reads.
struct ProcStat {
  char state = '?';         // field 3: R, S, D, Z, X, ...
  uint64_t flags = 0;       // field 9: PF_* (PF_EXITING is 0x4)
  uint64_t start_time = 0;  // field 22
  bool exited() const { return state == 'Z' || state == 'X'; }
};
// Parses the text of a /proc/PID/stat file (the command name may hold spaces and ')').
std::optional<ProcStat> parse_proc_stat(std::string_view text);
Result<ProcStat> process_stat(pid_t pid);

}  // namespace ljail::sys
