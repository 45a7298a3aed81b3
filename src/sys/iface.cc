#include "sys/iface.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"

namespace ljail::sys {

Result<UniqueFd> inet_socket() {
  UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock.valid()) return Error::sys(errno, "socket");
  return sock;
}

Ok interface_up(int sock, const std::string& name) {
  if (name.size() >= IFNAMSIZ) return Error::sys(EINVAL, "interface " + name);
  struct ifreq ifr;
  std::memset(&ifr, 0, sizeof(ifr));
  std::memcpy(ifr.ifr_name, name.c_str(), name.size());
  if (::ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) return Error::sys(errno, "SIOCGIFFLAGS " + name);
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  if (::ioctl(sock, SIOCSIFFLAGS, &ifr) < 0) return Error::sys(errno, "bringing " + name + " up");
  return {};
}

}  // namespace ljail::sys
