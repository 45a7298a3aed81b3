// The host channel of ljail-init (child/protocol.h): one SOCK_SEQPACKET message per step,
// with descriptors (SCM_RIGHTS), and its words ("RUN 7 <command>", "RELEASE 0").
#pragma once

#include <cstddef>
#include <string_view>

#include "rt.h"

namespace ljail::init {

// The host's messages are at most this long (sys/proc.h kMaxMessage).
inline constexpr size_t kMaxMessage = 65536;
inline constexpr size_t kMaxFds = 8;

struct Received {
  std::string_view data;  // in the caller's buffer
  Fd fds[kMaxFds];
  size_t nfds = 0;
  bool eof = false;
};

// Where the host's messages after the plan land (kMaxMessage bytes, one at a time).
char* message_buffer();

// One message into `buf` (kMaxMessage bytes); a message cut short is an error (EMSGSIZE), its
// descriptors closed.
Status receive(int sock, char* buf, Received& out);
// One message with up to kMaxFds descriptors; -errno on failure.
long send(int sock, std::string_view data, std::initializer_list<int> fds = {});
// Up to four messages without descriptors in one system call (the peer wakes once); -errno on
// failure.
long send_all(int sock, const std::string_view* messages, size_t n);
// True when a message waits on `sock` (or it has an error or EOF to report).
bool readable(int sock);

// "WORD <number>[ <text>]".
struct Word {
  std::string_view kind;
  int64_t value = 0;
  std::string_view text;
};
bool parse_word(std::string_view data, Word& out);

// "ERR <errno> <text>": what the host turns back into an Error (child/protocol.h).
void send_error(int sock, const Status& s);

}  // namespace ljail::init
