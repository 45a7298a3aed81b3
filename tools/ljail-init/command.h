// A command jail(8) asks the init to run (RUN, child/plan.h RunSpec): its fields copied out of
// the message as C strings before the fork, then, in the forked child, its descriptors,
// session, credentials and working directory set and the program executed as execvp(3) would
// (a PATH search in the command's own environment, scripts without #! run by /bin/sh).
#pragma once

#include <cstdint>
#include <string_view>

#include "child/wire.h"
#include "rt.h"

namespace ljail::init {

struct Command {
  char** argv = nullptr;
  char** envp = nullptr;
  char** script_argv = nullptr;  // room for "/bin/sh", the file, argv[1...], null
  size_t argc = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  const uint32_t* groups = nullptr;
  size_t ngroups = 0;
  const char* cwd = "/";
  std::string_view program = "jail";
  bool background = false;
};

// The run's fields as C strings in static storage (valid until the next prepare()).
Command prepare(const child::wire::RunView& run);

// In the forked child: `fds` become 0, 1 and 2; never returns (126 and a message on the
// command's stderr if it cannot be executed).
[[noreturn]] void exec_command(const Command& c, const int fds[3]);

}  // namespace ljail::init
