// The host <-> jail init protocol over a SOCK_SEQPACKET pair, one message per step, in this
// order (the phase order is checked by both sides):
//   host -> init   GO            ids mapped: become jail root, exec ljail-init
//   init -> host   NET           ljail-init's first word: it runs, and the jail's network
//                                namespace, if it has one of its own, exists (made by the init,
//                                not the clone: so it overlaps jail(8)'s steps)
//   host -> init   the plan      (plan_codec.h, + the jail's mount namespace and procfs)
//                                cgroups joined, mounts built
//   init -> host   READY 0       setup finished: the jail is complete
//   host -> init   RUN           (+ stdin, stdout, stderr) a command of jail(8) while it holds
//                                the jail (exec.start, command=): the init forks it
//   init -> host   EXIT <status> the command's wait status (0 at once for a background one)
//   host -> init   RELEASE       the host's temporary persist ends
//   init -> host   BYE <0|1>     1: the jail stays, 0: it is empty and the init exits
// and at any point from a child: ERR <errno> <message>.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ljail::child {

enum class Msg { Go, Ready, Release, Bye, Err, Run, Exit, Net };

struct Parsed {
  Msg kind;
  long value = 0;    // BYE flag, ERR errno, EXIT wait status
  std::string text;  // ERR message, RUN command (plan_codec.h)
};

std::string encode(Msg kind, long value = 0);
std::string encode_error(const Error& e);
std::optional<Parsed> decode(std::string_view data);
// An ERR message turned back into an Error that renders the child's text.
Error to_error(const Parsed& p);

}  // namespace ljail::child
