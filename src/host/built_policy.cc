#include "host/built_policy.h"

namespace ljail::host {

std::optional<Policy> built_policy_for(const params::ParamSet& p) {
  const BuiltPolicy& built = built_policy();
  if (built.seccomp != seccomp_library_version() || built.fields != policy_fields(p)) {
    return std::nullopt;
  }
  Policy out;
  out.drop_caps = built.drop_caps;
  out.bpf.assign(built.bpf.begin(), built.bpf.end());
  return out;
}

}  // namespace ljail::host
