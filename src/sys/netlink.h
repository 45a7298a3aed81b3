// rtnetlink through libnl-3 (its message building; a static archive, so jail(8) can be a
// static program): links, veth pairs, addresses, routes and proxy neighbour entries.
// Every request waits for its ack; a refusal carries the kernel's errno and, when the kernel
// gives one, its extended-ack message.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"

struct nl_sock;
struct nl_msg;

namespace ljail::sys {

// An address of either family in network byte order, parsed from text.
struct IpAddr {
  int family = 0;  // AF_INET or AF_INET6
  unsigned char bytes[16] = {};
  static Result<IpAddr> parse(const std::string& text);
  size_t size() const;
};

class Netlink {
 public:
  // A socket in the current network namespace.
  static Result<Netlink> open();
  // A socket in the network namespace `netns_fd`; the caller's namespace is left unchanged.
  static Result<Netlink> open_in(int netns_fd);

  Result<int> link_index(const std::string& name);
  Ok link_up(int ifindex);
  // A veth pair: `name` here, `peer` created directly in the namespace `peer_netns_fd`.
  Ok veth_create(const std::string& name, const std::string& peer, int peer_netns_fd);
  // Deletes a link; a link that does not exist is success.
  Ok link_del(const std::string& name);
  // Moves a link into the namespace `netns_fd`.
  Ok link_move(int ifindex, int netns_fd);
  Ok addr_add(int ifindex, const IpAddr& addr, int prefix);
  // A route to addr/prefix out of `ifindex`, through `gateway` when given (family 0: none).
  Ok route_add(int ifindex, const IpAddr& dst, int prefix, const IpAddr& gateway);
  // Deletes a route; "no such route" is success.
  Ok route_del(int ifindex, const IpAddr& dst, int prefix);
  // Proxy ARP/NDP entry for `addr` on `ifindex` (ip neigh add proxy); delete ignores ENOENT.
  Ok neigh_proxy_add(int ifindex, const IpAddr& addr);
  Ok neigh_proxy_del(int ifindex, const IpAddr& addr);

 private:
  struct Closer {
    void operator()(struct nl_sock* s) const;
  };
  explicit Netlink(struct nl_sock* s) : sock_(s) {}
  Ok request(const std::string& what, struct nl_msg* msg, void* reply = nullptr,
             size_t reply_size = 0);

  std::unique_ptr<struct nl_sock, Closer> sock_;
  unsigned seq_ = 1;
};

}  // namespace ljail::sys
