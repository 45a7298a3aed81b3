// Export: typed values to the text jls prints (libjail jailparam_export).
#include "base/strings.h"
#include "params/params.h"

namespace ljail::params {
namespace {

struct Exporter {
  std::string operator()(bool v) const { return v ? "true" : "false"; }
  std::string operator()(int64_t v) const { return std::to_string(v); }
  std::string operator()(uint64_t v) const { return std::to_string(v); }
  std::string operator()(const std::string& v) const { return v; }
  std::string operator()(JailSys v) const { return std::string(jailsys_name(v)); }
  std::string operator()(const std::vector<std::string>& v) const { return join(v, ","); }
};

}  // namespace

std::string export_value(const Spec& spec, const Value& value) {
  (void)spec;  // the value's alternative already follows the spec's type
  return std::visit(Exporter{}, value);
}

std::string bool_name(std::string_view name, bool value) {
  if (value) return std::string(name);
  size_t dot = name.rfind('.');
  size_t at = dot == std::string_view::npos ? 0 : dot + 1;
  std::string out(name.substr(0, at));
  out += "no";
  out += name.substr(at);
  return out;
}

std::string_view jailsys_name(JailSys v) {
  switch (v) {
    case JailSys::Disable:
      return "disable";
    case JailSys::New:
      return "new";
    case JailSys::Inherit:
      return "inherit";
  }
  return "?";
}

}  // namespace ljail::params
