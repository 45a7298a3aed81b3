#include "host/nat.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "base/strings.h"
#include "sys/file.h"
#include "sys/nft.h"

namespace ljail::host {

namespace {

constexpr size_t kMaxComment = 100;  // nft keeps up to 128 bytes

// nft(8) takes a comment between double quotes with no escapes: only plain characters of the
// name are kept.
std::string element_comment(const JailState& s) {
  std::string name;
  for (char c : s.name) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-' || c == '@' || c == ':' || c == '+';
    name += plain ? c : '_';
  }
  std::string text = "jail " + name + " jid " + std::to_string(s.jid);
  if (text.size() > kMaxComment) {
    text = "jail " + name.substr(0, kMaxComment - 20) + "... jid " + std::to_string(s.jid);
  }
  return text;
}

// The interfaces of the IPv4 default routes of the main table (/proc/net/route: Iface,
// Destination, Gateway, Flags, RefCnt, Use, Metric, Mask, all hexadecimal).
std::vector<std::string> default_route_interfaces() {
  std::vector<std::string> out;
  auto text = sys::read_file("/proc/net/route");
  if (!text) return out;
  bool header = true;
  for (const auto& line : split(*text, '\n')) {
    if (std::exchange(header, false)) continue;
    std::vector<std::string> f;
    for (const auto& w : split(line, '\t')) {
      if (auto t = trim(w); !t.empty()) f.emplace_back(t);
    }
    if (f.size() < 8 || f[1] != "00000000" || f[7] != "00000000") continue;
    unsigned flags = 0;
    std::from_chars(f[3].data(), f[3].data() + f[3].size(), flags, 16);
    if (!(flags & 1)) continue;  // RTF_UP
    if (std::find(out.begin(), out.end(), f[0]) == out.end()) out.push_back(f[0]);
  }
  return out;
}

std::string record_table(const std::string& rec) {
  return rec.substr(0, rec.find('|'));
}

}  // namespace

std::string nat_table(const std::string& tag) {
  return tag.empty() ? "ljail" : "ljail_" + tag;
}

Ok check_nat(const params::ParamSet& p) {
  using params::JailSys;
  if (!p.get_bool("ip4.nat")) return {};
  if (auto m = p.get_jailsys("ip4"); m != JailSys::New) {
    return Error::invalid("ip4.nat cannot be set with ip4=" + std::string(params::jailsys_name(m)));
  }
  if (p.get_jailsys("ip6") == JailSys::Inherit) {
    return Error::invalid(
        "ip4.nat cannot be set with ip6=inherit (the jail has no network of its own)");
  }
  if (p.get_jailsys("vnet") == JailSys::New) {
    return Error::invalid("ip4.nat cannot be set with vnet=new");
  }
  if (p.get_list("ip4.addr").empty()) return Error::invalid("ip4.nat: the jail has no ip4.addr");
  auto addrs = LJ_TRY(jail_addresses(p));
  LJ_TRY(nat_uplinks(addrs));
  return {};
}

Result<std::vector<std::string>> nat_uplinks(const std::vector<NetAddr>& addrs) {
  std::vector<std::string> out;
  for (const auto& a : addrs) {
    if (a.addr.family != AF_INET || a.iface.empty()) continue;
    if (std::find(out.begin(), out.end(), a.iface) == out.end()) out.push_back(a.iface);
  }
  if (out.empty()) out = default_route_interfaces();
  if (out.empty()) {
    return Error::invalid(
        "ip4.nat: the host has no IPv4 default route; name the outgoing interface with "
        "interface=");
  }
  return out;
}

Ok setup_nat(const Registry& reg, JailState& s, const std::vector<NetAddr>& addrs) {
  // Under the registry lock: a teardown deciding that its table is no longer used never runs
  // between this jail's record and its element.
  auto lock = LJ_TRY(reg.lock());
  std::string table = nat_table(reg.tag());
  std::string comment = element_comment(s);
  std::string elements;
  for (const auto& a : addrs) {
    if (a.addr.family != AF_INET) continue;
    s.nat.push_back(table + "|" + a.text);
    elements += (elements.empty() ? "" : ", ") + a.text + " comment \"" + comment + "\"";
  }
  if (elements.empty()) return {};
  LJ_TRY(reg.save(s));
  std::string t = "ip " + table;
  std::string cmds = "add table " + t + "\n";
  cmds += "add chain " + t +
          " postrouting { type nat hook postrouting priority srcnat; policy accept; }\n";
  cmds += "add set " + t + " jails { type ipv4_addr; }\n";
  cmds += "flush chain " + t + " postrouting\n";
  // Jail veths are lj<jid>[<tag>] and a jid never begins with 0; not every nft takes a set of
  // wildcard names, hence one rule per first digit.
  for (char d = '1'; d <= '9'; ++d) {
    cmds += "add rule " + t + " postrouting oifname \"lj" + d + "*\" return\n";
  }
  cmds += "add rule " + t + " postrouting ip saddr @jails masquerade comment \"ljail: ip4.nat\"\n";
  cmds += "add element " + t + " jails { " + elements + " }\n";
  LJ_TRY_CTX(sys::nft_run(cmds), "ip4.nat");
  return {};
}

void teardown_nat(const JailState& s, const std::vector<JailState>& others) {
  if (s.nat.empty()) return;
  std::vector<std::string> tables;
  for (const auto& rec : s.nat) {
    std::string table = record_table(rec);
    // One command each: an element that was never added must not keep the others.
    (void)sys::nft_run("delete element ip " + table + " jails { " + rec.substr(rec.find('|') + 1) +
                       " }\n");
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) tables.push_back(table);
  }
  for (const auto& table : tables) {
    bool used = std::any_of(others.begin(), others.end(), [&](const JailState& o) {
      return o.jid != s.jid && std::any_of(o.nat.begin(), o.nat.end(), [&](const std::string& r) {
               return record_table(r) == table;
             });
    });
    if (!used) (void)sys::nft_run("delete table ip " + table + "\n");
  }
}

}  // namespace ljail::host
