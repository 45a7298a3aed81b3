#include "child/protocol.h"

#include <iterator>

#include "base/strings.h"

namespace ljail::child {

namespace {
constexpr std::string_view kNames[] = {"GO",  "READY", "RELEASE", "BYE",
                                       "ERR", "RUN",   "EXIT",    "NET"};
}  // namespace

std::string encode(Msg kind, long value) {
  return std::string(kNames[static_cast<int>(kind)]) + " " + std::to_string(value);
}

std::string encode_error(const Error& e) {
  return "ERR " + std::to_string(e.code()) + " " + e.message();
}

std::optional<Parsed> decode(std::string_view data) {
  auto sp = data.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  auto word = data.substr(0, sp);
  auto rest = data.substr(sp + 1);
  for (int i = 0; i < static_cast<int>(std::size(kNames)); ++i) {
    if (word != kNames[i]) continue;
    Parsed p{static_cast<Msg>(i), 0, {}};
    auto sp2 = rest.find(' ');
    auto num = parse_int(rest.substr(0, sp2));
    if (!num) return std::nullopt;
    p.value = static_cast<long>(*num);
    if (sp2 != std::string_view::npos) p.text = std::string(rest.substr(sp2 + 1));
    return p;
  }
  return std::nullopt;
}

Error to_error(const Parsed& p) {
  return Error::with_code(static_cast<int>(p.value), p.text);
}

}  // namespace ljail::child
