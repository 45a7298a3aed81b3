// jls(8) output: the default table, -v, parameter mode (-n/-q/-s/-h) and the libxo JSON/XML
// encodings (freebsd-jail.md section 4). Pure formatting of already listed jails.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "lib/jail.h"

namespace ljail::lib {

// The flags after jls's order-dependent flag algebra (tools/jls/main.cc does it in getopt
// order, as FreeBSD does). format_jls() applies the static rules again, so any combination is
// well defined: -h clears -s and -v, -n clears -v, -s sets -n and -q; named parameters clear -v.
struct JlsOptions {
  enum class Libxo { Text, Json, Xml };

  bool header = false;       // -h: a line of parameter names first
  bool name_column = false;  // -N: the default table shows names instead of jids
  bool name_value = false;   // -n: name=value, booleans as name / noname
  bool quote = false;        // -q: quote values holding spaces or quotes
  bool save = false;         // -s: -nq, skipping read-only and unused parameters
  bool verbose = false;      // -v: the multi-line summary
  bool dying = false;        // -d: include dying jails
  Libxo libxo = Libxo::Text;
  // Named parameters in command-line order; `all` expands to every kernel parameter.
  std::vector<std::string> params;
};

// The whole output for `jails` (already in jid order). Fails only for a named parameter jls
// does not know: `unknown parameter: X`.
Result<std::string> format_jls(const std::vector<JailView>& jails, const JlsOptions& opts);

}  // namespace ljail::lib
