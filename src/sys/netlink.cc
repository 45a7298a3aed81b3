#include "sys/netlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "base/unique_fd.h"
#include "sys/file.h"
#include "sys/proc.h"

namespace ljail::sys {

namespace {

constexpr size_t kBuf = 8192;

std::string extack(const struct nlmsghdr* reply) {
  // The NLMSGERR_ATTR_MSG attribute after the echoed request header.
  if (!(reply->nlmsg_flags & NLM_F_ACK_TLVS)) return "";
  auto* err = static_cast<const struct nlmsgerr*>(nlmsg_data(reply));
  size_t offset = sizeof(*err);
  if (!(reply->nlmsg_flags & NLM_F_CAPPED)) offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
  const char* base = static_cast<const char*>(nlmsg_data(reply));
  const char* end = reinterpret_cast<const char*>(reply) + reply->nlmsg_len;
  for (auto* a = reinterpret_cast<const struct nlattr*>(base + offset);
       reinterpret_cast<const char*>(a) + sizeof(*a) <= end && a->nla_len >= sizeof(*a);
       a = reinterpret_cast<const struct nlattr*>(reinterpret_cast<const char*>(a) +
                                                  NLA_ALIGN(a->nla_len))) {
    if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
      return std::string(static_cast<const char*>(nla_data(a)));
    }
  }
  return "";
}

// A request being built (libnl-3's message), freed with it.
struct MsgFree {
  void operator()(struct nl_msg* m) const { nlmsg_free(m); }
};
using Msg = std::unique_ptr<struct nl_msg, MsgFree>;

Msg header(uint16_t type, uint16_t flags) {
  return Msg(nlmsg_alloc_simple(type, NLM_F_REQUEST | flags));
}

// A fixed header of `size` bytes appended to the message, zeroed.
template <class T>
T* put(struct nl_msg* m) {
  void* p = nlmsg_reserve(m, sizeof(T), NLMSG_ALIGNTO);
  if (p) std::memset(p, 0, sizeof(T));
  return static_cast<T*>(p);
}

struct ifinfomsg* link_msg(struct nl_msg* m, int index) {
  auto* ifm = put<struct ifinfomsg>(m);
  if (ifm) {
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = index;
  }
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

void Netlink::Closer::operator()(struct nl_sock* s) const {
  nl_socket_free(s);
}

Result<Netlink> Netlink::open() {
  struct nl_sock* s = nl_socket_alloc();
  if (!s) return Error::sys(ENOMEM, "netlink socket");
  Netlink nl(s);
  // Acks come to us by sequence number (request()), not through libnl's callbacks.
  nl_socket_disable_seq_check(s);
  if (int r = nl_connect(s, NETLINK_ROUTE); r < 0) {
    return Error::with_code(EPROTO, std::string("netlink socket: ") + nl_geterror(r));
  }
  int fd = nl_socket_get_fd(s);
  if (::fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return Error::sys(errno, "netlink socket");
  int one = 1;
  ::setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
  ::setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
  return nl;
}

Result<Netlink> Netlink::open_in(int netns_fd) {
  auto here = LJ_TRY(sys::open("/proc/thread-self/ns/net", O_RDONLY));
  LJ_TRY_CTX(sys::setns(netns_fd, CLONE_NEWNET), "entering the jail's network");
  auto nl = open();
  if (auto back = sys::setns(here.get(), CLONE_NEWNET); !back) return back.error();
  return nl;
}

Ok Netlink::request(const std::string& what, struct nl_msg* msg, void* reply, size_t reply_size) {
  if (!msg) return Error::sys(ENOMEM, what);
  struct nlmsghdr* nlh = nlmsg_hdr(msg);
  nlh->nlmsg_flags |= NLM_F_ACK;
  nlh->nlmsg_seq = seq_++;
  int fd = nl_socket_get_fd(sock_.get());
  struct sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd, nlh, nlh->nlmsg_len, 0, reinterpret_cast<struct sockaddr*>(&kernel),
               sizeof(kernel)) < 0) {
    return Error::sys(errno, what);
  }
  alignas(struct nlmsghdr) char buf[kBuf];
  while (true) {
    ssize_t got = ::recv(fd, buf, sizeof(buf), 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Error::sys(errno, what);
    }
    int n = static_cast<int>(got);
    for (auto* r = reinterpret_cast<struct nlmsghdr*>(buf); nlmsg_ok(r, n); r = nlmsg_next(r, &n)) {
      if (r->nlmsg_seq != nlh->nlmsg_seq) continue;
      if (r->nlmsg_type == NLMSG_ERROR) {
        auto* err = static_cast<struct nlmsgerr*>(nlmsg_data(r));
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
  Msg m = header(RTM_GETLINK, 0);
  if (!m || !link_msg(m.get(), 0) || nla_put_string(m.get(), IFLA_IFNAME, name.c_str()) < 0) {
    return Error::sys(ENOMEM, "interface " + name);
  }
  alignas(struct nlmsghdr) char reply[kBuf];
  LJ_TRY(request("interface " + name, m.get(), reply, sizeof(reply)));
  auto* r = reinterpret_cast<struct nlmsghdr*>(reply);
  if (r->nlmsg_type != RTM_NEWLINK) return Error::not_found("interface " + name + ": not found");
  return static_cast<struct ifinfomsg*>(nlmsg_data(r))->ifi_index;
}

Ok Netlink::link_up(int ifindex) {
  Msg m = header(RTM_NEWLINK, 0);
  auto* ifm = m ? link_msg(m.get(), ifindex) : nullptr;
  if (!ifm) return Error::sys(ENOMEM, "setting interface up");
  ifm->ifi_flags = IFF_UP;
  ifm->ifi_change = IFF_UP;
  return request("setting interface up", m.get());
}

Ok Netlink::veth_create(const std::string& name, const std::string& peer, int peer_netns_fd) {
  std::string what = "creating veth " + name;
  Msg m = header(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  if (!m || !link_msg(m.get(), 0) || nla_put_string(m.get(), IFLA_IFNAME, name.c_str()) < 0) {
    return Error::sys(ENOMEM, what);
  }
  struct nlattr* linkinfo = nla_nest_start(m.get(), IFLA_LINKINFO);
  if (!linkinfo || nla_put_string(m.get(), IFLA_INFO_KIND, "veth") < 0) {
    return Error::sys(ENOMEM, what);
  }
  struct nlattr* data = nla_nest_start(m.get(), IFLA_INFO_DATA);
  struct nlattr* peer_info = data ? nla_nest_start(m.get(), VETH_INFO_PEER) : nullptr;
  auto* pm = peer_info ? put<struct ifinfomsg>(m.get()) : nullptr;
  if (!pm) return Error::sys(ENOMEM, what);
  pm->ifi_family = AF_UNSPEC;
  if (nla_put_string(m.get(), IFLA_IFNAME, peer.c_str()) < 0 ||
      nla_put_u32(m.get(), IFLA_NET_NS_FD, static_cast<uint32_t>(peer_netns_fd)) < 0) {
    return Error::sys(ENOMEM, what);
  }
  nla_nest_end(m.get(), peer_info);
  nla_nest_end(m.get(), data);
  nla_nest_end(m.get(), linkinfo);
  return request(what, m.get());
}

Ok Netlink::link_del(const std::string& name) {
  std::string what = "deleting interface " + name;
  Msg m = header(RTM_DELLINK, 0);
  if (!m || !link_msg(m.get(), 0) || nla_put_string(m.get(), IFLA_IFNAME, name.c_str()) < 0) {
    return Error::sys(ENOMEM, what);
  }
  auto r = request(what, m.get());
  if (!r && (r.error().code() == ENODEV || r.error().code() == ENOENT)) return {};
  return r;
}

Ok Netlink::link_move(int ifindex, int netns_fd) {
  Msg m = header(RTM_NEWLINK, 0);
  if (!m || !link_msg(m.get(), ifindex) ||
      nla_put_u32(m.get(), IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd)) < 0) {
    return Error::sys(ENOMEM, "moving interface");
  }
  return request("moving interface", m.get());
}

Ok Netlink::addr_add(int ifindex, const IpAddr& addr, int prefix) {
  Msg m = header(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  auto* ifa = m ? put<struct ifaddrmsg>(m.get()) : nullptr;
  if (!ifa) return Error::sys(ENOMEM, "adding address");
  ifa->ifa_family = static_cast<uint8_t>(addr.family);
  ifa->ifa_prefixlen = static_cast<uint8_t>(prefix);
  ifa->ifa_index = static_cast<uint32_t>(ifindex);
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  int size = static_cast<int>(addr.size());
  bool ok = nla_put(m.get(), IFA_LOCAL, size, addr.bytes) == 0 &&
            nla_put(m.get(), IFA_ADDRESS, size, addr.bytes) == 0;
  // No duplicate address detection: the address is usable at once.
  if (ok && addr.family == AF_INET6) ok = nla_put_u32(m.get(), IFA_FLAGS, IFA_F_NODAD) == 0;
  if (!ok) return Error::sys(ENOMEM, "adding address");
  return request("adding address", m.get());
}

namespace {

struct rtmsg* route_msg(struct nl_msg* m, int ifindex, const IpAddr& dst, int prefix, bool del) {
  auto* rtm = put<struct rtmsg>(m);
  if (!rtm) return nullptr;
  rtm->rtm_family = static_cast<uint8_t>(dst.family);
  rtm->rtm_dst_len = static_cast<uint8_t>(prefix);
  rtm->rtm_table = RT_TABLE_MAIN;
  rtm->rtm_protocol = RTPROT_STATIC;
  rtm->rtm_scope = del ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
  rtm->rtm_type = RTN_UNICAST;
  if (prefix > 0 && nla_put(m, RTA_DST, static_cast<int>(dst.size()), dst.bytes) < 0) {
    return nullptr;
  }
  if (nla_put_u32(m, RTA_OIF, static_cast<uint32_t>(ifindex)) < 0) return nullptr;
  return rtm;
}

}  // namespace

Ok Netlink::route_add(int ifindex, const IpAddr& dst, int prefix, const IpAddr& gateway) {
  Msg m = header(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  auto* rtm = m ? route_msg(m.get(), ifindex, dst, prefix, false) : nullptr;
  if (!rtm) return Error::sys(ENOMEM, "adding route");
  if (gateway.family) {
    if (nla_put(m.get(), RTA_GATEWAY, static_cast<int>(gateway.size()), gateway.bytes) < 0) {
      return Error::sys(ENOMEM, "adding route");
    }
  } else {
    rtm->rtm_scope = RT_SCOPE_LINK;
  }
  return request("adding route", m.get());
}

Ok Netlink::route_del(int ifindex, const IpAddr& dst, int prefix) {
  Msg m = header(RTM_DELROUTE, 0);
  if (!m || !route_msg(m.get(), ifindex, dst, prefix, true)) {
    return Error::sys(ENOMEM, "deleting route");
  }
  auto r = request("deleting route", m.get());
  if (!r && (r.error().code() == ESRCH || r.error().code() == ENODEV)) return {};
  return r;
}

namespace {

bool neigh_msg(struct nl_msg* m, int ifindex, const IpAddr& addr) {
  auto* nd = put<struct ndmsg>(m);
  if (!nd) return false;
  nd->ndm_family = static_cast<uint8_t>(addr.family);
  nd->ndm_ifindex = ifindex;
  nd->ndm_flags = NTF_PROXY;
  nd->ndm_state = NUD_PERMANENT;
  return nla_put(m, NDA_DST, static_cast<int>(addr.size()), addr.bytes) == 0;
}

}  // namespace

Ok Netlink::neigh_proxy_add(int ifindex, const IpAddr& addr) {
  Msg m = header(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
  if (!m || !neigh_msg(m.get(), ifindex, addr)) {
    return Error::sys(ENOMEM, "adding proxy neighbour entry");
  }
  return request("adding proxy neighbour entry", m.get());
}

Ok Netlink::neigh_proxy_del(int ifindex, const IpAddr& addr) {
  Msg m = header(RTM_DELNEIGH, 0);
  if (!m || !neigh_msg(m.get(), ifindex, addr)) {
    return Error::sys(ENOMEM, "deleting proxy neighbour entry");
  }
  auto r = request("deleting proxy neighbour entry", m.get());
  if (!r && (r.error().code() == ENOENT || r.error().code() == ENODEV)) return {};
  return r;
}

}  // namespace ljail::sys
