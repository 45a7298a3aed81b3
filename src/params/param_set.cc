// ParamSet: parameters in the order they were first set, and their effective values.
#include <cstdio>
#include <cstdlib>

#include "params/params.h"

namespace ljail::params {
namespace {

[[noreturn]] void die(std::string_view what, std::string_view name) {
  std::fprintf(stderr, "ljail: internal error: %.*s: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(name.size()), name.data());
  std::abort();
}

bool is_list(Type t) {
  return t == Type::Ip4List || t == Type::Ip6List || t == Type::StringList;
}

// Whether `value` holds the alternative that `spec`'s type calls for.
bool fits(const Spec& spec, const Value& value) {
  switch (spec.type) {
    case Type::Bool:
      return std::holds_alternative<bool>(value);
    case Type::Int:
      return std::holds_alternative<int64_t>(value);
    case Type::UInt:
    case Type::ULong:
      return std::holds_alternative<uint64_t>(value);
    case Type::String:
      return std::holds_alternative<std::string>(value);
    case Type::JailSys:
      return std::holds_alternative<JailSys>(value);
    case Type::Ip4List:
    case Type::Ip6List:
    case Type::StringList:
      return std::holds_alternative<std::vector<std::string>>(value);
  }
  return false;
}

const Spec& spec_of(std::string_view name) {
  const Spec* spec = find(name);
  if (spec == nullptr) die("unknown parameter", name);
  return *spec;
}

template <class V>
V effective_as(const ParamSet& set, std::string_view name) {
  Value v = effective(set, spec_of(name));
  if (V* typed = std::get_if<V>(&v)) return std::move(*typed);
  die("parameter read as the wrong type", name);
}

Value default_of(const Spec& spec) {
  if (spec.default_value.empty()) {
    switch (spec.type) {
      case Type::Bool:
        return false;
      case Type::Int:
        return int64_t{0};
      case Type::UInt:
      case Type::ULong:
        return uint64_t{0};
      default:
        break;  // "" imports as the empty value of the other types
    }
  }
  Result<Assignment> a = import(spec.name, spec.default_value);
  if (!a) die("bad table default", spec.name);
  return std::move(a->value);
}

}  // namespace

void ParamSet::set(const Spec* spec, Value value) {
  if (spec == nullptr || !fits(*spec, value)) {
    die("value of the wrong type", spec ? spec->name : std::string_view("(null)"));
  }
  for (Assignment& a : items_) {
    if (a.spec == spec) {
      a.value = std::move(value);
      return;
    }
  }
  items_.push_back(Assignment{spec, std::move(value)});
}

void ParamSet::merge(const Spec* spec, Value value) {
  if (spec != nullptr && is_list(spec->type)) {
    for (Assignment& a : items_) {
      auto* old = std::get_if<std::vector<std::string>>(&a.value);
      auto* add = std::get_if<std::vector<std::string>>(&value);
      if (a.spec != spec || old == nullptr || add == nullptr) continue;
      old->insert(old->end(), std::make_move_iterator(add->begin()),
                  std::make_move_iterator(add->end()));
      return;
    }
  }
  set(spec, std::move(value));
}

Ok ParamSet::set_arg(std::string_view arg) {
  Assignment a = LJ_TRY(import_arg(arg));
  merge(a.spec, std::move(a.value));
  return {};
}

void ParamSet::erase(std::string_view name) {
  std::erase_if(items_, [name](const Assignment& a) { return a.spec->name == name; });
}

bool ParamSet::has(std::string_view name) const {
  return get(name) != nullptr;
}

const Value* ParamSet::get(std::string_view name) const {
  for (const Assignment& a : items_) {
    if (a.spec->name == name) return &a.value;
  }
  return nullptr;
}

bool ParamSet::get_bool(std::string_view name) const {
  return effective_as<bool>(*this, name);
}

int64_t ParamSet::get_int(std::string_view name) const {
  return effective_as<int64_t>(*this, name);
}

uint64_t ParamSet::get_uint(std::string_view name) const {
  return effective_as<uint64_t>(*this, name);
}

std::string ParamSet::get_string(std::string_view name) const {
  return effective_as<std::string>(*this, name);
}

std::vector<std::string> ParamSet::get_list(std::string_view name) const {
  return effective_as<std::vector<std::string>>(*this, name);
}

JailSys ParamSet::get_jailsys(std::string_view name) const {
  return effective_as<JailSys>(*this, name);
}

Value effective(const ParamSet& set, const Spec& spec) {
  for (const Assignment& a : set.items()) {
    if (a.spec == &spec || a.spec->name == spec.name) return a.value;
  }
  return default_of(spec);
}

}  // namespace ljail::params
