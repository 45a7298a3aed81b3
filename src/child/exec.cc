#include "child/exec.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "sys/ids.h"
#include "sys/proc.h"

namespace ljail::child {

namespace {

[[noreturn]] void report(int fd, int err) {
  (void)!::write(fd, &err, sizeof(err));
  ::_exit(127);
}

}  // namespace

void exec_command(const CommandPlan& plan, int report_fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGPIPE, SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2}) {
    signal(sig, SIG_DFL);
  }
  if (auto r = sys::set_credentials(plan.uid, plan.gid, plan.groups); !r) {
    report(report_fd, r.error().code());
  }
  if (::chdir(plan.cwd.c_str()) < 0) report(report_fd, errno);
  if (auto r = sys::close_range_from(3, {report_fd}); !r) report(report_fd, r.error().code());

  std::vector<char*> argv;
  for (const auto& a : plan.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : plan.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  // execvp searches the PATH of the jail environment, not of the host.
  environ = envp.data();
  ::execvp(argv[0], argv.data());
  report(report_fd, errno);
}

}  // namespace ljail::child
