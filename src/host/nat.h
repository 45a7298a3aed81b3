// Outbound NAT for jails with ip4.nat (issue #6): the host masquerades what a jail's IPv4
// addresses send out of any interface that is not a jail's veth, so a jail with a private
// address reaches the Internet (apt-get) through the host.
//
// ljail owns one nftables table per registry: `ip ljail` for the default registry and
// `ip ljail_<tag>` for another (Registry::tag()), so test registries never touch it:
//   set jails          IPv4 addresses of the jails with ip4.nat, one element per address,
//                      commented with the jail's name and jid
//   chain postrouting  type nat hook postrouting priority srcnat:
//                      oifname "lj1*" return ... oifname "lj9*" return   (jail veths)
//                      ip saddr @jails masquerade
// A set rather than a rule per jail: an element is added and deleted by its key (the address,
// unique among running jails), so a removal needs no rule handle and can never take another
// jail's rule; the single rule is rewritten (flush + add) with every addition, so a table left
// by a crash is repaired, never doubled. Traffic into any jail's veth (lj<jid>[<tag>]) keeps
// its source address, as it does without NAT: every other interface counts as an uplink.
//
// Each element is recorded in the jail's state ("table|address", JailState::nat) before it is
// added; the table is created with the first element and deleted when no jail records one.
// Replies come in on the uplink and are forwarded to the jail's veth, so the uplink needs IPv4
// forwarding (per input device): host/net.cc sets and records it for nat_uplinks().
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "host/net.h"
#include "host/registry.h"
#include "params/params.h"

namespace ljail::host {

// The table of the registry `tag` ("" for the default one).
std::string nat_table(const std::string& tag);
// Checks made before anything is created: ip4.nat needs ip4.addr, the jail's own network
// stack (not ip4=inherit/disable, ip6=inherit or vnet=new) and an uplink.
Ok check_nat(const params::ParamSet& p);
// The interfaces NATed traffic leaves by, whose replies must be forwarded: the interfaces
// named for the IPv4 addresses (`interface`, "iface|addr"), else those of the host's IPv4
// default routes.
Result<std::vector<std::string>> nat_uplinks(const std::vector<NetAddr>& addrs);
// Puts the jail's IPv4 addresses into the masquerade set, making the table if needed.
Ok setup_nat(const Registry& reg, JailState& s, const std::vector<NetAddr>& addrs);
// Deletes the elements recorded in `s`, and each table no jail in `others` records any more.
// Call it under the registry lock, with `others` read under it.
void teardown_nat(const JailState& s, const std::vector<JailState>& others);

}  // namespace ljail::host
