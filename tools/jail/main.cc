// jail(8): create, modify and remove jails, from param=value arguments or jail.conf.
#include <getopt.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "lib/jail_run.h"

namespace {

[[noreturn]] void usage() {
  std::fputs(
      "usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
      "            -[cmr] param=value ... [command=command ...]\n"
      "       jail [-dqv] [-f file] -[cmr] [jail]\n"
      "       jail [-qv] [-f file] -[rR] ['*' | jail ...]\n"
      "       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
      "            [-n jailname] [-s securelevel]\n"
      "            path hostname ip[,...] command ...\n"
      "       jail [-f file] -e separator\n",
      stderr);
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  ljail::lib::Invocation inv;
  int ch;
  // '+': options end at the first argument, so command=... may carry its own flags.
  while ((ch = getopt(argc, argv, "+cCde:f:hiJ:lmn:p:qrRs:u:U:v")) != -1) {
    switch (ch) {
      case 'c':
        inv.create = true;
        break;
      case 'C':
        inv.cleanup = true;
        break;
      case 'm':
        inv.modify = true;
        break;
      case 'r':
        inv.remove = true;
        break;
      case 'R':
        inv.remove = inv.raw_remove = true;
        break;
      case 'e':
        inv.e_separator = optarg;
        break;
      case 'f':
        inv.conf_file = optarg;
        inv.conf_given = true;
        break;
      case 'p':
        break;  // jails are handled one at a time: any limit holds
      case 'q':
        inv.quiet = true;
        inv.verbose = false;
        break;
      case 'v':
        inv.verbose = true;
        inv.quiet = false;
        break;
      case 'i':
        inv.print_jid = true;
        inv.quiet = true;
        break;
      case 'J':
        inv.jid_file = optarg;
        break;
      case 'n':
        inv.pre_params.push_back(std::string("name=") + optarg);
        break;
      case 's':
        inv.pre_params.push_back(std::string("securelevel=") + optarg);
        break;
      case 'u':
        inv.pre_params.push_back(std::string("exec.jail_user=") + optarg);
        inv.pre_params.push_back("exec.system_jail_user=true");
        break;
      case 'U':
        inv.pre_params.push_back(std::string("exec.jail_user=") + optarg);
        inv.pre_params.push_back("exec.system_jail_user=false");
        break;
      case 'l':
        inv.pre_params.push_back("exec.clean=true");
        break;
      case 'h':
        inv.pre_params.push_back("ip_hostname=true");
        break;
      case 'd':
        std::fputs(
            "jail: the 'allow.dying' parameter and '-d' flag are deprecated and have no "
            "effect.\n",
            stderr);
        break;
      default:
        usage();
    }
  }
  inv.args.assign(argv + optind, argv + argc);
  bool op = inv.create || inv.modify || inv.remove;
  if (inv.e_separator && (op || !inv.args.empty())) usage();
  if (!op && !inv.e_separator && inv.args.size() < 4) usage();
  if (inv.remove && !inv.create && !inv.modify) {
    // Removal takes jail names, never parameter assignments (-R neither).
    if (inv.args.empty()) usage();
    for (const auto& a : inv.args) {
      if (a.find('=') != std::string::npos) usage();
    }
  }
  return ljail::lib::run_jail(inv);
}
