// nftables: commands in the nft(8) language, each call one transaction, run by libnftables in
// the helper ljail-host (host_helper.h): jail(8) is a static program, which cannot load the
// library into itself. Only a jail(8) that makes or removes an ip4.nat table runs it.
#pragma once

#include <string>

#include "base/result.h"

namespace ljail::sys {

// Runs `cmds` (nft(8) syntax, one command a line) as one transaction: the kernel applies all of
// them or none. Returns what nft prints (listings); a refusal carries nft's first error line.
Result<std::string> nft_run(const std::string& cmds);

}  // namespace ljail::sys
