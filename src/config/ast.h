// The parsed, unresolved configuration: jail blocks in file order (jail(8)'s cfjails list), each
// with its raw parameters whose strings still hold variable references.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ljail::config {

// A variable reference `$name` / `${name}`, substituted at byte `pos` of the string's text.
struct VarRef {
  std::string name;
  size_t pos = 0;
};

// One value: literal text (escapes already processed) plus the variables to insert, in order.
struct RawString {
  std::string text;
  std::vector<VarRef> vars;
};

enum class Op {
  Bare,       // p;
  Assign,     // p = v;
  Append,     // p += v;
  NameValue,  // p v;  (treated like `=`; `.include "x";` is this form)
};

struct RawParam {
  std::string name;     // without the `$` for a variable
  bool is_var = false;  // `$name = ...;` defines a variable
  Op op = Op::Bare;
  std::vector<RawString> values;
  std::string file;
  int line = 0;
};

struct RawJail {
  std::string name;  // full name: nested blocks are "parent.child"; "*" is the global block
  std::vector<RawParam> params;
  std::string file;
  int line = 0;
};

struct RawConfig {
  std::vector<RawJail> jails;
  // The global pseudo-jail "*", created at the first top-level parameter (newest jail(8)).
  std::optional<size_t> global;
};

}  // namespace ljail::config
