// jexec: running a command in a running jail (design.md 2).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "host/registry.h"

namespace ljail::host {

struct AttachRequest {
  std::vector<std::string> argv;         // empty: $SHELL -i
  bool login = false;                    // -l: clean environment, user's home
  std::optional<std::string> host_user;  // -u: looked up on the host
  std::optional<std::string> jail_user;  // -U: looked up in the jail
  std::optional<std::string> workdir;    // -d
};

// Enters every namespace of the jail at once (pidfd + setns), joins its cgroups, takes the
// credentials, closes every descriptor but 0-2 and runs the command. Returns the command's
// exit status (128 + signal when it was killed).
Result<int> attach(const JailState& s, const AttachRequest& req);

}  // namespace ljail::host
