// libFuzzer target: the state-file JSON reader (src/base/json.h). The host reads state files a
// jail wrote itself (the registry of its own jails, host/children.h), so the reader must
// survive any text: every value is walked, strings and numbers read, nesting bounded.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.h"

namespace {

void walk(ljail::json::Reader& r, int depth) {
  using ljail::json::Kind;
  if (depth > 64) {
    r.skip();
    return;
  }
  switch (r.peek()) {
    case Kind::Object: {
      if (!r.begin_object()) return;
      std::string_view key;
      while (r.next_member(&key)) walk(r, depth + 1);
      return;
    }
    case Kind::Array:
      if (!r.begin_array()) return;
      while (r.next_element()) walk(r, depth + 1);
      return;
    case Kind::String: {
      std::string s;
      r.read_string(&s);
      return;
    }
    case Kind::Number: {
      int64_t v;
      if (!r.read_int(&v)) r.skip();
      return;
    }
    case Kind::Bool: {
      bool b;
      r.read_bool(&b);
      return;
    }
    default:
      r.skip();
      return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ljail::json::Reader r(text);
  walk(r, 0);
  (void)r.at_end();
  ljail::json::Reader again(text);
  (void)again.skip();
  return 0;
}
