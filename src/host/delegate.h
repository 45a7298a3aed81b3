// Commands about a jail inside a jail ("parent.child" on the host) are the parent's business:
// the host runs the parent's own jexec or jail, inside the parent, as the parent's root (as a
// FreeBSD administrator would run `jexec parent jexec child`). The host never acts on what
// the parent's registry says (host/children.h): whatever that command does, it does with the
// parent's privileges only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "host/registry.h"

namespace ljail::host {

struct Delegation {
  JailState parent;
  std::string rest;  // the name inside the parent ("child", "child.grandchild")
};

// For a key "parent.rest" whose parent is a running jail here; nullopt otherwise.
std::optional<Delegation> nested_target(const Registry& reg, std::string_view key);
// Runs argv inside the parent as its root, waiting; returns the command's exit code.
Result<int> run_in_parent(const JailState& parent, std::vector<std::string> argv);

}  // namespace ljail::host
