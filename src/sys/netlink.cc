#include "sys/netlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"
#include "sys/file.h"
#include "sys/proc.h"

namespace ljail::sys {

namespace {

constexpr size_t kBuf = 8192;

std::string extack(const struct nlmsghdr* reply) {
  // The NLMSGERR_ATTR_MSG attribute after the echoed request header.
  if (!(reply->nlmsg_flags & NLM_F_ACK_TLVS)) return "";
  auto* err = static_cast<const struct nlmsgerr*>(mnl_nlmsg_get_payload(reply));
  size_t offset = sizeof(*err);
  if (!(reply->nlmsg_flags & NLM_F_CAPPED)) offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
  const char* base = static_cast<const char*>(mnl_nlmsg_get_payload(reply));
  const char* end = reinterpret_cast<const char*>(reply) + reply->nlmsg_len;
  for (auto* a = reinterpret_cast<const struct nlattr*>(base + offset);
       reinterpret_cast<const char*>(a) + sizeof(*a) <= end && a->nla_len >= sizeof(*a);
       a = reinterpret_cast<const struct nlattr*>(reinterpret_cast<const char*>(a) +
                                                  NLA_ALIGN(a->nla_len))) {
    if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
      return std::string(static_cast<const char*>(mnl_attr_get_payload(a)));
    }
  }
  return "";
}

struct nlmsghdr* header(char* buf, uint16_t type, uint16_t flags) {
  struct nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | flags;
  return nlh;
}

struct ifinfomsg* link_msg(struct nlmsghdr* nlh, int index) {
  auto* ifm =
      static_cast<struct ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = index;
  return ifm;
}

}  // namespace

Result<IpAddr> IpAddr::parse(const std::string& text) {
  IpAddr a;
  if (inet_pton(AF_INET, text.c_str(), a.bytes) == 1) {
    a.family = AF_INET;
  } else if (inet_pton(AF_INET6, text.c_str(), a.bytes) == 1) {
    a.family = AF_INET6;
  } else {
    return Error::invalid("not an IP address: " + text);
  }
  return a;
}

size_t IpAddr::size() const {
  return family == AF_INET ? 4 : 16;
}

void Netlink::Closer::operator()(struct mnl_socket* s) const {
  mnl_socket_close(s);
}

Result<Netlink> Netlink::open() {
  struct mnl_socket* s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
  if (!s) return Error::sys(errno, "netlink socket");
  Netlink nl(s);
  int one = 1;
  mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
  mnl_socket_setsockopt(s, NETLINK_CAP_ACK, &one, sizeof(one));
  if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) return Error::sys(errno, "netlink bind");
  return nl;
}

Result<Netlink> Netlink::open_in(int netns_fd) {
  auto here = LJ_TRY(sys::open("/proc/thread-self/ns/net", O_RDONLY));
  LJ_TRY_CTX(sys::setns(netns_fd, CLONE_NEWNET), "entering the jail's network");
  auto nl = open();
  if (auto back = sys::setns(here.get(), CLONE_NEWNET); !back) return back.error();
  return nl;
}

Ok Netlink::request(const std::string& what, void* msg, void* reply, size_t reply_size) {
  auto* nlh = static_cast<struct nlmsghdr*>(msg);
  nlh->nlmsg_flags |= NLM_F_ACK;
  nlh->nlmsg_seq = seq_++;
  if (mnl_socket_sendto(sock_.get(), nlh, nlh->nlmsg_len) < 0) return Error::sys(errno, what);
  char buf[kBuf];
  while (true) {
    ssize_t got = mnl_socket_recvfrom(sock_.get(), buf, sizeof(buf));
    if (got < 0) return Error::sys(errno, what);
    int n = static_cast<int>(got);
    for (auto* r = reinterpret_cast<struct nlmsghdr*>(buf); mnl_nlmsg_ok(r, n);
         r = mnl_nlmsg_next(r, &n)) {
      if (r->nlmsg_seq != nlh->nlmsg_seq) continue;
      if (r->nlmsg_type == NLMSG_ERROR) {
        auto* err = static_cast<struct nlmsgerr*>(mnl_nlmsg_get_payload(r));
        if (err->error == 0) return {};
        std::string text = extack(r);
        Error e = Error::sys(-err->error, what);
        if (!text.empty())
          e = Error::with_code(-err->error,
                               what + ": " + text + " (" + std::strerror(-err->error) + ")");
        return e;
      }
      if (reply && r->nlmsg_len <= reply_size) std::memcpy(reply, r, r->nlmsg_len);
    }
  }
}

Result<int> Netlink::link_index(const std::string& name) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_GETLINK, 0);
  link_msg(nlh, 0);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  alignas(struct nlmsghdr) char reply[kBuf];
  LJ_TRY(request("interface " + name, nlh, reply, sizeof(reply)));
  auto* r = reinterpret_cast<struct nlmsghdr*>(reply);
  if (r->nlmsg_type != RTM_NEWLINK) return Error::not_found("interface " + name + ": not found");
  return static_cast<struct ifinfomsg*>(mnl_nlmsg_get_payload(r))->ifi_index;
}

