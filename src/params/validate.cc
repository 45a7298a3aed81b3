// Whole-set validation: ranges, names, read-only and ungrantable parameters, contradictions.
#include <arpa/inet.h>

#include <cstdint>
#include <cstring>
#include <limits>

#include "base/signals.h"
#include "base/strings.h"
#include "params/params.h"

namespace ljail::params {
namespace {

constexpr size_t kMaxName = 255;
constexpr size_t kMaxHostname = 64;  // Linux's HOST_NAME_MAX and the domainname limit
constexpr uint64_t kMaxUsernsSize = uint64_t{1} << 31;
constexpr uint64_t kMaxId = std::numeric_limits<uint32_t>::max();

struct Range {
  std::string_view name;
  int64_t lo;
  int64_t hi;
};

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
constexpr Range kRanges[] = {
    {"securelevel", -1, 3},       {"enforce_statfs", 0, 2},     {"devfs_ruleset", 0, kIntMax},
    {"children.max", 0, kIntMax}, {"stop.timeout", 0, kIntMax}, {"exec.timeout", 0, kIntMax},
};

Error bad(std::string_view name, std::string_view text) {
  std::string out(name);
  out += ": ";
  out += text;
  return Error::invalid(std::move(out));
}

// `"text"` with control characters shown as \xNN, so an error never writes them raw.
std::string quoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

Error bad_name(std::string_view name, std::string_view text) {
  return Error::invalid("name " + quoted(name) + ": " + std::string(text));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Ok check_range(const Assignment& a) {
  const auto* v = std::get_if<int64_t>(&a.value);
  if (v == nullptr) return {};
  for (const Range& r : kRanges) {
    if (r.name == a.spec->name && (*v < r.lo || *v > r.hi)) {
      return bad(r.name, "value out of range: " + std::to_string(*v));
    }
  }
  return {};
}

// A numeric name (its last component, as the kernel sees it) must be the jail's jid.
Ok check_name(const ParamSet& set, const std::string& name) {
  LJ_TRY(validate_name(name));
  size_t dot = name.rfind('.');
  std::string_view last = std::string_view(name).substr(dot == std::string::npos ? 0 : dot + 1);
  if (!all_digits(last) || !set.has("jid")) return {};
  if (parse_uint(last) != set.get_uint("jid")) {
    return bad_name(name, "a numeric name must be the jail's jid");
  }
  return {};
}

// A parameter governed by a jailsys switch (host.hostname by host, ip4.addr by ip4) may only be
// given when that switch is "new"; lists only matter when non-empty, booleans not at all.
Ok check_jailsys_parent(const ParamSet& set, const Assignment& a) {
  const Spec& spec = *a.spec;
  if (spec.jailsys_parent.empty() || spec.type == Type::Bool) return {};
  if (const auto* list = std::get_if<std::vector<std::string>>(&a.value); list && list->empty()) {
    return {};
  }
  JailSys mode = set.get_jailsys(spec.jailsys_parent);
  if (mode == JailSys::New) return {};
  return Error::invalid(std::string(spec.name) + " cannot be set with " +
                        std::string(spec.jailsys_parent) + "=" + std::string(jailsys_name(mode)));
}

// Repeated `ip4.addr=` arguments are merged after import, so duplicates are checked again here.
Ok check_duplicates(const Assignment& a) {
  if (a.spec->type != Type::Ip4List && a.spec->type != Type::Ip6List) return {};
  const auto& list = std::get<std::vector<std::string>>(a.value);
  std::vector<std::string_view> seen;
  for (std::string_view element : list) {
    std::string_view addr = element;
    if (size_t bar = addr.find('|'); bar != std::string_view::npos) addr.remove_prefix(bar + 1);
    addr = addr.substr(0, addr.find('/'));
    for (std::string_view s : seen) {
      if (s == addr) return bad(a.spec->name, "duplicate address: " + std::string(element));
    }
    seen.push_back(addr);
  }
  return {};
}

// Addresses no jail can hold (FreeBSD: EINVAL): unspecified, broadcast, loopback, multicast.
Ok check_usable_addresses(const Assignment& a) {
  if (a.spec->type != Type::Ip4List && a.spec->type != Type::Ip6List) return {};
  for (const auto& element : std::get<std::vector<std::string>>(a.value)) {
    std::string_view addr = element;
    if (size_t bar = addr.find('|'); bar != std::string_view::npos) addr.remove_prefix(bar + 1);
    std::string text(addr.substr(0, addr.find('/')));
    unsigned char b[16] = {};
    bool unusable = false;
    if (a.spec->type == Type::Ip4List && inet_pton(AF_INET, text.c_str(), b) == 1) {
      uint32_t v = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
      unusable = v == 0 || v == 0xffffffff || b[0] == 127 || (b[0] & 0xf0) == 0xe0;
    } else if (a.spec->type == Type::Ip6List && inet_pton(AF_INET6, text.c_str(), b) == 1) {
      static const unsigned char kZero[16] = {};
      static const unsigned char kLoop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
      unusable = !std::memcmp(b, kZero, 16) || !std::memcmp(b, kLoop, 16) || b[0] == 0xff;
    }
    if (unusable) return bad(a.spec->name, "not a usable jail address: " + element);
  }
  return {};
}

// Interface names as the kernel takes them: 1 to 15 bytes, no '/', ':' or whitespace.
Ok check_interface_name(const Assignment& a) {
  if (a.spec->name != "interface") return {};
  const auto& name = std::get<std::string>(a.value);
  if (name.empty()) return {};
  bool ok = name.size() <= 15 && name.find_first_of("/: \t\n") == std::string::npos;
  if (!ok) return bad(a.spec->name, "invalid interface name: " + name);
  return {};
}

Ok check_one(const ParamSet& set, const Assignment& a) {
  const Spec& spec = *a.spec;
  if (spec.has(kReadOnly)) return bad(spec.name, "parameter is read-only");
  if (spec.has(kNoGrant) && a.value == Value(true)) {
    return bad(spec.name, "cannot be granted to a jail on Linux");
  }
  LJ_TRY(check_range(a));
  LJ_TRY(check_jailsys_parent(set, a));
  LJ_TRY(check_duplicates(a));
  LJ_TRY(check_usable_addresses(a));
  LJ_TRY(check_interface_name(a));
  if (spec.name == "name") LJ_TRY(check_name(set, std::get<std::string>(a.value)));
  if (spec.name == "host.hostname" || spec.name == "host.domainname") {
    if (std::get<std::string>(a.value).size() > kMaxHostname) {
      return bad(spec.name, "longer than " + std::to_string(kMaxHostname) + " bytes");
    }
  }
  if (spec.name == "path") {
    const auto& path = std::get<std::string>(a.value);
    if (path.empty() || path.front() != '/') {
      return Error::invalid("path " + quoted(path) + ": not an absolute pathname");
    }
  }
  if (spec.name == "userns" && std::get<JailSys>(a.value) == JailSys::Disable) {
    return Error::invalid("userns: \"disable\" is not supported (use new or inherit)");
  }
  return {};
}

Ok check_userns_range(const ParamSet& set) {
  if (!set.has("userns.size") && !set.has("userns.uid")) return {};
  uint64_t uid = set.get_uint("userns.uid");
  uint64_t size = set.get_uint("userns.size");
  if (size < 1 || size > kMaxUsernsSize || uid + size > kMaxId) {
    return bad("userns.size", "value out of range: " + std::to_string(size));
  }
  return {};
}

}  // namespace

Ok validate(const ParamSet& set) {
  for (const Assignment& a : set.items()) LJ_TRY(check_one(set, a));
  if (set.has("stop.signal") && !parse_signal(set.get_string("stop.signal"))) {
    return bad("stop.signal", "unknown signal " + quoted(set.get_string("stop.signal")));
  }
  if (std::string init = set.get_string("exec.init"); !init.empty() && init[0] != '/') {
    return bad("exec.init", "not an absolute path: " + quoted(init));
  }
  // Linux has one SysV IPC namespace for messages, semaphores and shared memory together.
  {
    int inherit = 0;
    for (const char* ipc : {"sysvmsg", "sysvsem", "sysvshm"}) {
      inherit += set.get_jailsys(ipc) == JailSys::Inherit;
    }
    if (inherit != 0 && inherit != 3 && !set.get_bool("allow.sysvipc")) {
      return Error::invalid(
          "sysvmsg, sysvsem and sysvshm: Linux shares SysV IPC only as a whole; set all three "
          "to inherit (or allow.sysvipc)");
    }
  }
  if (!set.get_list("vnet.interface").empty() && set.get_jailsys("vnet") != JailSys::New) {
    return Error::invalid("vnet.interface: the jail needs vnet=new");
  }
  LJ_TRY(check_userns_range(set));
  return {};
}

Ok validate_name(std::string_view name) {
  if (name.empty()) return bad_name(name, "is empty");
  if (name.size() > kMaxName) return bad_name(name, "is longer than 255 bytes");
  if (name.find('/') != std::string_view::npos) return bad_name(name, "contains \"/\"");
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7f) return bad_name(name, "contains whitespace or control characters");
  }
  if (name.front() == '-') return bad_name(name, "begins with \"-\"");
  for (const std::string& part : split(name, '.')) {
    if (part.empty() || part == "." || part == "..") {
      return bad_name(name, "has an empty, \".\" or \"..\" component");
    }
  }
  return {};
}

}  // namespace ljail::params
