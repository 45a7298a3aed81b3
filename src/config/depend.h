// Ordering jails by `depend` and by hierarchy (reference 2.9, FreeBSD state.c): a jail comes
// after every jail it depends on, and `a.b` after `a` when `a` is configured.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace ljail::config {

struct DependNode {
  std::string name;
  std::vector<std::string> depends;  // the `depend` parameter
};

struct DependOrder {
  // Indices into the input, dependencies first (stable: file order where free).
  std::vector<size_t> order;
  // For each input index, the indices it must wait for (depend plus configured parent).
  std::vector<std::vector<size_t>> waits_for;
  // For each input index, why it cannot be ordered ("" when it can), as FreeBSD marks only
  // the jails concerned as failed: `depends on undefined jail "X"` (unless `allow_undefined`,
  // for jails that only need X to be running already) or `dependency loop` (every jail on it).
  std::vector<std::string> errors;
};

DependOrder order_jails(const std::vector<DependNode>& nodes, bool allow_undefined = false);

}  // namespace ljail::config
