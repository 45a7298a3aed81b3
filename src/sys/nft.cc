#include "sys/nft.h"

#include <sys/wait.h>

#include "base/strings.h"
#include "sys/host_helper.h"

namespace ljail::sys {

Result<std::string> nft_run(const std::string& cmds) {
  HelperRun r = LJ_TRY(run_host_helper({"nft"}, cmds));
  if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0) return std::move(r.out);
  std::string first(trim(std::string_view(r.err).substr(0, r.err.find('\n'))));
  if (first.rfind("Error: ", 0) == 0) first = first.substr(7);
  return Error::invalid("nftables: " + (first.empty() ? "command refused" : first));
}

}  // namespace ljail::sys
