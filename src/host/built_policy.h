// The policy of a jail whose policy parameters all have their defaults (most jails), compiled
// when ljail was built (tools/policy-gen writes it), so that jail -c and jexec use it without
// compiling the seccomp filter (libseccomp, 1.5 M instructions) or reading a cache file.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "host/policy.h"

namespace ljail::host {

struct BuiltPolicy {
  std::string_view seccomp;  // seccomp_library_version() of the build
  std::string_view fields;   // policy_fields() of the defaults
  uint64_t drop_caps;
  std::span<const struct sock_filter> bpf;
};

// The build's policy (defined in the generated built_policy.cc).
const BuiltPolicy& built_policy();

// The build's policy when `p` is what it was compiled from (every policy parameter at its
// default) and the libseccomp that runs is the one that compiled it (a newer one may know
// more system calls by name); else nothing, and the policy is compiled (policy_cache.h).
std::optional<Policy> built_policy_for(const params::ParamSet& p);

}  // namespace ljail::host
