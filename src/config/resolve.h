// From the parsed blocks to the jails (reference 3.4 and 3.5, jail(8)'s load_config): for each
// non-wildcard block, the implied name (or jid), then the global and wildcard blocks and the
// jail's own block merged by file position, then variables substituted.
#pragma once

#include <vector>

#include "base/result.h"
#include "config/ast.h"
#include "config/config.h"

namespace ljail::config {

// Fails only when a Limits bound is exceeded; per-jail errors go to ConfJail::errors.
Result<std::vector<ConfJail>> resolve(const RawConfig& config, const Limits& limits);

}  // namespace ljail::config
