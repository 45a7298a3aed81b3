#include "host/delegate.h"

#include "host/attach.h"
#include "host/lifecycle.h"
#include "sys/proc.h"

namespace ljail::host {

std::optional<Delegation> nested_target(const Registry& reg, std::string_view key) {
  // Names may hold dots here too ("a.b" can be a jail of this host): the longest prefix that
  // names a running jail with children is the parent.
  for (auto dot = key.rfind('.'); dot != std::string_view::npos && dot > 0;
       dot = key.rfind('.', dot - 1)) {
    if (dot + 1 == key.size()) continue;
    auto parent = find_running(reg, key.substr(0, dot));
    if (!parent || parent->params.get_int("children.max") <= 0) continue;
    return Delegation{std::move(*parent), std::string(key.substr(dot + 1))};
  }
  return std::nullopt;
}

Result<int> run_in_parent(const JailState& parent, std::vector<std::string> argv) {
  AttachSpec spec;
  spec.argv = std::move(argv);
  spec.id = LJ_TRY(jail_identity(parent, std::nullopt, std::nullopt, false));
  spec.env = command_environment(spec.id, false, kRootPath);
  // The parent's tools use the parent's registry, never the one named for this host's.
  std::erase_if(spec.env, [](const std::string& e) { return e.rfind("LJAIL_RUNDIR=", 0) == 0; });
  auto status = LJ_TRY(attach_and_wait(parent, spec));
  return sys::exit_code(status);
}

}  // namespace ljail::host
