// jexec(8): run a command in a running jail.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "host/attach.h"
#include "host/delegate.h"
#include "host/lifecycle.h"
#include "host/registry.h"
#include "sys/proc.h"

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
  std::optional<std::string> host_user, jail_user, workdir;
  bool login = false;
  int ch;
  while ((ch = getopt(argc, argv, "+d:lnu:U:")) != -1) {
    switch (ch) {
      case 'd':
        workdir = optarg;
        break;
      case 'l':
        login = true;
        break;
      case 'n':
        break;  // historical, ignored as FreeBSD does
      case 'u':
        host_user = optarg;
        break;
      case 'U':
        jail_user = optarg;
        break;
      default:
        usage();
    }
  }
  if (optind >= argc || (host_user && jail_user)) usage();
  std::string key = argv[optind];
  auto reg = ljail::host::Registry::open();
  if (!reg) return warn(reg.error().message());
  auto s = ljail::host::find_running(*reg, key);
  if (!s) {
    // parent.child: the parent's own jexec, inside the parent (host/delegate.h).
    auto nested = ljail::host::nested_target(*reg, key);
    if (!nested) return warn("jail \"" + key + "\" not found");
    std::vector<std::string> inner = {"jexec"};
    for (int i = 1; i < optind; ++i) inner.emplace_back(argv[i]);
    inner.push_back(nested->rest);
    inner.insert(inner.end(), argv + optind + 1, argv + argc);
    auto rc = ljail::host::run_in_parent(nested->parent, inner);
    if (!rc) return warn(rc.error().message());
    return *rc;
  }
  auto id = ljail::host::jail_identity(*s, host_user, jail_user, login);
  if (!id) return warn(id.error().message());
  ljail::host::AttachSpec spec;
  spec.argv.assign(argv + optind + 1, argv + argc);
  if (spec.argv.empty()) {
    const char* shell = std::getenv("SHELL");
    spec.argv = {shell && *shell ? shell : "/bin/sh", "-i"};
  }
  spec.id = *id;
  spec.env = ljail::host::command_environment(
      *id, login, id->uid == 0 ? ljail::host::kRootPath : ljail::host::kUserPath);
  spec.cwd = workdir ? *workdir : (login ? id->home : "/");
  auto status = ljail::host::attach_and_wait(*s, spec);
  if (!status) return warn(status.error().message());
  return ljail::sys::exit_code(*status);
}
