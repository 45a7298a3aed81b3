// The compiled privilege policy of a running jail, kept in its registry as "<jid>.policy"
// (registry.h), so that jexec and the in-jail hooks of jail(8) do not compile the seccomp
// filter with libseccomp at every attach (1.5 M instructions, 40 % of a jexec). The cache
// holds the parameters it was compiled from; a jail -m that changes them makes it stale and
// the next attach compiles and stores it again. It is used only when it is a regular file
// of the registry owned by the caller's uid and writable by nobody else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "host/policy.h"
#include "host/registry.h"

namespace ljail::host {

// The policy of jail `s`: from the cache when it matches the jail's parameters, else compiled
// by make_policy() and stored (while the jail's state file is still there).
Result<Policy> jail_policy(const Registry& reg, const JailState& s);
// Stores `policy`, compiled from the parameters of `s`, for the attaches to come, while the
// jail's state file is there (jail -c can call it with the policy it gives the init, so that
// not even the first attach compiles it).
Ok save_policy(const Registry& reg, const JailState& s, const Policy& policy);

// The cache file's text for `policy` compiled from `p`, and the policy back from such a text
// when it was compiled from exactly `p` (exposed for the unit tests).
std::string policy_file_text(const params::ParamSet& p, const Policy& policy);
std::optional<Policy> policy_from_text(const params::ParamSet& p, std::string_view text);

}  // namespace ljail::host
