#include "host/net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>

#include <algorithm>
#include <optional>

#include "base/strings.h"
#include "host/nat.h"
#include "sys/file.h"
#include "sys/host_helper.h"

namespace ljail::host {

namespace {

const char* kGateway4 = "169.254.0.1";
const char* kGateway6 = "fe80::1";

std::string sysctl_path(const std::string& name) {
  std::string p = "/proc/sys/" + name;
  std::replace(p.begin() + 10, p.end(), '.', '/');
  return p;
}

// Sets a host sysctl, recording "name=value before any jail changed it" in the state first: the
// current value, or the one another running jail recorded. Nothing is recorded when no jail
// changed it and it already has the value.
Ok set_sysctl(const Registry& reg, JailState& s, const std::string& name,
              const std::string& value) {
  for (const auto& r : s.sysctls) {
    if (r.substr(0, r.find('=')) == name) return {};
  }
  std::string was(trim(LJ_TRY(sys::read_file(sysctl_path(name)))));
  for (const auto& o : reg.load_all()) {
    for (const auto& r : o.sysctls) {
      if (o.jid != s.jid && r.substr(0, r.find('=')) == name) was = r.substr(r.find('=') + 1);
    }
  }
  if (was == value) return {};
  s.sysctls.push_back(name + "=" + was);
  LJ_TRY(reg.save(s));
  return sys::write_file(sysctl_path(name), value);
}

Result<int> host_index(const std::string& iface) {
  unsigned i = if_nametoindex(iface.c_str());
  if (i == 0) return Error::not_found("interface " + iface + ": does not exist");
  return static_cast<int>(i);
}

}  // namespace

Result<std::vector<NetAddr>> jail_addresses(const params::ParamSet& p) {
  std::vector<NetAddr> out;
  std::string def = p.get_string("interface");
  for (const char* param : {"ip4.addr", "ip6.addr"}) {
    for (const auto& v : p.get_list(param)) {
      NetAddr a;
      std::string rest = v;
      if (auto bar = rest.find('|'); bar != std::string::npos) {
        a.iface = rest.substr(0, bar);
        rest = rest.substr(bar + 1);
      } else {
        a.iface = def;
      }
      auto slash = rest.find('/');
      a.text = rest.substr(0, slash);
      a.addr = LJ_TRY(sys::IpAddr::parse(a.text));
      a.prefix = a.addr.family == AF_INET ? 32 : 128;
      if (slash != std::string::npos) {
        if (auto n = parse_int(rest.substr(slash + 1))) a.prefix = static_cast<int>(*n);
      }
      out.push_back(std::move(a));
    }
  }
  return out;
}

Ok add_hostname_addresses(params::ParamSet& p) {
  std::string host = p.get_string("host.hostname");
  if (host.empty()) return Error::invalid("ip_hostname: host.hostname is not set");
  // The C library's resolver, in the helper beside jail(8) (a static program loads no NSS).
  auto resolved = sys::resolve_name(host);
  if (!resolved) return Error::invalid("host.hostname " + host + ": " + resolved.error().message());
  for (const auto& text : *resolved) {
    auto ip = sys::IpAddr::parse(text);
    if (!ip) continue;
    const char* param = ip->family == AF_INET ? "ip4.addr" : "ip6.addr";
    auto have = p.get_list(param);
    bool dup = std::any_of(have.begin(), have.end(), [&](const std::string& h) {
      return h == text || h.find("|" + text) != std::string::npos || h.rfind(text + "/", 0) == 0;
    });
    if (dup) continue;
    auto added = params::import(param, text);
    if (added) p.merge(added->spec, std::move(added->value));
  }
  return {};
}

Ok check_network(const params::ParamSet& p, const std::vector<JailState>& others) {
  auto addrs = LJ_TRY(jail_addresses(p));
  for (const auto& a : addrs) {
    if (!a.iface.empty()) LJ_TRY(host_index(a.iface));
    for (const auto& o : others) {
      auto theirs = jail_addresses(o.params);
      if (!theirs) continue;
      for (const auto& t : *theirs) {
        if (t.text == a.text) {
          return Error::exists("address " + a.text + " is already used by jail \"" + o.name + "\"");
        }
      }
    }
  }
  for (const auto& iface : p.get_list("vnet.interface")) LJ_TRY(host_index(iface));
  LJ_TRY(check_nat(p));
  return {};
}

Ok setup_network(const Registry& reg, JailState& s, int netns_fd) {
  auto addrs = LJ_TRY(jail_addresses(s.params));
  if (addrs.empty()) return {};
  s.veth = "lj" + std::to_string(s.jid) + reg.tag();
  LJ_TRY(reg.save(s));
  auto gw4 = LJ_TRY(sys::IpAddr::parse(kGateway4));
  auto gw6 = LJ_TRY(sys::IpAddr::parse(kGateway6));
  auto any4 = LJ_TRY(sys::IpAddr::parse("0.0.0.0"));
  auto any6 = LJ_TRY(sys::IpAddr::parse("::"));
  auto host = LJ_TRY(sys::Netlink::open());
  LJ_TRY(host.veth_create(s.veth, "eth0", netns_fd));
  int veth = LJ_TRY(host.link_index(s.veth));
  bool v4 = false, v6 = false;
  for (const auto& a : addrs) (a.addr.family == AF_INET ? v4 : v6) = true;
  if (v4) {
    LJ_TRY(host.addr_add(veth, gw4, 32));
    // Forwarding for what comes from the jail only: the host's other interfaces keep theirs.
    LJ_TRY(sys::write_file(sysctl_path("net.ipv4.conf." + s.veth + ".forwarding"), "1"));
  }
  if (v6) {
    LJ_TRY(sys::write_file(sysctl_path("net.ipv6.conf." + s.veth + ".accept_dad"), "0"));
    LJ_TRY(host.addr_add(veth, gw6, 64));
  }
  LJ_TRY(host.link_up(veth));
  for (const auto& a : addrs)
    LJ_TRY(host.route_add(veth, a.addr, a.addr.family == AF_INET ? 32 : 128, {}));

  auto jail = LJ_TRY(sys::Netlink::open_in(netns_fd));
  int eth0 = LJ_TRY(jail.link_index("eth0"));
  // Host addresses (/32, /128) whatever prefix is given: every other address, same subnet or
  // not, is reached through the host, which routes between jails.
  for (const auto& a : addrs)
    LJ_TRY(jail.addr_add(eth0, a.addr, a.addr.family == AF_INET ? 32 : 128));
  LJ_TRY(jail.link_up(eth0));
  if (v4) {
    LJ_TRY(jail.route_add(eth0, gw4, 32, {}));
    LJ_TRY(jail.route_add(eth0, any4, 0, gw4));
  }
  if (v6) {
    LJ_TRY(jail.route_add(eth0, any6, 0, gw6));
  }

  // The LAN reaches the jail through proxy ARP/NDP on the jail's interface.
  for (const auto& a : addrs) {
    if (a.iface.empty()) continue;
    int idx = LJ_TRY(host_index(a.iface));
    if (a.addr.family == AF_INET) {
      LJ_TRY(set_sysctl(reg, s, "net.ipv4.conf." + a.iface + ".forwarding", "1"));
    } else {
      LJ_TRY(set_sysctl(reg, s, "net.ipv6.conf." + a.iface + ".proxy_ndp", "1"));
      LJ_TRY(set_sysctl(reg, s, "net.ipv6.conf.all.forwarding", "1"));
    }
    s.proxies.push_back(a.iface + "|" + a.text);
    LJ_TRY(reg.save(s));
    LJ_TRY(host.neigh_proxy_add(idx, a.addr));
  }
  // Jail to jail over IPv6 is forwarded by the host, and IPv6 forwarding is only global.
  if (v6) LJ_TRY(set_sysctl(reg, s, "net.ipv6.conf.all.forwarding", "1"));
  if (v4 && s.params.get_bool("ip4.nat")) {
    // Replies to the masqueraded traffic come in on the uplinks and go on to the veth.
    for (const auto& up : LJ_TRY(nat_uplinks(addrs))) {
      LJ_TRY_CTX(host_index(up), "ip4.nat");
      LJ_TRY(set_sysctl(reg, s, "net.ipv4.conf." + up + ".forwarding", "1"));
    }
    LJ_TRY(setup_nat(reg, s, addrs));
  }
  return {};
}

Ok move_vnet_interfaces(const Registry& reg, JailState& s, int netns_fd) {
  auto host = LJ_TRY(sys::Netlink::open());
  for (const auto& iface : s.params.get_list("vnet.interface")) {
    int idx = LJ_TRY(host_index(iface));
    s.vnet_ifaces.push_back(iface);
    LJ_TRY(reg.save(s));
    LJ_TRY_CTX(host.link_move(idx, netns_fd), "vnet.interface " + iface);
  }
  return {};
}

void return_vnet_interfaces(const JailState& s, int netns_fd) {
  if (s.vnet_ifaces.empty()) return;
  auto here = sys::open("/proc/self/ns/net", O_RDONLY);
  auto jail = sys::Netlink::open_in(netns_fd);
  if (!here || !jail) return;
  for (const auto& iface : s.vnet_ifaces) {
    if (auto idx = jail->link_index(iface)) (void)jail->link_move(*idx, here->get());
  }
}

void teardown_network(const Registry& reg, const JailState& s) {
  // Under the lock, `others` cannot gain a record of a shared sysctl or table after being read.
  // The other jails matter only for what this one shares with them: no registry read (and no
  // lock) for a jail that changed no host sysctl and made no NAT entry.
  std::vector<JailState> others;
  std::optional<Registry::Lock> lock;
  if (!s.sysctls.empty() || !s.nat.empty()) {
    if (auto l = reg.lock()) lock.emplace(std::move(*l));
    others = reg.load_all();
  }
  teardown_nat(s, others);
  if (s.proxies.empty() && s.veth.empty() && s.sysctls.empty()) return;
  auto host = sys::Netlink::open();
  if (!host) return;
  for (const auto& p : s.proxies) {
    auto bar = p.find('|');
    auto addr = sys::IpAddr::parse(p.substr(bar + 1));
    unsigned idx = if_nametoindex(p.substr(0, bar).c_str());
    if (addr && idx) (void)host->neigh_proxy_del(static_cast<int>(idx), *addr);
  }
  if (!s.veth.empty()) (void)host->link_del(s.veth);
  for (const auto& rec : s.sysctls) {
    auto eq = rec.find('=');
    std::string name = rec.substr(0, eq);
    bool shared = std::any_of(others.begin(), others.end(), [&](const JailState& o) {
      return o.jid != s.jid &&
             std::any_of(o.sysctls.begin(), o.sysctls.end(),
                         [&](const std::string& r) { return r.substr(0, r.find('=')) == name; });
    });
    if (!shared) (void)sys::write_file(sysctl_path(name), rec.substr(eq + 1));
  }
}

}  // namespace ljail::host
