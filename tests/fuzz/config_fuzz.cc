// libFuzzer target: jail.conf parse + resolve + render must never crash, hang or grow without
// bound, every resolved parameter must go through params::import and validate without crashing
// (errors are fine), and a configuration that loads without errors must survive a to_conf round
// trip.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/strings.h"
#include "config/config.h"
#include "config/memory_files.h"
#include "params/params.h"

using ljail::config::ConfJail;
namespace params = ljail::params;

namespace {

bool is_list(const params::Spec* spec) {
  return spec != nullptr &&
         (spec->type == params::Type::StringList || spec->type == params::Type::Ip4List ||
          spec->type == params::Type::Ip6List);
}

// A configured jail's parameters imported the way `jail -c` does (bare form, each value of a
// list, the values of a scalar), then the whole set validated. Import errors are skipped.
void import_jail(const ConfJail& jail) {
  params::ParamSet set;
  for (const ljail::config::ConfParam& p : jail.params) {
    if (p.values.empty()) {
      if (auto a = params::import(p.name, std::nullopt)) set.set(a->spec, std::move(a->value));
      continue;
    }
    if (is_list(params::find(p.name))) {
      set.erase(p.name);
      for (const std::string& v : p.values) {
        if (auto a = params::import(p.name, v)) set.merge(a->spec, std::move(a->value));
      }
    } else if (auto a = params::import(p.name, p.values.back())) {
      set.set(a->spec, std::move(a->value));  // a scalar keeps the last value (reference 3.3)
    }
    (void)params::import(p.name, ljail::join(p.values, ","));
  }
  (void)params::validate(set);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ljail::config::MemoryFiles fs;
  std::string text(reinterpret_cast<const char*>(data), size);
  fs.files["/etc/jail.conf"] = text;
  fs.files["/etc/jail.conf.d/a.conf"] = text;  // reachable by .include "jail.conf.d/*.conf"
  ljail::config::Limits limits;
  limits.max_files = 64;
  limits.max_input_bytes = size_t{4} << 20;
  limits.max_merged_bytes = size_t{16} << 20;
  limits.max_expansion_bytes = size_t{1} << 20;
  auto r = ljail::config::load("/etc/jail.conf", fs.reader(), fs.globber(), limits);
  if (!r) return 0;
  bool clean = true;
  for (const ConfJail& j : *r) {
    (void)ljail::config::render_e(j, "\t");
    import_jail(j);
    clean = clean && !j.failed();
  }
  if (!clean) return 0;
  fs.files["/rt"] = ljail::config::to_conf(*r);
  auto again = ljail::config::load("/rt", fs.reader(), fs.globber(), limits);
  if (!again || again->size() != r->size()) __builtin_trap();
  for (size_t i = 0; i < r->size(); ++i) {
    const ConfJail& a = (*r)[i];
    const ConfJail& b = (*again)[i];
    if (a.name != b.name || a.params.size() != b.params.size() || b.failed()) __builtin_trap();
    for (size_t k = 0; k < a.params.size(); ++k) {
      if (a.params[k].name != b.params[k].name || a.params[k].values != b.params[k].values) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