Ok Netlink::link_up(int ifindex) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_NEWLINK, 0);
  auto* ifm = link_msg(nlh, ifindex);
  ifm->ifi_flags = IFF_UP;
  ifm->ifi_change = IFF_UP;
  return request("setting interface up", nlh);
}

Ok Netlink::veth_create(const std::string& name, const std::string& peer, int peer_netns_fd) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  link_msg(nlh, 0);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  struct nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
  struct nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  struct nlattr* peer_info = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
  auto* pm =
      static_cast<struct ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)));
  pm->ifi_family = AF_UNSPEC;
  mnl_attr_put_strz(nlh, IFLA_IFNAME, peer.c_str());
  mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(peer_netns_fd));
  mnl_attr_nest_end(nlh, peer_info);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, linkinfo);
  return request("creating veth " + name, nlh);
}

Ok Netlink::link_del(const std::string& name) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_DELLINK, 0);
  link_msg(nlh, 0);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  auto r = request("deleting interface " + name, nlh);
  if (!r && (r.error().code() == ENODEV || r.error().code() == ENOENT)) return {};
  return r;
}

Ok Netlink::link_move(int ifindex, int netns_fd) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_NEWLINK, 0);
  link_msg(nlh, ifindex);
  mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd));
  return request("moving interface", nlh);
}

Ok Netlink::addr_add(int ifindex, const IpAddr& addr, int prefix) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  auto* ifa =
      static_cast<struct ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifaddrmsg)));
  ifa->ifa_family = static_cast<uint8_t>(addr.family);
  ifa->ifa_prefixlen = static_cast<uint8_t>(prefix);
  ifa->ifa_index = static_cast<uint32_t>(ifindex);
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  mnl_attr_put(nlh, IFA_LOCAL, addr.size(), addr.bytes);
  mnl_attr_put(nlh, IFA_ADDRESS, addr.size(), addr.bytes);
  // No duplicate address detection: the address is usable at once.
  if (addr.family == AF_INET6) mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
  return request("adding address", nlh);
}

namespace {

void route_msg(struct nlmsghdr* nlh, int ifindex, const IpAddr& dst, int prefix, bool del) {
  auto* rtm = static_cast<struct rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg)));
  rtm->rtm_family = static_cast<uint8_t>(dst.family);
  rtm->rtm_dst_len = static_cast<uint8_t>(prefix);
  rtm->rtm_table = RT_TABLE_MAIN;
  rtm->rtm_protocol = RTPROT_STATIC;
  rtm->rtm_scope = del ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
  rtm->rtm_type = RTN_UNICAST;
  if (prefix > 0) mnl_attr_put(nlh, RTA_DST, dst.size(), dst.bytes);
  mnl_attr_put_u32(nlh, RTA_OIF, static_cast<uint32_t>(ifindex));
}

}  // namespace

Ok Netlink::route_add(int ifindex, const IpAddr& dst, int prefix, const IpAddr& gateway) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  route_msg(nlh, ifindex, dst, prefix, false);
  auto* rtm = static_cast<struct rtmsg*>(mnl_nlmsg_get_payload(nlh));
  if (gateway.family) {
    mnl_attr_put(nlh, RTA_GATEWAY, gateway.size(), gateway.bytes);
  } else {
    rtm->rtm_scope = RT_SCOPE_LINK;
  }
  return request("adding route", nlh);
}

Ok Netlink::route_del(int ifindex, const IpAddr& dst, int prefix) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_DELROUTE, 0);
  route_msg(nlh, ifindex, dst, prefix, true);
  auto r = request("deleting route", nlh);
  if (!r && (r.error().code() == ESRCH || r.error().code() == ENODEV)) return {};
  return r;
}

namespace {

void neigh_msg(struct nlmsghdr* nlh, int ifindex, const IpAddr& addr) {
  auto* nd = static_cast<struct ndmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(struct ndmsg)));
  nd->ndm_family = static_cast<uint8_t>(addr.family);
  nd->ndm_ifindex = ifindex;
  nd->ndm_flags = NTF_PROXY;
  nd->ndm_state = NUD_PERMANENT;
  mnl_attr_put(nlh, NDA_DST, addr.size(), addr.bytes);
}

}  // namespace

Ok Netlink::neigh_proxy_add(int ifindex, const IpAddr& addr) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
  neigh_msg(nlh, ifindex, addr);
  return request("adding proxy neighbour entry", nlh);
}

Ok Netlink::neigh_proxy_del(int ifindex, const IpAddr& addr) {
  char buf[kBuf];
  auto* nlh = header(buf, RTM_DELNEIGH, 0);
  neigh_msg(nlh, ifindex, addr);
  auto r = request("deleting proxy neighbour entry", nlh);
  if (!r && (r.error().code() == ENOENT || r.error().code() == ENODEV)) return {};
  return r;
}

Ok link_set_up(const std::string& ifname) {
  auto nl = LJ_TRY(Netlink::open());
  int index = LJ_TRY(nl.link_index(ifname));
  return nl.link_up(index);
}

}  // namespace ljail::sys
