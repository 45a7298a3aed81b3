// The one declarative table of jail parameters (design.md 2.2) and the typed values made from
// it: import (string to typed, FreeBSD libjail rules and error texts), whole-set validation
// and export (typed to the strings jls prints). Pure: no system calls, no privileges.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.h"

namespace ljail::params {

enum class Type {
  Bool,        // true/false, bare name, `no` prefix on the last component, integers (non-zero)
  Int,         // signed decimal
  UInt,        // unsigned decimal (int in FreeBSD but never negative, e.g. jid)
  ULong,       // unsigned 64-bit (host.hostid)
  String,      // free text
  JailSys,     // disable | new | inherit (or 0/1/2; "" means new)
  Ip4List,     // IPv4 addresses, FreeBSD's "[iface|]addr[/mask]" accepted, comma separated
  Ip6List,     // IPv6 addresses, same syntax
  StringList,  // comma separated on the command line; exec.* commands, mount lines, argv
};

enum class JailSys { Disable = 0, New = 1, Inherit = 2 };

enum Flag : unsigned {
  kNone = 0,
  kKernel = 1u << 0,      // a jail parameter proper: stored with the jail, listed by jls `all`
  kCreateOnly = 1u << 1,  // jail -m: "X cannot be changed after creation"
  kReadOnly = 1u << 2,    // maintained by ljail (dying, parent, children.cur): users may not set
  kNoGrant = 1u << 3,     // accepted as false; Linux cannot grant it inside a user namespace
  kLinux = 1u << 4,       // ljail's own parameter, not FreeBSD's
  kPseudo = 1u << 5,      // used by jail(8) only (exec.*, mount.*, depend, ...), not by jls
};

// One row of the table.
struct Spec {
  std::string_view name;
  Type type;
  unsigned flags;
  // Default as text in import syntax ("" = none/empty), used by effective().
  std::string_view default_value;
  // For parameters governed by a jailsys switch: "host" for host.hostname, "ip4" for ip4.addr.
  std::string_view jailsys_parent;

  bool has(Flag f) const { return (flags & f) != 0; }
};

// The typed value. Which alternative is held follows the Spec's Type:
// Bool -> bool, Int -> int64_t, UInt/ULong -> uint64_t, String -> std::string,
// JailSys -> JailSys, Ip4List/Ip6List/StringList -> std::vector<std::string> (IP addresses in
// canonical inet_ntop form, an "iface|" prefix and "/prefix" kept as given and normalised).
using Value = std::variant<bool, int64_t, uint64_t, std::string, JailSys, std::vector<std::string>>;

// Every parameter, sorted as jls `all` lists them: top-level names first, then alphabetically.
std::span<const Spec> table();
// The row for `name` (exact name, no `no` prefix handling), or nullptr.
const Spec* find(std::string_view name);

struct Assignment {
  const Spec* spec;
  Value value;
};

// Imports one parameter. `value` is nullopt for the bare form (`persist`, `nopersist`,
// `allow.nomount`). Errors are FreeBSD's texts:
//   unknown parameter: X
//   X: unknown boolean value "y"      X: non-integer value "y"     X: unknown jailsys value "y"
//   X: not an IPv4 address: y         X: not an IPv6 address: y    X: value required
Result<Assignment> import(std::string_view name, std::optional<std::string_view> value);
// Imports a command-line argument: "name=value" or a bare "name".
Result<Assignment> import_arg(std::string_view arg);

// A set of parameters in the order they were first set.
class ParamSet {
 public:
  // Replaces any earlier value.
  void set(const Spec* spec, Value value);
  // For list types, appends to an existing value (the command line's repeated `p=a p=b`);
  // for other types the same as set().
  void merge(const Spec* spec, Value value);
  // Imports and merges; shorthand for tests and tools.
  Ok set_arg(std::string_view arg);
  void erase(std::string_view name);

  bool has(std::string_view name) const;
  const Value* get(std::string_view name) const;
  const std::vector<Assignment>& items() const { return items_; }

  // Typed access to the effective value (the set value, or the table default).
  bool get_bool(std::string_view name) const;
  int64_t get_int(std::string_view name) const;
  uint64_t get_uint(std::string_view name) const;
  std::string get_string(std::string_view name) const;
  std::vector<std::string> get_list(std::string_view name) const;
  JailSys get_jailsys(std::string_view name) const;

 private:
  std::vector<Assignment> items_;
};

// The effective value of `spec` in `set`: its own value, else the table default.
Value effective(const ParamSet& set, const Spec& spec);

// Checks a whole set before anything is created: ranges (securelevel, enforce_statfs 0..2,
// devfs_ruleset >= 0, ...), the jail name rules, user-set read-only parameters, parameters
// Linux cannot grant set to true, and contradictions such as ip4.addr with ip4=inherit.
Ok validate(const ParamSet& set);
// Jail name rules: not empty, at most 255 bytes, no '/', whitespace or control characters, no
// leading '-', no empty, "." or ".." dot-separated component; all digits only if it is the jid.
Ok validate_name(std::string_view name);

// One value as jls prints it: booleans true/false, jailsys disable/new/inherit, integers in
// decimal, lists joined with commas (an empty list is the empty string).
std::string export_value(const Spec& spec, const Value& value);
// "disable", "new" or "inherit".
std::string_view jailsys_name(JailSys v);
// jls -n form of a boolean: "persist" / "nopersist", "allow.mount" / "allow.nomount".
std::string bool_name(std::string_view name, bool value);

}  // namespace ljail::params
