// libFuzzer target: parameter import, ParamSet merging, whole-set validation and export must
// never crash, whatever the text. The input is newline-separated `name=value` lines (a bare
// `name` is the bare form), the way the command line gives them.
//
// Checked properties (a violation traps):
//  - import_arg(line) and import(name, value) agree;
//  - an imported value exports to text that imports back to the same exported text;
//  - ParamSet::set/merge accept every imported value (they abort on a value of the wrong type);
//  - validate, effective and the typed getters work on any set built from imported values.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "params/params.h"

namespace params = ljail::params;

namespace {

// Lines are capped so a single huge input does not spend its time on one list.
constexpr size_t kMaxLines = 256;

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty() && out.size() < kMaxLines) {
    size_t nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

void check_round_trip(const params::Assignment& a) {
  if (a.spec == nullptr) __builtin_trap();
  std::string text = params::export_value(*a.spec, a.value);
  auto again = params::import(a.spec->name, text);
  if (!again || again->spec != a.spec) __builtin_trap();
  if (params::export_value(*again->spec, again->value) != text) __builtin_trap();
  if (const bool* b = std::get_if<bool>(&a.value)) {
    (void)params::bool_name(a.spec->name, *b);
  }
}

// Same outcome (success and exported value, or the error text) from both entry points.
void check_same(const ljail::Result<params::Assignment>& x,
                const ljail::Result<params::Assignment>& y) {
  if (x.has_value() != y.has_value()) __builtin_trap();
  if (!x) {
    if (x.error().message() != y.error().message()) __builtin_trap();
    return;
  }
  if (x->spec != y->spec || x->value != y->value) __builtin_trap();
}

void read_one(const params::ParamSet& set, const params::Spec& spec) {
  params::Value v = params::effective(set, spec);
  (void)params::export_value(spec, v);
  switch (spec.type) {
    case params::Type::Bool:
      (void)set.get_bool(spec.name);
      break;
    case params::Type::Int:
      (void)set.get_int(spec.name);
      break;
    case params::Type::UInt:
    case params::Type::ULong:
      (void)set.get_uint(spec.name);
      break;
    case params::Type::String:
      (void)set.get_string(spec.name);
      break;
    case params::Type::JailSys:
      (void)set.get_jailsys(spec.name);
      break;
    case params::Type::Ip4List:
    case params::Type::Ip6List:
    case params::Type::StringList:
      (void)set.get_list(spec.name);
      break;
  }
}

// Validates and reads back the parameters that were set. Every table row (its default, through
// the typed getter) is read only on the first call: that costs ~100 imports and finds nothing
// new afterwards.
void read_everything(const params::ParamSet& set) {
  (void)params::validate(set);
  for (const params::Assignment& a : set.items()) read_one(set, *a.spec);
  static bool swept = false;
  if (swept) return;
  swept = true;
  for (const params::Spec& spec : params::table()) read_one(set, spec);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  params::ParamSet merged;    // every line merged, as repeated command-line arguments are
  params::ParamSet replaced;  // every line set, as jail.conf's `=` does
  for (std::string_view line : lines_of(text)) {
    auto arg = params::import_arg(line);
    size_t eq = line.find('=');
    std::optional<std::string_view> value;
    if (eq != std::string_view::npos) value = line.substr(eq + 1);
    check_same(arg, params::import(line.substr(0, eq), value));
    (void)params::import(line, std::nullopt);  // the whole line as a bare name
    (void)params::validate_name(line);
    if (!arg) continue;
    check_round_trip(*arg);
    replaced.set(arg->spec, arg->value);
    merged.merge(arg->spec, std::move(arg->value));
    if (auto r = merged.set_arg(line); !r) __builtin_trap();  // imported once, imports again
  }
  read_everything(merged);
  read_everything(replaced);
  if (!merged.items().empty()) merged.erase(merged.items().front().spec->name);
  (void)params::validate(merged);
  return 0;
}
