#include "host/attach.h"

#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "host/lifecycle.h"
#include "host/passwd.h"
#include "sys/file.h"
#include "sys/ids.h"
#include "sys/proc.h"

extern char** environ;

namespace ljail::host {

namespace {

struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  std::string name = "root";
  std::string home = "/root";
  std::string shell = "/bin/sh";
  bool known = false;  // a user was named or -l given: set USER/HOME/SHELL
};

Result<std::string> jail_file(const JailState& s, const std::string& rel) {
  auto root = LJ_TRY(sys::open(s.path, O_PATH | O_DIRECTORY));
  auto fd = LJ_TRY(sys::open_in_root(root.get(), rel, O_RDONLY));
  return sys::read_all(fd.get());
}

Result<Identity> identify(const JailState& s, const AttachRequest& req) {
  Identity id;
  std::optional<Account> a;
  std::string groups;
  if (req.jail_user) {
    a = find_account(LJ_TRY(jail_file(s, "etc/passwd")), *req.jail_user);
    groups = jail_file(s, "etc/group").value_or("");
    if (!a) return Error::not_found("unknown user " + *req.jail_user);
  } else if (req.host_user || req.login) {
    std::string passwd = LJ_TRY(sys::read_file("/etc/passwd"));
    a = req.host_user ? find_account(passwd, *req.host_user)
                      : find_account_by_uid(passwd, ::getuid());
    groups = sys::read_file("/etc/group").value_or("");
    if (!a)
      return Error::not_found("unknown user " +
                              req.host_user.value_or("uid " + std::to_string(::getuid())));
  }
  if (a) {
    id.uid = a->uid;
    id.gid = a->gid;
    id.groups = groups_of(groups, a->name, a->gid);
    id.name = a->name;
    id.home = a->home;
    id.shell = a->shell.empty() ? "/bin/sh" : a->shell;
    id.known = true;
  }
  return id;
}

std::vector<std::string> environment(const Identity& id, const AttachRequest& req) {
  std::vector<std::string> env;
  if (req.login) {
    if (const char* term = std::getenv("TERM")) env.push_back(std::string("TERM=") + term);
    env.push_back(id.uid == 0 ? "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                              : "PATH=/usr/local/bin:/usr/bin:/bin");
  } else {
    for (char** e = environ; *e; ++e) {
      std::string_view v = *e;
      if (id.known &&
          (v.starts_with("USER=") || v.starts_with("HOME=") || v.starts_with("SHELL="))) {
        continue;
      }
      env.emplace_back(v);
    }
  }
  if (id.known) {
    env.push_back("USER=" + id.name);
    env.push_back("HOME=" + id.home);
    env.push_back("SHELL=" + id.shell);
  }
  return env;
}

[[noreturn]] void die(const Error& e) {
  std::string msg = "jexec: " + e.message() + "\n";
  (void)!::write(2, msg.data(), msg.size());
  ::_exit(126);
}

}  // namespace

Result<int> attach(const JailState& s, const AttachRequest& req) {
  Identity id = LJ_TRY(identify(s, req));
  std::vector<std::string> argv = req.argv;
  if (argv.empty()) {
    const char* shell = std::getenv("SHELL");
    argv = {shell && *shell ? shell : "/bin/sh", "-i"};
  }
  std::vector<std::string> env = environment(id, req);
  std::string cwd = req.workdir ? *req.workdir : (req.login ? id.home : "/");

  LJ_TRY(sys::prctl(PR_SET_DUMPABLE, 0));
  LJ_TRY(reset_loginuid());
  auto pidfd = LJ_TRY(sys::pidfd_open(s.init_pid));
  auto start = LJ_TRY(sys::process_start_time(s.init_pid));
  if (start != s.init_start) return Error::not_found("\"" + s.name + "\" not found");
  // Opened now, with the host's rights: once in the jail's user namespace the non-dumpable
  // init is out of reach.
  auto cgroupns = LJ_TRY(sys::open("/proc/" + std::to_string(s.init_pid) + "/ns/cgroup", O_RDONLY));
  std::vector<UniqueFd> cgroups;
  for (const auto& c : s.cgroups)
    cgroups.push_back(LJ_TRY(sys::open(c + "/cgroup.procs", O_WRONLY)));

  // Which of the init's namespaces differ from ours: join exactly those, all in one call.
  int flags = 0;
  const std::pair<const char*, int> kinds[] = {{"user", CLONE_NEWUSER}, {"mnt", CLONE_NEWNS},
                                               {"pid", CLONE_NEWPID},   {"uts", CLONE_NEWUTS},
                                               {"ipc", CLONE_NEWIPC},   {"net", CLONE_NEWNET}};
  for (const auto& [name, flag] : kinds) {
    auto theirs = sys::stat("/proc/" + std::to_string(s.init_pid) + "/ns/" + name);
    auto ours = sys::stat(std::string("/proc/self/ns/") + name);
    if (theirs && ours && theirs->st_ino != ours->st_ino) flags |= flag;
  }
  LJ_TRY_CTX(sys::setns(pidfd.get(), flags), "entering the jail");
  pid_t pid = LJ_TRY(sys::fork());
  if (pid == 0) {
    for (auto& c : cgroups) {
      if (auto r = sys::write_all(c.get(), "0"); !r) die(r.error());
    }
    cgroups.clear();
    if (auto r = sys::setns(cgroupns.get(), CLONE_NEWCGROUP); !r) die(r.error());
    if (auto r = sys::set_credentials(id.uid, id.gid, id.groups); !r) die(r.error());
    if (::chdir(cwd.c_str()) < 0) die(Error::sys(errno, cwd));
    if (auto r = sys::close_range_from(3); !r) die(r.error());
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    environ = envp.data();
    ::execvp(args[0], args.data());
    int err = errno;
    die(Error::sys(err, "exec " + argv[0]));
  }
  cgroups.clear();
  int status = LJ_TRY(sys::waitpid(pid));
  return sys::exit_code(status);
}

}  // namespace ljail::host
