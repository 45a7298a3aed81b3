// A jail's network, host side (design.md 2.3). With ip4.addr/ip6.addr the jail gets a veth
// pair: `lj<jid>` on the host, `eth0` in the jail holding its addresses, a host route to each
// address, forwarding on the host end, proxy ARP/NDP entries on `interface` so the LAN reaches
// the jail, and a default route in the jail through the host end (169.254.0.1 and fe80::1).
// vnet.interface moves host interfaces in and back. With ip4.nat the host masquerades the
// jail's IPv4 traffic (host/nat.h) and forwards the replies from its uplinks. Everything made on
// the host is recorded in the state file before it is made, and teardown_network() removes it
// from that record alone.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "host/registry.h"
#include "params/params.h"
#include "sys/netlink.h"

namespace ljail::host {

struct NetAddr {
  std::string iface;  // "iface|" prefix or `interface`; "" for none
  sys::IpAddr addr;
  int prefix = 0;    // as given, else 32 / 128
  std::string text;  // the address alone, canonical
};

// The jail's addresses, IPv4 first, each with its interface for proxy entries.
Result<std::vector<NetAddr>> jail_addresses(const params::ParamSet& p);
// ip_hostname (jail -h): resolves host.hostname and adds every address found to ip4.addr and
// ip6.addr, after those already given.
Ok add_hostname_addresses(params::ParamSet& p);
// Checks made before anything is created: `interface`s exist, vnet.interface exist, no
// running jail in `others` holds one of the addresses, and ip4.nat can be done.
Ok check_network(const params::ParamSet& p, const std::vector<JailState>& others);
// Sets up the host side and the jail's eth0 in the namespace `netns_fd`, saving every record
// in `s` through `reg` before the change it describes.
Ok setup_network(const Registry& reg, JailState& s, int netns_fd);
// Moves the vnet.interface links into the jail (recorded in `s`).
Ok move_vnet_interfaces(const Registry& reg, JailState& s, int netns_fd);
// Brings vnet interfaces back to the host (they would be destroyed with the namespace).
void return_vnet_interfaces(const JailState& s, int netns_fd);
// Removes the veth, proxy entries, NAT elements and sysctl changes recorded in `s`, under the
// registry lock; what another jail of the registry also records (a sysctl, the NAT table) stays.
void teardown_network(const Registry& reg, const JailState& s);

}  // namespace ljail::host
