// The jail's privilege policy from its allow.* parameters (design.md 2.1-2.2, security.md 1.3
// and 1.5): the capability bounding set and the seccomp filter every process of the jail runs
// under, the init and everything jexec or jail(8) starts alike. Pure: computed on the host
// (libseccomp exports the BPF program) and unit tested.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <vector>

#include "base/result.h"
#include "params/params.h"

namespace ljail::host {

struct Policy {
  uint64_t drop_caps = 0;               // capabilities removed from the bounding set (bit = cap)
  std::vector<struct sock_filter> bpf;  // the seccomp program
};

// Computed from policy_params(p) alone.
Result<Policy> make_policy(const params::ParamSet& p);
// The parameters a policy depends on (userns, allow.*, sysvmsg, sysvsem, sysvshm,
// children.max), and nothing else: make_policy() reads only these, so they are a complete key
// for a cache of compiled policies (policy_cache.h).
params::ParamSet policy_params(const params::ParamSet& p);
bool is_policy_param(std::string_view name);
// The effective value (set or default) of every policy parameter as one unambiguous text, in
// table order, every field with its length in front: equal for two parameter sets exactly when
// make_policy() gives them the same policy.
std::string policy_fields(const params::ParamSet& p);
// "libseccomp MAJOR.MINOR.MICRO", of the library that compiles the filter.
std::string seccomp_library_version();

}  // namespace ljail::host
