#include "host/attach.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/strings.h"
#include "host/lifecycle.h"
#include "host/passwd.h"
#include "host/plan.h"
#include "host/policy.h"
#include "host/policy_cache.h"
#include "sys/dirfile.h"
#include "sys/file.h"
#include "sys/ids.h"
#include "sys/proc.h"
#include "sys/security.h"

extern char** environ;

namespace ljail::host {

namespace {

Result<std::string> jail_file(const JailState& s, const std::string& rel) {
  auto root = LJ_TRY(sys::open(s.path, O_PATH | O_DIRECTORY));
  auto fd = LJ_TRY(sys::open_in_root(root.get(), rel, O_RDONLY));
  return sys::read_all(fd.get());
}

[[noreturn]] void die(const std::string& program, const Error& e) {
  std::string msg = program + ": " + e.message() + "\n";
  (void)!::write(2, msg.data(), msg.size());
  ::_exit(126);
}

// The jail's cgroups, opened with the host's rights before entering the jail: its cgroup v2
// directory (joined by clone3's CLONE_INTO_CGROUP) and the `tasks` files of its v1 ones.
struct CgroupJoin {
  UniqueFd v2_dir;
  std::vector<UniqueFd> v1_tasks;
};

Result<CgroupJoin> open_cgroups(const std::vector<std::string>& dirs) {
  CgroupJoin out;
  for (const auto& d : dirs) {
    auto dir = LJ_TRY(sys::open(d, O_RDONLY | O_DIRECTORY));
    if (LJ_TRY(sys::fs_type(dir.get())) == CGROUP2_SUPER_MAGIC && !out.v2_dir.valid()) {
      out.v2_dir = std::move(dir);
    } else {
      out.v1_tasks.push_back(LJ_TRY_CTX(sys::openat(dir.get(), "tasks", O_WRONLY), d));
    }
  }
  return out;
}

[[noreturn]] void exec_in_jail(const AttachSpec& spec, const Policy& policy, CgroupJoin& cgroups,
                               int cgroupns) {
  // The v1 cgroups by their `tasks` file, this thread alone: the process has no other thread
  // here, so the whole process moves. Through cgroup.procs the kernel would take its global
  // threadgroup lock for writing and wait for an RCU grace period: 5-28 ms on the development
  // host (bench/RESULTS.md), against 10-30 us this way.
  for (auto& c : cgroups.v1_tasks) {
    if (auto r = sys::write_all(c.get(), "0"); !r)
      die(spec.program, r.error().add_context("joining cgroup"));
  }
  cgroups = {};
  if (auto r = sys::setns(cgroupns, CLONE_NEWCGROUP); !r) die(spec.program, r.error());
  // The same policy as the init's, while still jail root (it takes CAP_SETPCAP and
  // CAP_SYS_ADMIN of the jail's user namespace).
  if (auto r = sys::join_new_session_keyring(); !r) die(spec.program, r.error());
  if (auto r = sys::drop_capabilities(policy.drop_caps); !r) die(spec.program, r.error());
  if (auto r = sys::seccomp_load(policy.bpf); !r) die(spec.program, r.error());
  // A command without a terminal gets a session of its own (no TIOCSTI into ours).
  if (spec.background) {
    // Not waited for: a grandchild, so the process that exits at once is the one inside the
    // jail and the daemon is reparented to the jail's init (not to the host's).
    pid_t daemon = ::fork();
    if (daemon < 0) die(spec.program, Error::sys(errno, "fork"));
    if (daemon > 0) ::_exit(0);
  }
  if (spec.background || !::isatty(0)) ::setsid();
  if (spec.output_fd >= 0) {
    ::dup2(spec.output_fd, 1);
    ::dup2(spec.output_fd, 2);
  }
  if (auto r = sys::set_credentials(spec.id.uid, spec.id.gid, spec.id.groups); !r) {
    die(spec.program, r.error());
  }
  // Nothing of the host stays open, before the working directory is even looked up.
  if (auto r = sys::close_range_from(3); !r) die(spec.program, r.error());
  if (::chdir(spec.cwd.c_str()) < 0) die(spec.program, Error::sys(errno, spec.cwd));
  if (spec.internal) ::_exit(spec.internal());
  die(spec.program, sys::exec_with_env(spec.argv, spec.env));
}

}  // namespace

Result<Identity> jail_identity(const JailState& s, const std::optional<std::string>& host_user,
                               const std::optional<std::string>& jail_user, bool login) {
  Identity id;
  std::optional<Account> a;
  std::string groups;
  if (jail_user) {
    a = find_account(LJ_TRY(jail_file(s, "etc/passwd")), *jail_user);
    groups = jail_file(s, "etc/group").value_or("");
    if (!a) return Error::not_found("unknown user " + *jail_user);
  } else if (host_user || login) {
    std::string passwd = LJ_TRY(sys::read_file("/etc/passwd"));
    a = host_user ? find_account(passwd, *host_user) : find_account_by_uid(passwd, ::getuid());
    groups = sys::read_file("/etc/group").value_or("");
    if (!a)
      return Error::not_found("unknown user " +
                              host_user.value_or("uid " + std::to_string(::getuid())));
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

std::vector<std::string> command_environment(const Identity& id, bool clean,
                                             const std::string& path) {
  std::vector<std::string> env;
  if (clean) {
    if (const char* term = std::getenv("TERM")) env.push_back(std::string("TERM=") + term);
    env.push_back("PATH=" + path);
  } else {
    for (char** e = environ; *e; ++e) {
      std::string_view v = *e;
      if (id.known &&
          (starts_with(v, "USER=") || starts_with(v, "HOME=") || starts_with(v, "SHELL="))) {
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

Result<int> attach_and_wait(const JailState& s, const AttachSpec& spec) {
  // Compiled once for all jails with the same policy and kept in the registry
  // (policy_cache.h), not at every attach.
  auto reg = Registry::open();
  Policy policy = reg ? LJ_TRY(cached_policy(*reg, s.params)) : LJ_TRY(make_policy(s.params));
  LJ_TRY(sys::prctl(PR_SET_DUMPABLE, 0));
  LJ_TRY(reset_loginuid());
  auto pidfd = LJ_TRY(init_pidfd(s));
  // Opened now, with the host's rights: once in the jail's user namespace the non-dumpable
  // init is out of reach.
  auto cgroupns = LJ_TRY(sys::namespace_of(pidfd.get(), s.init_pid, "cgroup"));
  CgroupJoin cgroups = LJ_TRY(open_cgroups(s.cgroups));

  // Every namespace of the jail at once (its cgroup namespace after joining its cgroups).
  int flags = static_cast<int>(namespace_flags(s.params) | CLONE_NEWNS);
  LJ_TRY_CTX(sys::setns(pidfd.get(), flags), "entering the jail");
  // The command is born in the jail's cgroup v2 (CLONE_INTO_CGROUP), and joins the v1 ones
  // first thing.
  auto child = LJ_TRY(sys::clone3(0, cgroups.v2_dir.valid() ? cgroups.v2_dir.get() : -1));
  if (child.pid == 0) exec_in_jail(spec, policy, cgroups, cgroupns.get());
  cgroups = {};
  int status = LJ_TRY(sys::waitpid(child.pid));
  return spec.background ? 0 : status;
}

Result<int> run_in_jail(const JailState& s, const AttachSpec& spec, int timeout) {
  auto helper = LJ_TRY(sys::clone3(0));
  if (helper.pid == 0) {
    auto st = attach_and_wait(s, spec);
    if (!st) die(spec.program, st.error());
    if (WIFSIGNALED(*st)) {
      // Die the same way, so jail(8) can say "exited on signal N".
      ::signal(WTERMSIG(*st), SIG_DFL);
      ::kill(::getpid(), WTERMSIG(*st));
    }
    ::_exit(sys::exit_code(*st));
  }
  if (!sys::wait_exit(helper.pidfd.get(), timeout > 0 ? timeout * 1000 : -1)) {
    return Error::with_code(ETIMEDOUT, "timed out");
  }
  return sys::waitpid(helper.pid);
}

}  // namespace ljail::host
