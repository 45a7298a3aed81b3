// The host side of a jail's /dev/console (exec.init): a small process that holds the pty's
// master for as long as the jail's init lives, so the console never hangs up, and copies what
// the jail writes there to exec.consolelog (or drops it).
#pragma once

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"
#include "host/registry.h"

namespace ljail::host {

// Starts the relay (detached: it outlives jail(8)). `log` may be empty.
Ok start_console_relay(UniqueFd master, const JailState& s, const std::string& log);

}  // namespace ljail::host
