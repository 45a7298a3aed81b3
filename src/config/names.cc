#include "config/names.h"

#include <array>

#include "config/config.h"

namespace ljail::config {
namespace {

bool no_prefixed(std::string_view with_no, std::string_view without) {
  return with_no.size() >= 2 && with_no.substr(0, 2) == "no" && with_no.substr(2) == without;
}

bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

}  // namespace

bool equalopts(std::string_view a, std::string_view b) {
  if (a == b || no_prefixed(a, b) || no_prefixed(b, a)) return true;
  while (true) {
    size_t dot = a.find('.');
    if (dot == std::string_view::npos || b.substr(0, dot + 1) != a.substr(0, dot + 1)) break;
    a.remove_prefix(dot + 1);
    b.remove_prefix(dot + 1);
    if (no_prefixed(a, b) || no_prefixed(b, a)) return true;
  }
  return false;
}

bool is_numeric_name(std::string_view name) {
  size_t i = 0;
  while (i < name.size() && is_space(name[i])) ++i;
  if (i < name.size() && (name[i] == '+' || name[i] == '-')) ++i;
  if (i == name.size()) return false;
  bool nonzero = false;
  for (; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
    nonzero = nonzero || name[i] != '0';
  }
  return nonzero;
}

KnownParam known_param(std::string_view name) {
  static constexpr std::array<std::string_view, 45> kIntparams = {
      "allow.dying",
      "command",
      "depend",
      "exec.clean",
      "exec.consolelog",
      "exec.fib",
      "exec.jail_user",
      "exec.poststart",
      "exec.poststop",
      "exec.prepare",
      "exec.prestart",
      "exec.prestop",
      "exec.release",
      "exec.created",
      "exec.start",
      "exec.stop",
      "exec.system_jail_user",
      "exec.system_user",
      "exec.timeout",
      "interface",
      "ip_hostname",
      "mount",
      "mount.devfs",
      "mount.fdescfs",
      "mount.procfs",
      "mount.fstab",
      "stop.timeout",
      "vnet.interface",
      "zfs.dataset",
      "allow.chflags",
      "allow.mount",
      "allow.raw_sockets",
      "allow.set_hostname",
      "allow.socket_af",
      "allow.sysvipc",
      "devfs_ruleset",
      "host.hostname",
      "ip4.addr",
      "ip6.addr",
      "jid",
      "name",
      "path",
      "persist",
      "securelevel",
      "vnet",
  };
  for (std::string_view known : kIntparams) {
    if (!equalopts(name, known)) continue;
    if (known == "name") return KnownParam::Name;
    if (known == "jid") return KnownParam::Jid;
    return KnownParam::Other;
  }
  return KnownParam::None;
}

bool is_wildcard(std::string_view name) {
  for (size_t i = name.find('*'); i != std::string_view::npos; i = name.find('*', i + 1)) {
    bool starts = i == 0 || name[i - 1] == '.';
    bool ends = i + 1 == name.size() || name[i + 1] == '.';
    if (starts && ends) return true;
  }
  return false;
}

bool wildcard_match(std::string_view jail_name, std::string_view wildcard) {
  std::string_view j = jail_name;
  std::string_view w = wildcard;
  while (true) {
    size_t jd = j.find('.');
    size_t wd = w.find('.');
    if (jd == std::string_view::npos || wd == std::string_view::npos) break;
    // Compare the component with its dot, as strncmp(jc, wc, jd - jc + 1) does.
    if (w.substr(0, jd + 1) != j.substr(0, jd + 1) && w.substr(0, 2) != "*.") return false;
    j.remove_prefix(jd + 1);
    w.remove_prefix(wd + 1);
  }
  return j == w || w == "*";
}

}  // namespace ljail::config
