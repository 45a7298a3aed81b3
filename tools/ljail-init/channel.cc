#include "channel.h"

#include <poll.h>        // struct pollfd: types and constants only, here and below
#include <sys/socket.h>  // struct msghdr, mmsghdr, cmsghdr, MSG_*, SCM_RIGHTS

#include "child/wire.h"

namespace ljail::init {

namespace raw = sys::raw;

char* message_buffer() {
  // Static and untouched until used: a page costs only once a message reaches it.
  static char buf[kMaxMessage];
  return buf;
}

Status receive(int sock, char* buf, Received& out) {
  struct iovec iov = {buf, kMaxMessage};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  long n;
  while ((n = raw::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) == -EINTR) {
  }
  if (n < 0) return Status::sys(n, "recvmsg");
  // One SCM_RIGHTS header is all the host sends (and all `control` has room for).
  if (msg.msg_controllen >= sizeof(struct cmsghdr)) {
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    if (c != nullptr && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count && i < kMaxFds; ++i) {
        int fd;
        __builtin_memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        out.fds[out.nfds++] = Fd(fd);
      }
    }
  }
  if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) return Status::sys(-EMSGSIZE, "recvmsg");
  out.eof = n == 0;
  out.data = std::string_view(buf, static_cast<size_t>(n));
  return {};
}

long send(int sock, std::string_view data, std::initializer_list<int> fds) {
  struct iovec iov = {const_cast<char*>(data.data()), data.size()};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  if (fds.size() > 0 && fds.size() <= kMaxFds) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    __builtin_memcpy(CMSG_DATA(c), fds.begin(), sizeof(int) * fds.size());
  }
  long r;
  while ((r = raw::sendmsg(sock, &msg, MSG_NOSIGNAL)) == -EINTR) {
  }
  return r < 0 ? r : 0;
}

long send_all(int sock, const std::string_view* messages, size_t n) {
  struct iovec iov[4];
  struct mmsghdr msgs[4] = {};
  if (n > 4) return -EINVAL;
  for (size_t i = 0; i < n; ++i) {
    iov[i] = {const_cast<char*>(messages[i].data()), messages[i].size()};
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  for (size_t done = 0; done < n;) {
    long r = raw::sendmmsg(sock, msgs + done, static_cast<unsigned>(n - done), MSG_NOSIGNAL);
    if (r == -EINTR) continue;
    if (r < 0) return r;
    done += static_cast<size_t>(r);
  }
  return 0;
}

bool readable(int sock) {
  struct pollfd p = {sock, POLLIN, 0};
  return raw::poll(&p, 1, 0) > 0;
}

bool parse_word(std::string_view data, Word& out) {
  size_t sp = data.find(' ');
  if (sp == std::string_view::npos) return false;
  out.kind = data.substr(0, sp);
  std::string_view rest = data.substr(sp + 1);
  size_t sp2 = rest.find(' ');
  std::string_view num = rest.substr(0, sp2);
  bool negative = !num.empty() && num.front() == '-';
  if (negative) num.remove_prefix(1);
  uint64_t v = 0;
  if (!child::wire::parse_u64(num, v) || v > INT64_MAX) return false;
  out.value = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  out.text = sp2 == std::string_view::npos ? std::string_view() : rest.substr(sp2 + 1);
  return true;
}

void send_error(int sock, const Status& s) {
  Text<600> m;
  m << "ERR " << s.code() << " " << s.text();
  (void)send(sock, m.view());
}

}  // namespace ljail::init
