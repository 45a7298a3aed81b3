// Running the external programs mkjail drives (debootstrap, tar, zstd) with posix_spawn.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace mkjail {

// Set by the SIGINT/SIGTERM/SIGHUP handler that main() installs; a running program is sent
// SIGTERM when it is set.
bool interrupted();
void install_interrupt_handlers();

// The full path of `name` in PATH or the sbin directories (root's PATH under sudo often lacks
// them), or nullopt.
std::optional<std::string> find_program(const std::string& name);

struct Command {
  std::vector<std::string> argv;  // argv[0] is a full path
  // The program's output (standard error, and standard output unless stdout_file is set) is
  // read line by line ('\n' or '\r' ends a line) and handed over here; by default each line
  // is printed on standard error as "mkjail: PROGRAM: LINE".
  std::function<void(std::string_view)> on_line;
  // When set, the program's standard output goes to this file (created 0644, truncated).
  std::string stdout_file;
};

// Runs the command and waits for it. Returns its exit status as a shell reports it (the code,
// or 128 + signal); an error only when it could not be started.
ljail::Result<int> run(const Command& cmd);

}  // namespace mkjail
