// Import: one parameter from text to its typed value (libjail jailparam_import plus jail(8)'s
// bool_param and its "[iface|]addr[/mask]" address syntax).
#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "base/strings.h"
#include "params/params.h"

namespace ljail::params {
namespace {

constexpr size_t kMaxString = 1023;
constexpr size_t kMaxMeta = 4095;
constexpr size_t kMaxInterface = 15;  // IFNAMSIZ - 1

Error bad(std::string_view name, std::string text) {
  std::string out(name);
  out += ": ";
  out += text;
  return Error::invalid(std::move(out));
}

std::string quoted(std::string_view v) {
  std::string out = "\"";
  out += v;
  out += '"';
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A whole decimal integer with an optional sign, within [lo, hi].
template <class I>
Result<I> to_integer(std::string_view name, std::string_view v, I lo, I hi) {
  std::string_view digits = v;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (!all_digits(digits)) return bad(name, "non-integer value " + quoted(v));
  auto range = [&] { return bad(name, "value out of range: " + std::string(v)); };
  if (negative) {
    if constexpr (std::is_unsigned_v<I>) {
      if (digits.find_first_not_of('0') != std::string_view::npos) return range();
      return I{0};
    } else {
      I out = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
      if (ec != std::errc() || out < lo) return range();
      return out;
    }
  }
  I out = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec != std::errc() || out < lo || out > hi) return range();
  return out;
}

Result<Value> import_bool(std::string_view name, std::optional<std::string_view> value) {
  if (!value) return true;
  if (iequals(*value, "true")) return true;
  if (iequals(*value, "false")) return false;
  std::optional<int64_t> n = parse_int(*value);
  if (!n) return bad(name, "unknown boolean value " + quoted(*value));
  return *n != 0;
}

Result<Value> import_jailsys(std::string_view name, std::string_view v) {
  if (v.empty() || iequals(v, "new") || v == "1") return JailSys::New;
  if (iequals(v, "disable") || v == "0") return JailSys::Disable;
  if (iequals(v, "inherit") || v == "2") return JailSys::Inherit;
  return bad(name, "unknown jailsys value " + quoted(v));
}

Result<Value> import_string(std::string_view name, std::string_view v) {
  size_t max = (name == "meta" || name == "env") ? kMaxMeta : kMaxString;
  if (v.size() > max) {
    return bad(name, "value too long (more than " + std::to_string(max) + " bytes)");
  }
  if (v.find('\0') != std::string_view::npos) return bad(name, "value contains a NUL byte");
  return std::string(v);
}

bool list_is_split(std::string_view name) {
  return name == "vnet.interface" || name == "zfs.dataset" || name == "depend";
}

Result<Value> import_string_list(std::string_view name, std::string_view v) {
  std::vector<std::string> out;
  if (v.find('\0') != std::string_view::npos) return bad(name, "value contains a NUL byte");
  if (v.empty()) return out;
  if (!list_is_split(name)) {
    out.emplace_back(v);
    return out;
  }
  for (std::string& part : split(v, ',')) {
    if (!part.empty()) out.push_back(std::move(part));
  }
  return out;
}

bool valid_interface(std::string_view iface) {
  if (iface.empty() || iface.size() > kMaxInterface) return false;
  for (char c : iface) {
    auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == ':' || u <= ' ' || u == 0x7f) return false;
  }
  return true;
}

// An IPv4 netmask: a prefix length 0..32 or a dotted mask with contiguous bits.
std::optional<unsigned> ip4_prefix(std::string_view mask) {
  if (all_digits(mask)) {
    if (mask.size() > 2) return std::nullopt;
    unsigned n = 0;
    std::from_chars(mask.data(), mask.data() + mask.size(), n);
    if (n > 32) return std::nullopt;
    return n;
  }
  in_addr a{};
  if (inet_pton(AF_INET, std::string(mask).c_str(), &a) != 1) return std::nullopt;
  uint32_t bits = ntohl(a.s_addr);
  uint32_t inverted = ~bits;
  if ((inverted & (inverted + 1)) != 0) return std::nullopt;  // ones then zeros only
  unsigned n = 0;
  for (; n < 32 && (bits & (0x80000000u >> n)) != 0; ++n) {
  }
  return n;
}

std::optional<unsigned> ip6_prefix(std::string_view mask) {
  if (!all_digits(mask) || mask.size() > 3) return std::nullopt;
  unsigned n = 0;
  std::from_chars(mask.data(), mask.data() + mask.size(), n);
  if (n > 128) return std::nullopt;
  return n;
}

// One "[iface|]addr[/mask]" element in canonical form; `addr_out` gets the bare address.
Result<std::string> import_address(std::string_view name, bool v6, std::string_view element,
                                   std::string& addr_out) {
  std::string_view rest = element;
  std::string out;
  if (size_t bar = rest.find('|'); bar != std::string_view::npos) {
    std::string_view iface = rest.substr(0, bar);
    if (!valid_interface(iface))
      return bad(name, "invalid interface name: " + std::string(element));
    out = std::string(iface) + "|";
    rest.remove_prefix(bar + 1);
  }
  std::optional<std::string_view> mask;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    mask = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::array<unsigned char, sizeof(in6_addr)> buf{};
  std::array<char, INET6_ADDRSTRLEN> text{};
  int af = v6 ? AF_INET6 : AF_INET;
  if (inet_pton(af, std::string(rest).c_str(), buf.data()) != 1 ||
      inet_ntop(af, buf.data(), text.data(), text.size()) == nullptr) {
    return bad(name, std::string(v6 ? "not an IPv6 address: " : "not an IPv4 address: ") +
                         std::string(element));
  }
  addr_out = text.data();
  out += addr_out;
  if (mask) {
    std::optional<unsigned> prefix = v6 ? ip6_prefix(*mask) : ip4_prefix(*mask);
    if (!prefix) return bad(name, "invalid netmask: " + std::string(element));
    out += "/" + std::to_string(*prefix);
  }
  return out;
}

Result<Value> import_ip_list(std::string_view name, bool v6, std::string_view v) {
  std::vector<std::string> out;
  if (v.empty() || v == "-") return out;
  std::vector<std::string> seen;
  for (const std::string& element : split(v, ',')) {
    std::string addr;
    std::string canonical = LJ_TRY(import_address(name, v6, element, addr));
    for (const std::string& s : seen) {
      if (s == addr) return bad(name, "duplicate address: " + element);
    }
    seen.push_back(std::move(addr));
    out.push_back(std::move(canonical));
  }
  return out;
}

Result<Value> import_typed(const Spec& spec, std::string_view name,
                           std::optional<std::string_view> value) {
  std::string_view v = value.value_or("");
  switch (spec.type) {
    case Type::Bool:
      return import_bool(name, value);
    case Type::Int:
      return LJ_TRY(to_integer<int64_t>(name, v, std::numeric_limits<int32_t>::min(),
                                        std::numeric_limits<int32_t>::max()));
    case Type::UInt:
      return LJ_TRY(to_integer<uint64_t>(name, v, 0, std::numeric_limits<uint32_t>::max()));
    case Type::ULong:
      return LJ_TRY(to_integer<uint64_t>(name, v, 0, std::numeric_limits<uint64_t>::max()));
    case Type::String:
      return import_string(name, v);
    case Type::JailSys:
      return import_jailsys(name, v);
    case Type::Ip4List:
      return import_ip_list(name, false, v);
    case Type::Ip6List:
      return import_ip_list(name, true, v);
    case Type::StringList:
      return import_string_list(name, v);
  }
  return bad(name, "unsupported parameter type");
}

// The Bool parameter named by a `no` prefix on the last dotted component, or nullptr.
const Spec* find_no_form(std::string_view name) {
  size_t last = name.rfind('.');
  size_t start = last == std::string_view::npos ? 0 : last + 1;
  if (name.substr(start, 2) != "no") return nullptr;
  std::string positive(name.substr(0, start));
  positive += name.substr(start + 2);
  const Spec* spec = find(positive);
  if (spec == nullptr || spec->type != Type::Bool) return nullptr;
  return spec;
}

}  // namespace

Result<Assignment> import(std::string_view name, std::optional<std::string_view> value) {
  if (const Spec* spec = find(name)) {
    Value typed = LJ_TRY(import_typed(*spec, name, value));
    return Assignment{spec, std::move(typed)};
  }
  if (const Spec* spec = find_no_form(name)) {
    if (value) return bad(name, "value not allowed");
    return Assignment{spec, false};
  }
  return Error::not_found("unknown parameter: " + std::string(name));
}

Result<Assignment> import_arg(std::string_view arg) {
  size_t eq = arg.find('=');
  if (eq == std::string_view::npos) return import(arg, std::nullopt);
  return import(arg.substr(0, eq), arg.substr(eq + 1));
}

}  // namespace ljail::params
