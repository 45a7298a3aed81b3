// The init's plan on the wire, which jail(8) sends to ljail-init after the exec, and the
// commands it asks the init to run (protocol.h, RUN). Flat sequences of length-prefixed
// fields; the reader checks every length.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "child/plan.h"

namespace ljail::child {

std::string encode_plan(const InitPlan& plan);
Result<InitPlan> decode_plan(std::string_view data);
std::string encode_run(const RunSpec& run);
Result<RunSpec> decode_run(std::string_view data);

}  // namespace ljail::child
