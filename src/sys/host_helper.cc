#include "sys/host_helper.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "sys/dirfile.h"
#include "sys/file.h"
#include "sys/proc.h"

namespace ljail::sys {

namespace {

Result<std::string> helper_path() {
  auto self = LJ_TRY(read_link_at(AT_FDCWD, "/proc/self/exe"));
  return self.substr(0, self.rfind('/') + 1) + "ljail-host";
}

// Reads `out` and `err` to their ends, together (neither may fill while the other is read).
Ok drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* into[2] = {&out, &err};
  int open = 2;
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return Error::sys(errno, "poll");
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open;
        continue;
      }
      into[i]->append(buf, static_cast<size_t>(n));
    }
  }
  return {};
}

}  // namespace

Result<HelperRun> run_host_helper(const std::vector<std::string>& args, const std::string& input) {
  std::string path = LJ_TRY(helper_path());
  auto in = LJ_TRY(pipe());
  auto out = LJ_TRY(pipe());
  auto err = LJ_TRY(pipe());
  std::vector<std::string> argv_s = {"ljail-host"};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  char* envp[] = {nullptr};
  pid_t pid = LJ_TRY(fork());
  if (pid == 0) {
    // Only the three pipes go to the helper.
    if (::dup2(in.first.get(), 0) < 0 || ::dup2(out.second.get(), 1) < 0 ||
        ::dup2(err.second.get(), 2) < 0) {
      ::_exit(127);
    }
    (void)close_range_from(3);
    ::execve(path.c_str(), argv.data(), envp);
    ::_exit(127);
  }
  in.first.reset();
  out.second.reset();
  err.second.reset();
  // The helper reads its whole input before it writes: written first, then its end closed.
  // A helper gone early (EPIPE) says why on stderr.
  struct sigaction ignore = {}, old = {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old);
  (void)write_all(in.second.get(), input);
  ::sigaction(SIGPIPE, &old, nullptr);
  in.second.reset();
  HelperRun run;
  Ok drained = drain(out.first.get(), err.first.get(), run.out, run.err);
  run.status = LJ_TRY(waitpid(pid));
  LJ_TRY(std::move(drained));
  if (WIFEXITED(run.status) && WEXITSTATUS(run.status) == 127 && run.err.empty()) {
    return Error::sys(ENOENT, "executing " + path);
  }
  return run;
}

Result<std::vector<std::string>> resolve_name(const std::string& name) {
  HelperRun run = LJ_TRY(run_host_helper({"resolve", name}, ""));
  if (!WIFEXITED(run.status) || WEXITSTATUS(run.status) != 0) {
    std::string why(trim(run.err));
    return Error::invalid(why.empty() ? "not resolved" : why);
  }
  std::vector<std::string> out;
  for (const auto& line : split(run.out, '\n')) {
    std::string a(trim(line));
    if (!a.empty()) out.push_back(a);
  }
  return out;
}

}  // namespace ljail::sys
