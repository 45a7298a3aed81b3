// How jail(8) runs the exec.* hooks (reference 2.12): the shell-or-exec rule, the trailing '&'
// rule, and running a command on the host with the jail's JID, JNAME and JPATH.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ljail::host {

struct CommandLine {
  std::vector<std::string> argv;
  bool background = false;  // a trailing '&': setsid, not waited for
};

// A string with any of ! " $ & ' ( ) * ; < > ? [ \ ] ` { | } ~ runs as /bin/sh -c STRING,
// unless its only such character is a trailing '&' (then it runs directly, in the background);
// any other string is split on whitespace and run with execvp.
CommandLine parse_command(std::string_view text);

// "exited on signal N" / "failed" / "" (success) for a wait status, as jail(8) reports it.
std::string describe_status(int wait_status);

// Runs a command on the host as `user` (host passwd; empty: unchanged) with `env`.
// Returns the wait status; `timeout` seconds passed (0: no limit) is an ETIMEDOUT error and the
// command keeps running, as FreeBSD's jail(8) does.
Result<int> run_host_command(const CommandLine& cmd, const std::vector<std::string>& env,
                             const std::string& user, int timeout, const std::string& cwd = "");

}  // namespace ljail::host
