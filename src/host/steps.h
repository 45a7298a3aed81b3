// jail(8)'s create and remove sequences as ordered step tables (reference 2.9-2.11, design.md 3).
// Create walks forwards; a failure walks back through the steps already done, running only
// their "down" halves (never the user's hooks). Remove stops at a failing exec.prestop or
// exec.stop (the jail keeps running); after the jail is gone, later failures are reported and
// the remaining steps still run.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "host/registry.h"
#include "params/params.h"

namespace ljail::host {

struct Job {
  std::string name;  // the configured name, "" for a command-line jail
  params::ParamSet params;
  // `command=` from the command line: exec'd directly as argv (no shell rule).
  std::vector<std::string> argv_command;
};

struct Reporter {
  bool quiet = false;
  bool verbose = false;
  bool print_jid = false;                       // -i
  std::string jid_file;                         // -J
  bool config = false;                          // jails come from a configuration file
  std::function<void(const std::string&)> out;  // stdout lines
  std::function<void(const std::string&)> err;  // stderr lines, without "jail: "
};

// Creates the jail of `job`. Errors are already reported through `rep`; returns the state of
// the created jail when it still runs (or ran) to the end of the sequence.
Result<JailState> create_job(const Registry& reg, Job& job, const Reporter& rep);
// Removes the running jail `s` with the hooks of `job` (its configuration, or what the jail was
// created with). `with_hooks` false: jail -R.
Ok remove_job(const Registry& reg, const Job& job, const JailState& s, bool with_hooks,
              const Reporter& rep);
// jail -C: the steps that follow removal (exec.poststop, exec.release) for a jail already gone.
Ok cleanup_job(const Job& job, const Reporter& rep);

}  // namespace ljail::host
