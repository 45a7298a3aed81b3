// jail(8): create, modify and remove jails from param=value arguments (design.md 1).
#include <arpa/inet.h>
#include <getopt.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "base/strings.h"
#include "host/lifecycle.h"
#include "host/registry.h"
#include "params/params.h"
#include "sys/file.h"

extern char** environ;

namespace {

using namespace ljail;

struct Options {
  bool create = false, modify = false, remove = false, remove_raw = false;
  bool quiet = false, verbose = false, print_jid = false;
  std::string jid_file;
  std::vector<std::string> pre_params;  // from -n, -s, -u, -U, -l, -h
  bool config_flag = false;             // -f, -e, -C, -p
};

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

int warn(const std::string& msg) {
  std::fprintf(stderr, "jail: %s\n", msg.c_str());
  return 1;
}

struct Parsed {
  params::ParamSet params;
  std::vector<std::string> command;
};

Result<Parsed> parse_params(const Options& o, const std::vector<std::string>& args) {
  Parsed out;
  for (const auto& a : o.pre_params) LJ_TRY(out.params.set_arg(a));
  for (size_t i = 0; i < args.size(); ++i) {
    if (starts_with(args[i], "command=")) {
      out.command.push_back(args[i].substr(8));
      out.command.insert(out.command.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    LJ_TRY(out.params.set_arg(args[i]));
  }
  LJ_TRY(params::validate(out.params));
  return out;
}

// The old four-argument form: path hostname ip[,ip...] command...
Result<Parsed> parse_old_form(const Options& o, const std::vector<std::string>& args) {
  std::vector<std::string> conv = {"path=" + args[0], "host.hostname=" + args[1]};
  std::vector<std::string> v4, v6;
  for (const auto& ip : split(args[2], ',')) {
    if (ip.empty()) continue;
    unsigned char buf[16];
    (inet_pton(AF_INET6, ip.c_str(), buf) == 1 ? v6 : v4).push_back(ip);
  }
  if (!v4.empty()) conv.push_back("ip4.addr=" + join(v4, ","));
  if (!v6.empty()) conv.push_back("ip6.addr=" + join(v6, ","));
  conv.push_back("command=" + args[3]);
  conv.insert(conv.end(), args.begin() + 4, args.end());
  if (args[0].empty() || args[0][0] != '/') {
    return Error::invalid("path " + args[0] + ": not an absolute pathname");
  }
  return parse_params(o, conv);
}

std::vector<std::string> command_environment(const params::ParamSet& p) {
  std::vector<std::string> env;
  if (!p.get_bool("exec.clean")) {
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    return env;
  }
  if (const char* term = std::getenv("TERM")) env.push_back(std::string("TERM=") + term);
  env.push_back("PATH=/bin:/usr/bin");
  return env;
}

void write_jid_file(const std::string& file, const host::JailState& s) {
  FILE* f = std::fopen(file.c_str(), "we");
  if (!f) {
    warn(file + ": " + std::strerror(errno));
    return;
  }
  std::string line = "jid=" + std::to_string(s.jid) + "\tname=" + s.name;
  for (const auto& a : s.params.items()) {
    if (a.spec->name == "jid" || a.spec->name == "name" || !a.spec->has(params::kKernel)) continue;
    line += "\t" + std::string(a.spec->name) + "=" + params::export_value(*a.spec, a.value);
  }
  std::fprintf(f, "%s\n", line.c_str());
  std::fclose(f);
}

std::string describe(int status, const std::vector<std::string>& cmd) {
  std::string c = join(cmd, " ");
  if (WIFSIGNALED(status)) return c + ": exited on signal " + std::to_string(WTERMSIG(status));
  return c + ": failed";
}

int create(const host::Registry& reg, const Options& o, Parsed parsed) {
  // exec.start will count here too once the hooks run (jail.conf work); today only command.
  if (parsed.command.empty() && !parsed.params.get_bool("persist")) {
    return warn("new jail must persist or attach");
  }
  host::CreateRequest req;
  req.environment = command_environment(parsed.params);
  req.command = parsed.command;
  req.params = std::move(parsed.params);
  auto running = host::create_jail(reg, std::move(req));
  if (!running) return warn(running.error().message());
  const auto& s = running->state;
  if (o.print_jid) std::printf("%d\n", s.jid);
  if (o.verbose && !o.quiet) std::printf("%s: created\n", s.name.c_str());
  std::fflush(stdout);
  if (!o.jid_file.empty()) write_jid_file(o.jid_file, s);
  if (running->has_command) {
    auto status = host::wait_command(*running);
    if (!status || *status != 0) {
      (void)host::destroy_jail(reg, s);
      return warn(status ? describe(*status, parsed.command) : status.error().message());
    }
  }
  if (auto r = host::release(reg, *running); !r) return warn(r.error().message());
  return 0;
}

int modify(const host::Registry& reg, const Options& o, const Parsed& parsed, bool or_create) {
  std::string key = parsed.params.has("jid") ? std::to_string(parsed.params.get_uint("jid"))
                                             : parsed.params.get_string("name");
  if (key.empty()) return warn("no jail specified");
  auto s = host::find_running(reg, key);
  if (!s) {
    if (or_create) return create(reg, o, parsed);
    return warn(s.error().message());
  }
  params::ParamSet changes;
  for (const auto& a : parsed.params.items()) {
    if (a.spec->name == "jid" || a.spec->name == "name") continue;
    changes.set(a.spec, a.value);
  }
  auto next = host::modify_jail(reg, *s, changes);
  if (!next) return warn(next.error().message());
  if (!o.quiet) std::printf("%s: updated\n", s->name.c_str());
  return 0;
}

int remove(const host::Registry& reg, const Options& o, const std::vector<std::string>& names) {
  if (names.empty()) usage();
  int rc = 0;
  bool many = names.size() > 1;
  for (const auto& n : names) {
    std::vector<host::JailState> targets;
    if (n == "*") {
      targets = host::running_jails(reg);
      many = true;
    } else {
      auto s = host::find_running(reg, n);
      if (!s) {
        rc = warn(s.error().message());
        continue;
      }
      targets.push_back(std::move(*s));
    }
    for (const auto& s : targets) {
      int timeout = static_cast<int>(s.params.get_int("stop.timeout"));
      if (auto r = host::remove_jail(reg, s, timeout); !r) {
        rc = warn(s.name + ": " + r.error().message());
        continue;
      }
      if ((many || o.verbose) && !o.quiet) std::printf("%s: removed\n", s.name.c_str());
    }
  }
  return rc;
}

int restart(const host::Registry& reg, const Options& o, Parsed parsed) {
  std::string key = parsed.params.has("jid") ? std::to_string(parsed.params.get_uint("jid"))
                                             : parsed.params.get_string("name");
  if (key.empty()) return warn("no jail specified");
  auto s = host::find_running(reg, key);
  if (!s) return warn(s.error().message());
  int timeout = static_cast<int>(s->params.get_int("stop.timeout"));
  if (auto r = host::remove_jail(reg, *s, timeout); !r) return warn(r.error().message());
  return create(reg, o, std::move(parsed));
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  int ch;
  while ((ch = getopt(argc, argv, "+cCde:f:hiJ:lmn:p:qrRs:u:U:v")) != -1) {
    switch (ch) {
      case 'c':
        o.create = true;
        break;
      case 'm':
        o.modify = true;
        break;
      case 'r':
        o.remove = true;
        break;
      case 'R':
        o.remove = o.remove_raw = true;
        break;
      case 'q':
        o.quiet = true;
        o.verbose = false;
        break;
      case 'v':
        o.verbose = true;
        o.quiet = false;
        break;
      case 'i':
        o.print_jid = true;
        o.quiet = true;
        break;
      case 'J':
        o.jid_file = optarg;
        break;
      case 'n':
        o.pre_params.push_back(std::string("name=") + optarg);
        break;
      case 's':
        o.pre_params.push_back(std::string("securelevel=") + optarg);
        break;
      case 'u':
        o.pre_params.push_back(std::string("exec.jail_user=") + optarg);
        o.pre_params.push_back("exec.system_jail_user=true");
        break;
      case 'U':
        o.pre_params.push_back(std::string("exec.jail_user=") + optarg);
        o.pre_params.push_back("exec.system_jail_user=false");
        break;
      case 'l':
        o.pre_params.push_back("exec.clean=true");
        break;
      case 'h':
        o.pre_params.push_back("ip_hostname=true");
        break;
      case 'd':
        warn("the 'allow.dying' parameter and '-d' flag are deprecated and have no effect.");
        break;
      case 'C':
      case 'e':
      case 'f':
      case 'p':
        o.config_flag = true;
        break;
      default:
        usage();
    }
  }
  std::vector<std::string> args(argv + optind, argv + argc);
  if (o.config_flag) return warn("configuration files are not supported by this version yet");
  auto reg = host::Registry::open();
  if (!reg) return warn(reg.error().message());

  bool has_params = args.size() > 1 || (args.size() == 1 && args[0].find('=') != std::string::npos);
  if (!o.create && !o.modify && !o.remove) {
    if (args.size() < 4) usage();
    auto parsed = parse_old_form(o, args);
    if (!parsed) return warn(parsed.error().message());
    return create(*reg, o, std::move(*parsed));
  }
  if (o.remove && !o.create && !o.modify) return remove(*reg, o, args);
  if (!has_params) {
    struct stat st;
    if (::stat("/etc/jail.conf", &st) < 0) return warn("/etc/jail.conf: No such file or directory");
    return warn("configuration files are not supported by this version yet");
  }
  auto parsed = parse_params(o, args);
  if (!parsed) return warn(parsed.error().message());
  if (o.remove && o.create) return restart(*reg, o, std::move(*parsed));
  if (o.modify) return modify(*reg, o, *parsed, o.create);
  return create(*reg, o, std::move(*parsed));
}
