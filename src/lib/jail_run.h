// What jail(8) does once its flags are read: pick the jails (command line, jail.conf, running
// ones), order them by dependency, and walk each through its create, modify or remove steps,
// printing FreeBSD's messages. tools/jail/main.cc only parses flags into an Invocation.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ljail::lib {

struct Invocation {
  bool create = false, modify = false, remove = false;
  bool raw_remove = false;  // -R: no configuration, no hooks
  bool cleanup = false;     // -C
  bool quiet = false, verbose = false, print_jid = false;
  std::string jid_file;                      // -J
  std::string conf_file = "/etc/jail.conf";  // -f (- is stdin)
  bool conf_given = false;
  std::optional<std::string> e_separator;  // -e
  std::vector<std::string> pre_params;     // from -n, -s, -u, -U, -l, -h
  std::vector<std::string> args;
};

// Returns the exit status: 0 when every selected jail succeeded, 1 otherwise.
int run_jail(const Invocation& inv);

}  // namespace ljail::lib
