// Running commands inside a running jail: jexec, and the in-jail hooks of jail(8)
// (exec.start, command, exec.stop). Every namespace of the jail is entered at once (pidfd +
// setns), the jail's cgroups joined, the credentials taken, every descriptor but 0-2 closed.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "host/registry.h"

namespace ljail::host {

struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  std::string name = "root";
  std::string home = "/root";
  std::string shell = "/bin/sh";
  bool known = false;  // a user was named (or -l given): USER, HOME and SHELL are set
};

// A user for a command in the jail: `jail_user` from the jail's passwd, else `host_user` from
// the host's, else (with `login`) the caller's host entry, else jail root.
Result<Identity> jail_identity(const JailState& s, const std::optional<std::string>& host_user,
                               const std::optional<std::string>& jail_user, bool login);
// The environment of a command for `id`: with `clean`, TERM plus `path` (and USER, HOME, SHELL
// when the user is known); otherwise the caller's environment with those three replaced.
// Debian's login PATHs for root and for other users (FreeBSD takes PATH from login.conf).
inline constexpr const char* kRootPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
inline constexpr const char* kUserPath = "/usr/local/bin:/usr/bin:/bin";
std::vector<std::string> command_environment(const Identity& id, bool clean,
                                             const std::string& path);

struct AttachSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  Identity id;
  std::string cwd = "/";
  int output_fd = -1;             // when >= 0: stdout and stderr of the command
  bool background = false;        // setsid, not waited for (FreeBSD's trailing '&')
  std::string program = "jexec";  // names the tool in messages from inside the jail
  // When set, called inside the jail (with the jail's credentials and policy) instead of
  // exec'ing argv; its result is the exit status.
  std::function<int()> internal;
};

// In the calling process (jexec): enters the jail, forks the command and waits for it.
// Returns the command's wait status. The caller is left inside the jail's namespaces.
Result<int> attach_and_wait(const JailState& s, const AttachSpec& spec);
// From a forked helper, so the caller keeps its host namespaces and credentials (jail(8)'s
// hooks). Returns the wait status; `timeout` seconds (0: none) passed is an error
// ("timed out") and the command is left running, as FreeBSD does.
Result<int> run_in_jail(const JailState& s, const AttachSpec& spec, int timeout);

}  // namespace ljail::host
