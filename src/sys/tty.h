// Pseudo-terminals: a jail's /dev/console is one of its own devpts ptys.
#pragma once

#include <string>
#include <utility>

#include "base/result.h"
#include "base/unique_fd.h"

namespace ljail::sys {

// Opens `ptmx` (a devpts multiplexer), unlocks the new pty and returns the master with the
// path of its slave ("/dev/pts/N", relative to the devpts instance's usual place).
Result<std::pair<UniqueFd, std::string>> open_pty(const std::string& ptmx);

}  // namespace ljail::sys
