// mkjail's command line and the defaults it takes from the host (Debian release, apt mirror).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace mkjail {

enum class Init { kSysvinit, kSystemd };

struct Options {
  std::string dir;  // absolute
  std::string name;
  std::string suite;
  std::string mirror;
  std::string variant = "minbase";
  Init init = Init::kSysvinit;
  std::vector<std::string> include;  // the final lists, defaults applied, sorted
  std::vector<std::string> exclude;
  std::string hostname;
  std::vector<std::string> ip4;
  bool write_conf = false;
  std::string conf_file;  // where --conf writes
  std::string from_tarball;
  std::string cache_dir = "/var/cache/ljail";
  bool use_cache = true;
  bool refresh_cache = false;
  bool force = false;
  bool quiet = false;
};

// Parses argv and applies the defaults. A usage error prints the usage and exits 1; --help
// prints it and exits 0; an invalid value is returned as an error.
ljail::Result<Options> parse_options(int argc, char** argv);
[[noreturn]] void usage(int status);

// Host defaults, exposed for messages.
std::string host_codename();                        // "" when /etc/os-release has none
std::string host_mirror(const std::string& suite);  // "" when no apt source is found

}  // namespace mkjail
