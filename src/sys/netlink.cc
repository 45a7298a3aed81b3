#include "sys/netlink.h"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <memory>

namespace ljail::sys {

namespace {

struct MnlCloser {
  void operator()(struct mnl_socket* s) const { mnl_socket_close(s); }
};
using MnlSocket = std::unique_ptr<struct mnl_socket, MnlCloser>;

// Sends one request and waits for its ack; a NLMSG_ERROR carries the errno and, with
// NETLINK_EXT_ACK, the kernel's message.
Ok request(const std::string& what, struct nlmsghdr* nlh) {
  MnlSocket sock(mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC));
  if (!sock) return Error::sys(errno, what + ": netlink socket");
  int one = 1;
  mnl_socket_setsockopt(sock.get(), NETLINK_EXT_ACK, &one, sizeof(one));
  if (mnl_socket_bind(sock.get(), 0, MNL_SOCKET_AUTOPID) < 0) {
    return Error::sys(errno, what + ": netlink bind");
  }
  nlh->nlmsg_flags |= NLM_F_ACK;
  nlh->nlmsg_seq = static_cast<uint32_t>(time(nullptr));
  if (mnl_socket_sendto(sock.get(), nlh, nlh->nlmsg_len) < 0) return Error::sys(errno, what);
  char buf[8192];
  ssize_t n = mnl_socket_recvfrom(sock.get(), buf, sizeof(buf));
  if (n < 0) return Error::sys(errno, what);
  auto* reply = reinterpret_cast<struct nlmsghdr*>(buf);
  if (reply->nlmsg_type == NLMSG_ERROR) {
    auto* err = static_cast<struct nlmsgerr*>(mnl_nlmsg_get_payload(reply));
    if (err->error != 0) return Error::sys(-err->error, what);
  }
  return {};
}

}  // namespace

Ok link_set_up(const std::string& ifname) {
  unsigned index = if_nametoindex(ifname.c_str());
  if (index == 0) return Error::sys(errno, "interface " + ifname);
  char buf[8192];
  struct nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  auto* ifm =
      static_cast<struct ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = static_cast<int>(index);
  ifm->ifi_flags = IFF_UP;
  ifm->ifi_change = IFF_UP;
  return request("setting " + ifname + " up", nlh);
}

}  // namespace ljail::sys
