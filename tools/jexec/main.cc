// jexec(8): run a command in a running jail.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "host/attach.h"
#include "host/lifecycle.h"
#include "host/registry.h"

namespace {

[[noreturn]] void usage() {
  std::fputs(
      "usage: jexec [-l] [-d working-directory] [-u username | -U username] jail "
      "[command ...]\n",
      stderr);
  std::exit(1);
}

int warn(const std::string& msg) {
  std::fprintf(stderr, "jexec: %s\n", msg.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  ljail::host::AttachRequest req;
  int ch;
  while ((ch = getopt(argc, argv, "+d:lnu:U:")) != -1) {
    switch (ch) {
      case 'd':
        req.workdir = optarg;
        break;
      case 'l':
        req.login = true;
        break;
      case 'n':
        break;  // historical, ignored as FreeBSD does
      case 'u':
        req.host_user = optarg;
        break;
      case 'U':
        req.jail_user = optarg;
        break;
      default:
        usage();
    }
  }
  if (optind >= argc || (req.host_user && req.jail_user)) usage();
  std::string key = argv[optind];
  req.argv.assign(argv + optind + 1, argv + argc);
  auto reg = ljail::host::Registry::open();
  if (!reg) return warn(reg.error().message());
  auto s = ljail::host::find_running(*reg, key);
  if (!s) return warn("jail \"" + key + "\" not found");
  auto status = ljail::host::attach(*s, req);
  if (!status) return warn(status.error().message());
  return *status;
}
