// Name rules of jail(8)'s config.c: which parameter names are the same (equalopts), which block
// names are wildcards and what they match, which block names are numeric, and the parameters
// jail(8) itself knows (a variable may not take their names).
#pragma once

#include <string_view>

namespace ljail::config {

// "opt" and "noopt" (also "foo.opt" and "foo.noopt") name one parameter.
bool equalopts(std::string_view a, std::string_view b);
// A block name that sets `jid` rather than `name`: strtol(3) parses all of it to a non-zero
// number (so "0" is a name, "007" and "-5" are jids).
bool is_numeric_name(std::string_view name);
// jail(8)'s own parameter table (config.c intparams[]), matched with equalopts.
enum class KnownParam { None, Name, Jid, Other };
KnownParam known_param(std::string_view name);

}  // namespace ljail::config
