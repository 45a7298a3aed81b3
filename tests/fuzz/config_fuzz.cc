// libFuzzer target: jail.conf parse + resolve + render must never crash, hang or grow without
// bound, and a configuration that loads without errors must survive a to_conf round trip.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/memory_files.h"

using ljail::config::ConfJail;

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
