#include "spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "sys/proc.h"

extern char** environ;

namespace mkjail {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void on_signal(int) {
  g_interrupted = 1;
}

bool is_executable(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Splits `buf` into lines, handing over each complete one; keeps the unfinished rest.
void flush_lines(std::string& buf, const std::function<void(std::string_view)>& on_line) {
  size_t start = 0;
  for (size_t i = 0; i < buf.size(); ++i) {
    if (buf[i] == '\n' || buf[i] == '\r') {
      if (i > start) on_line(std::string_view(buf).substr(start, i - start));
      start = i + 1;
    }
  }
  buf.erase(0, start);
}

}  // namespace

bool interrupted() {
  return g_interrupted != 0;
}

void install_interrupt_handlers() {
  struct sigaction sa = {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking read returns EINTR so the child is stopped
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

std::optional<std::string> find_program(const std::string& name) {
  const char* env = std::getenv("PATH");
  std::vector<std::string> dirs = ljail::split(env ? env : "/usr/bin:/bin", ':');
  for (const char* d : {"/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
    dirs.emplace_back(d);
  }
  for (const auto& d : dirs) {
    if (d.empty()) continue;
    std::string p = d + "/" + name;
    if (is_executable(p)) return p;
  }
  return std::nullopt;
}

ljail::Result<int> run(const Command& cmd) {
  std::vector<char*> argv;
  for (const auto& a : cmd.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  // Its own process group, so that an interrupt stops everything it started (debootstrap is a
  // shell script that only acts on SIGTERM after its current command, dpkg in the chroot).
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  // Output always comes through a pipe, so that a blocking read is where an interrupt is
  // noticed and passed on to the program.
  ljail::UniqueFd rd, wr, out;
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return ljail::Error::sys(errno, "pipe");
  rd.reset(p[0]);
  wr.reset(p[1]);
  if (!cmd.stdout_file.empty()) {
    int fd = ::open(cmd.stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ljail::Error::sys(errno, "open " + cmd.stdout_file);
    out.reset(fd);
  }
  posix_spawn_file_actions_adddup2(&fa, out.valid() ? out.get() : wr.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, wr.get(), STDERR_FILENO);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &fa, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return ljail::Error::sys(rc, "running " + cmd.argv[0]);
  wr.reset();
  out.reset();

  // On an interrupt the group gets SIGTERM, and SIGKILL if it is still there 10 s later.
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> signalled;
  bool killed = false;
  auto stop_child = [&] {
    if (!interrupted()) return;
    if (!signalled) {
      ::kill(-pid, SIGTERM);
      signalled = Clock::now();
    } else if (!killed && Clock::now() - *signalled > std::chrono::seconds(10)) {
      ::kill(-pid, SIGKILL);
      killed = true;
    }
  };
  std::string prog = cmd.argv[0].substr(cmd.argv[0].rfind('/') + 1);
  auto on_line = cmd.on_line ? cmd.on_line : [&prog](std::string_view line) {
    std::fprintf(stderr, "mkjail: %s: %.*s\n", prog.c_str(), static_cast<int>(line.size()),
                 line.data());
  };
  {
    std::string buf;
    char chunk[4096];
    while (true) {
      stop_child();
      if (signalled) {
        struct pollfd pfd = {rd.get(), POLLIN, 0};
        if (::poll(&pfd, 1, 1000) == 0) continue;
      }
      ssize_t n = ::read(rd.get(), chunk, sizeof(chunk));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      buf.append(chunk, static_cast<size_t>(n));
      flush_lines(buf, on_line);
    }
    if (!buf.empty()) on_line(buf);
  }
  // Whatever is left of the group once the pipe is closed goes with the program.
  auto status = LJ_TRY(ljail::sys::waitpid(pid, 0));
  if (signalled) ::kill(-pid, SIGKILL);
  return ljail::sys::exit_code(status);
}

}  // namespace mkjail
