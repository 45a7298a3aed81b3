// ljail-host (tools/ljail-host), the dynamically linked helper beside jail(8): nftables and
// name resolution, which a static program cannot load into itself.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace ljail::sys {

struct HelperRun {
  int status = 0;   // the helper's wait status
  std::string out;  // its stdout
  std::string err;  // its stderr
};

// Runs `ljail-host ARGS...` with `input` on its stdin and nothing else of this process (a
// clean environment, no other descriptor); waits for it.
Result<HelperRun> run_host_helper(const std::vector<std::string>& args, const std::string& input);

// The addresses (numeric text) the C library resolves `name` to; its message when none.
Result<std::vector<std::string>> resolve_name(const std::string& name);

}  // namespace ljail::sys
