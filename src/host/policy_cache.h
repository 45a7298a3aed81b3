// Compiled privilege policies: the build's for the default policy parameters (built_policy.h);
// any other kept in the registry (registry.h) as "policy.<hash>" files and shared by every
// jail with the same policy parameters (policy_params(): userns, allow.*, the SysV IPC
// switches, children.max), so that jail -c, jexec and the in-jail hooks do not compile the
// seccomp filter with libseccomp each time (1.5 M instructions). A file holds the
// parameters it was compiled from and is used only when they are exactly the caller's, and
// only when it is a regular file of the registry owned by the caller's uid and writable by
// nobody else. A cache: any file may go at any time, and a missing or damaged one is
// compiled and stored again.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "host/policy.h"
#include "host/registry.h"

namespace ljail::host {

// The policy for parameters `p`: the build's, else from the registry's cache, else compiled by
// make_policy() and stored.
Result<Policy> cached_policy(const Registry& reg, const params::ParamSet& p);

// The cache file's name for `p` ("policy." and a hash of its policy parameters), its text for
// `policy` compiled from `p`, and the policy back from such a text when it was compiled from
// exactly `p`'s policy parameters (exposed for the unit tests).
std::string policy_file_name(const params::ParamSet& p);
std::string policy_file_text(const params::ParamSet& p, const Policy& policy);
std::optional<Policy> policy_from_text(const params::ParamSet& p, std::string_view text);

}  // namespace ljail::host
