// jail.conf(5): load a configuration file (with its .include files) and resolve it into the
// jails it defines, the way FreeBSD's jail(8) does (reference section 3). Pure: the only input
// is read through the injected FileReader and Globber, so tests use in-memory files.
//
// Two kinds of failure, as in jail(8):
//  - A bad file (syntax, unterminated string/comment/variable, a missing include, include depth)
//    fails the whole load; the Error's text is FreeBSD's, e.g. "FILE line N: TOKEN: syntax error"
//    or "FILE: unexpected EOF" (jail(8) prints it after "jail: " and exits 1).
//  - A bad jail (cannot redefine parameter "name"., a variable not found, a variable loop, ...)
//    marks only that jail as failed: the load succeeds and ConfJail::errors holds the messages,
//    each "NAME: text" (jail_warnx). jail(8) prints them all while loading, for every jail.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ljail::config {

struct ConfParam {
  std::string name;
  // No values for the bare form `p;`; several for a list `p = a, b;` or `p += c;`.
  std::vector<std::string> values;
  // Where the parameter was last assigned (the block header for the implied name/jid).
  std::string file;
  int line = 0;
};

struct ConfJail {
  // The block name: "foo", "5309" (a numeric name sets jid, and name unless set), "a.b" for a
  // block `b` nested in `a`.
  std::string name;
  // Resolved parameters in jail(8)'s order: the implied `name` (or `jid`) first, then the rest in
  // the order they were first set (merged with globals and wildcards by position), variables
  // substituted and removed.
  std::vector<ConfParam> params;
  std::string file;
  int line = 0;
  // Per-jail errors, FreeBSD text with the jail name: `foo: cannot redefine parameter "name".`
  std::vector<Error> errors;

  bool failed() const { return !errors.empty(); }
  // The parameter called exactly `param_name`, or nullptr.
  const ConfParam* find(std::string_view param_name) const;
};

// Reads a whole file. "-" means stdin. A missing file fails with Error::sys(ENOENT, path), so the
// message is "PATH: No such file or directory" like jail(8)'s err(1, "%s", path).
using FileReader = std::function<Result<std::string>(const std::string& path)>;
// Expands a glob(3) pattern to the sorted matching paths; no match is an empty list, not an
// error.
using Globber = std::function<Result<std::vector<std::string>>(const std::string& pattern)>;

// Bounds that keep any input (a fuzzer's, a 10 MiB file, an include fan-out) finite.
struct Limits {
  size_t max_include_depth = 32;                  // FreeBSD's MAX_INCLUDE_DEPTH
  size_t max_block_depth = 256;                   // nested `a { b { ... } }`
  size_t max_files = 4096;                        // files parsed in one load, the main one included
  size_t max_input_bytes = size_t{256} << 20;     // all files parsed in one load together
  size_t max_merged_bytes = size_t{512} << 20;    // parameters copied into jails while merging
  size_t max_expansion_bytes = size_t{64} << 20;  // text made by variable substitution, per jail
};

// The whole configuration: every non-wildcard jail in file order, each resolved (globals, then
// matching wildcard blocks and its own block by position; `=` replaces, `+=` appends; variables
// substituted after merging). `path` "-" reads stdin, shown as "STDIN" in messages. The two-
// argument forms expand .include globs with system_glob().
Result<std::vector<ConfJail>> load(const std::string& path, const FileReader& read);
Result<std::vector<ConfJail>> load(const std::string& path, const FileReader& read,
                                   const Globber& glob, const Limits& limits = {});
// The same for text already in memory; `filename` is used in messages and as the base of
// relative .include paths.
Result<std::vector<ConfJail>> load_text(std::string_view text, const std::string& filename,
                                        const FileReader& read);
Result<std::vector<ConfJail>> load_text(std::string_view text, const std::string& filename,
                                        const FileReader& read, const Globber& glob,
                                        const Limits& limits = {});

// The first per-jail error of `jails`, as an Error (for callers that treat any as fatal).
Ok first_error(const std::vector<ConfJail>& jails);

// Real files (and stdin for "-"), and glob(3).
FileReader system_reader();
Globber system_glob();

// `jail -e SEPARATOR`: the jail as one line (no newline): every parameter but `jid`, each `name`
// or `name=v1,v2`, values quoted by quote_value, joined by `separator`.
std::string render_e(const ConfJail& jail, std::string_view separator);
// jail(8)'s quoted_print: "" for an empty value; double quotes if the value has a `'`, a space or
// a tab; single quotes if it has a `"`; a backslash before `\` and before the quote character.
std::string quote_value(std::string_view value);
// jail.conf text that loads back to the same jails (names, parameters and values).
std::string to_conf(const std::vector<ConfJail>& jails);

// Wildcard names (reference 3.1): a `*` component, alone or between dots.
bool is_wildcard(std::string_view name);
// FreeBSD wild_jail_match: a non-final `*` matches one component, a final one one or more.
bool wildcard_match(std::string_view jail_name, std::string_view wildcard);

}  // namespace ljail::config
