#include "child/init.h"

#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "child/plan_codec.h"
#include "child/protocol.h"
#include "sys/file.h"
#include "sys/ids.h"
#include "sys/mount.h"
#include "sys/proc.h"
#include "sys/security.h"
#include "sys/tty.h"

namespace ljail::child {

namespace {

// Where ljail-init finds the host channel, the jail's mount namespace and its procfs.
constexpr int kInitFds = 3;

struct Setup {
  UniqueFd proc;     // the jail's procfs, to see processes that are not the init's children
  UniqueFd console;  // exec.init: the master of the jail's /dev/console, for the host
};

// A pty of the jail's own devpts bound over /dev/console (an empty file made for it), as a
// container's console is: the distribution's init and its getty find a terminal there.
Result<UniqueFd> make_console() {
  auto [master, slave] = LJ_TRY_CTX(sys::open_pty("/dev/pts/ptmx"), "opening the console pty");
  {
    // O_NONBLOCK: a FIFO left there by the jail must not stop the init.
    auto f = sys::open("/dev/console", O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (!f && f.error().code() != EEXIST) return std::move(f.error());
  }
  auto target = LJ_TRY(sys::open("/dev/console", O_PATH | O_NOFOLLOW));
  auto tree = LJ_TRY(sys::open_tree_clone(AT_FDCWD, slave, false));
  LJ_TRY(sys::move_mount_to_fd(tree.get(), target.get(), "/dev/console"));
  return std::move(master);
}

// Everything between the exec and READY (jail root already, in the jail's namespaces but its
// mounts).
Result<Setup> setup(const InitPlan& plan, UniqueFd mntns, UniqueFd proc) {
  LJ_TRY_CTX(sys::setns(mntns.get(), CLONE_NEWNS), "entering the jail's mounts");
  mntns.reset();
  if (::chdir("/") < 0) return Error::sys(errno, "chdir /");
  LJ_TRY_CTX(sys::unshare(CLONE_NEWCGROUP), "new cgroup namespace");
  if (plan.set_uts) {
    LJ_TRY_CTX(sys::sethostname(plan.hostname), "setting host.hostname");
    LJ_TRY_CTX(sys::setdomainname(plan.domainname), "setting host.domainname");
  }

  Setup out;
  out.proc = std::move(proc);
  if (!plan.ping_groups.empty()) {
    // Through the jail's own procfs instance: /proc may be absent or read-only in the jail.
    auto f = LJ_TRY(sys::openat(out.proc.get(), "sys/net/ipv4/ping_group_range", O_WRONLY));
    LJ_TRY_CTX(sys::write_all(f.get(), plan.ping_groups), "setting net.ipv4.ping_group_range");
  }
  if (!plan.exec_init.empty()) out.console = LJ_TRY_CTX(make_console(), "exec.init");
  LJ_TRY(sys::join_new_session_keyring());
  LJ_TRY(sys::drop_capabilities(plan.drop_caps));
  LJ_TRY(sys::seccomp_load(plan.seccomp));
  return out;
}

// True for a process that has exited (a zombie waiting for a parent outside the jail holds
// nothing of the jail).
bool exited(int procfd, const char* pid) {
  auto stat = sys::openat(procfd, std::string(pid) + "/stat", O_RDONLY);
  if (!stat) return true;
  auto text = sys::read_all(stat->get());
  if (!text) return true;
  auto st = sys::parse_proc_stat(*text);
  return !st || st->exited();
}

// Live pids of the jail other than the init, from the jail's own procfs.
std::vector<pid_t> other_processes(int procfd) {
  std::vector<pid_t> out;
  int fd = ::openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return out;
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return out;
  }
  while (struct dirent* e = ::readdir(d)) {
    auto pid = parse_int(e->d_name);
    if (pid && *pid > 1 && !exited(procfd, e->d_name)) out.push_back(static_cast<pid_t>(*pid));
  }
  ::closedir(d);
  return out;
}

// The child side of RUN: the jail's namespaces, cgroups and policy are the init's already;
// what the command takes is its descriptors, session, credentials and working directory, as a
// jexec'd one does (host/attach.cc).
[[noreturn]] void die(const RunSpec& run, const Error& e) {
  std::string text = run.program + ": " + e.message() + "\n";
  (void)!::write(2, text.data(), text.size());
  ::_exit(126);
}

[[noreturn]] void exec_command(const RunSpec& run, std::vector<UniqueFd>& fds) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // Moved up out of the way first: the init has no stdio, so they may arrive as 0-2 in any
  // order.
  int high[3];
  for (int i = 0; i < 3; ++i) {
    high[i] = ::fcntl(fds[i].get(), F_DUPFD_CLOEXEC, 10);
    if (high[i] < 0) die(run, Error::sys(errno, "F_DUPFD"));
  }
  for (int i = 0; i < 3; ++i) {
    if (::dup2(high[i], i) < 0) die(run, Error::sys(errno, "dup2"));
  }
  if (run.background || !::isatty(0)) ::setsid();
  if (auto r = sys::set_credentials(run.uid, run.gid, run.groups); !r) die(run, r.error());
  if (auto r = sys::close_range_from(3); !r) die(run, r.error());
  if (::chdir(run.cwd.c_str()) < 0) die(run, Error::sys(errno, run.cwd));
  die(run, sys::exec_with_env(run.argv, run.env));
}

class Reaper {
 public:
  Reaper(const InitPlan& plan, Setup s, int sock, int sigfd)
      : persist_(plan.persist), proc_(std::move(s.proc)), sock_(sock), sigfd_(sigfd) {}

  [[noreturn]] void run() {
    while (true) {
      bool children = reap();
      if (!children && !hold() && !persist_ && other_processes(proc_.get()).empty()) ::_exit(0);
      wait_event(children);
    }
  }

 private:
  bool hold() const { return sock_.valid(); }

  // Reaps every exited child; true while the init still has children. The exit of the command
  // jail(8) waits for goes to it.
  bool reap() {
    while (true) {
      int status = 0;
      pid_t p = ::waitpid(-1, &status, WNOHANG);
      if (p == 0) return true;
      if (p < 0) return errno != ECHILD;
      if (p == command_ && hold()) {
        (void)sys::send_msg(sock_.get(), encode(Msg::Exit, status) + " " + command_tag_);
        command_ = 0;
        if (std::exchange(release_after_, false)) release();
      }
    }
  }

  // RUN: forks the command; its EXIT goes to the host when it is reaped (at once for a
  // background one, which is not waited for).
  void run_command(const Parsed& msg, std::vector<UniqueFd>& fds) {
    auto run = decode_run(msg.text);
    if (!run || fds.size() != 3) {
      Error e = run ? Error::invalid("jail init: a command needs three descriptors") : run.error();
      (void)sys::send_msg(sock_.get(), encode_error(e));
      return;
    }
    std::string tag = std::to_string(msg.value);
    pid_t pid = ::fork();
    if (pid < 0) {
      (void)sys::send_msg(sock_.get(), encode_error(Error::sys(errno, "fork")));
      return;
    }
    if (pid == 0) exec_command(*run, fds);
    if (run->background) {
      (void)sys::send_msg(sock_.get(), encode(Msg::Exit, 0) + " " + tag);
      if (run->release_after) release();
      return;
    }
    // A command the host stopped waiting for (exec.timeout) is reaped without a word.
    command_ = pid;
    command_tag_ = std::move(tag);
    release_after_ = run->release_after;
  }

  // RELEASE: the host's hold ends; BYE says whether the jail stays.
  void release() {
    bool stays = persist_ || reap() || !other_processes(proc_.get()).empty();
    (void)sys::send_msg(sock_.get(), encode(Msg::Bye, stays ? 1 : 0));
    drop_host();
  }

  void drop_host() {
    sock_.reset();
    // The terminal session of jail(8) is no longer ours to keep.
    ::setsid();
  }

  void wait_event(bool children) {
    std::vector<struct pollfd> fds = {{sigfd_, POLLIN, 0}};
    if (sock_.valid()) fds.push_back({sock_.get(), POLLIN, 0});
    // Processes that are not our children (jexec'd ones) do not signal us when they exit:
    // watch them through pidfds.
    std::vector<UniqueFd> watched;
    if (!children && !persist_ && !hold()) {
      for (pid_t p : other_processes(proc_.get())) {
        auto fd = sys::pidfd_open(p);
        if (!fd) continue;
        fds.push_back({fd->get(), POLLIN, 0});
        watched.push_back(std::move(*fd));
      }
    }
    while (::poll(fds.data(), fds.size(), -1) < 0 && errno == EINTR) {
    }
    if (fds[0].revents & POLLIN) read_signals();
    if (fds.size() > 1 && fds[1].fd == sock_.get() && fds[1].revents) read_host();
  }

  void read_signals() {
    struct signalfd_siginfo si;
    while (::read(sigfd_, &si, sizeof(si)) == sizeof(si)) {
      // Only the host (outside the jail: sender pid 0 here) may change persistence.
      if (si.ssi_pid != 0) continue;
      if (si.ssi_signo == SIGUSR1) persist_ = true;
      if (si.ssi_signo == SIGUSR2) persist_ = false;
    }
  }

  void read_host() {
    auto m = sys::recv_msg(sock_.get());
    if (m && !m->eof) {
      // From the first message after READY the jail outlives jail(8): it is recorded by then,
      // or (a RUN sent just before the record) its cgroup finds whatever runs in it.
      ::prctl(PR_SET_PDEATHSIG, 0);
      auto p = decode(m->data);
      if (p && p->kind == Msg::Run) {
        run_command(*p, m->fds);
        return;
      }
      if (p && p->kind == Msg::Release) release();
      return;
    }
    drop_host();
  }

  bool persist_;
  UniqueFd proc_;
  UniqueFd sock_;
  int sigfd_;
  pid_t command_ = 0;  // the command jail(8) waits for
  std::string command_tag_;
  bool release_after_ = false;  // release when command_ has exited
};

}  // namespace

// exec.init: after the host's RELEASE, the distribution's init replaces this process as the
// jail's PID 1, on /dev/console, with nothing of the host (the channel is close-on-exec: its
// EOF tells the host the exec worked; an ERR that it did not).
[[noreturn]] void exec_distribution_init(const InitPlan& plan, int sock) {
  auto m = sys::recv_msg(sock);
  if (!m || m->eof) ::_exit(1);
  auto p = decode(m->data);
  if (!p || p->kind != Msg::Release) ::_exit(1);
  ::setsid();
  int con = ::open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (con >= 0) {
    for (int fd = 0; fd < 3; ++fd) ::dup2(con, fd);
    ::close(con);
  }
  (void)sys::close_range_from(3, {sock});
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  const char* argv[] = {plan.exec_init.c_str(), nullptr};
  const char* envp[] = {"container=ljail", "TERM=linux", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                        nullptr};
  ::execve(argv[0], const_cast<char* const*>(argv), const_cast<char* const*>(envp));
  (void)sys::send_msg(sock, encode_error(Error::sys(errno, "exec.init: " + plan.exec_init)));
  ::_exit(1);
}

void exec_init(int exe, int sock, bool new_userns, bool new_netns) {
  // If jail(8) dies first, PDEATHSIG (or, in the race before it is set, EOF on the channel)
  // ends the init. getppid() cannot tell: the parent is outside the PID namespace.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::prctl(PR_SET_DUMPABLE, 0);
  auto fail = [&](const Error& e) {
    (void)sys::send_msg(sock, encode_error(e));
    ::_exit(1);
  };
  if (new_netns) {
    // Before GO: the clone's capabilities in the new user namespace suffice, the uid maps are
    // not needed, and it overlaps jail(8)'s next steps. Owned by the jail's user namespace, as
    // the clone's would have been.
    if (auto r = sys::unshare(CLONE_NEWNET); !r) {
      Error e = std::move(r.error());
      e.add_context("creating namespaces");
      fail(e);
    }
    if (!sys::send_msg(sock, encode(Msg::Net))) ::_exit(1);
  }
  auto go = sys::recv_msg(sock);
  if (!go) fail(go.error());
  auto parsed = decode(go->data);
  if (go->eof || !parsed || parsed->kind != Msg::Go || !go->fds.empty()) {
    fail(Error::invalid("jail init: protocol error waiting for GO"));
  }
  // Jail root before the exec: ljail-init is not readable by jail root, so the kernel makes
  // the new image undumpable and keeps it out of reach of the jail's ptrace.
  if (new_userns) {
    if (auto r = sys::set_credentials(0, 0, {}); !r) {
      Error e = std::move(r.error());
      e.add_context("becoming jail root");
      fail(e);
    }
  }
  // The channel becomes descriptor 3: moved up out of the way first, then down, with nothing
  // else open.
  int high[] = {sock, exe};
  for (int& fd : high) {
    fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 100);
    if (fd < 0) fail(Error::sys(errno, "F_DUPFD"));
  }
  (void)sys::close_range_from(0, {high[0], high[1]});
  if (::dup2(high[0], kInitFds) < 0) fail(Error::sys(errno, "dup2"));
  sock = kInitFds;
  (void)sys::close_range_from(kInitFds + 1, {high[1]});
  const char* argv[] = {"ljail-init", nullptr};
  const char* envp[] = {nullptr};
  ::syscall(SYS_execveat, high[1], "", argv, envp, AT_EMPTY_PATH);
  fail(Error::sys(errno, "executing ljail-init"));
  ::_exit(1);
}

int init_main(int argc, char**) {
  if (argc != 1) return 2;
  int sock = kInitFds;
  if (::fcntl(sock, F_SETFD, FD_CLOEXEC) < 0) return 2;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::prctl(PR_SET_DUMPABLE, 0);
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, nullptr);

  auto msg = sys::recv_msg(sock);
  if (!msg || msg->eof) return 1;
  auto decoded = decode_plan(msg->data);
  if (!decoded) {
    (void)sys::send_msg(sock, encode_error(decoded.error()));
    return 1;
  }
  if (msg->fds.size() != 2) {
    (void)sys::send_msg(sock, encode_error(Error::invalid("jail init: a plan without its mounts")));
    return 1;
  }
  UniqueFd mntns = std::move(msg->fds[0]), procfd = std::move(msg->fds[1]);
  const InitPlan& plan = *decoded;
  // The kernel keeps this image out of jail root's reach (mm->user_ns of the host) only if jail
  // root could not read the binary it was executed from. (A jail's jails share their parent's
  // ids: the parent may read them, and has them in its reach anyway.)
  if (plan.new_userns && !plan.nested) {
    if (int self = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC); self >= 0) {
      ::close(self);
      (void)sys::send_msg(sock, encode_error(Error::invalid(
                                    "ljail-init is readable by jail root: install it mode 0711")));
      return 1;
    }
  }
  auto s = setup(plan, std::move(mntns), std::move(procfd));
  if (!s) {
    (void)sys::send_msg(sock, encode_error(s.error()));
    ::_exit(1);
  }
  sigset_t mine;
  sigemptyset(&mine);
  for (int sig : {SIGCHLD, SIGUSR1, SIGUSR2}) sigaddset(&mine, sig);
  int sigfd = ::signalfd(-1, &mine, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sigfd < 0) {
    (void)sys::send_msg(sock, encode_error(Error::sys(errno, "signalfd")));
    ::_exit(1);
  }
  // Nothing of the host stays: no stdio, nothing but the channel, signalfd and the jail's proc.
  (void)sys::close_range_from(0, {sock, sigfd, s->proc.get(), s->console.get()});
  std::vector<int> to_host;
  if (s->console.valid()) to_host.push_back(s->console.get());
  if (auto r = sys::send_msg(sock, encode(Msg::Ready), to_host); !r) ::_exit(1);
  s->console.reset();
  // Setup is done. The jail outlives the jail(8) that made it once that has recorded it: its
  // next message says so (PDEATHSIG is cleared then). With exec.init the host's hooks attach
  // (no message comes before RELEASE): from now on, as for a jail its creator holds.
  if (!plan.exec_init.empty()) {
    ::prctl(PR_SET_PDEATHSIG, 0);
    exec_distribution_init(plan, sock);
  }
  // What jail(8) left in this copy of its heap is not the init's: give it back.
  ::malloc_trim(0);
  Reaper(plan, std::move(*s), sock, sigfd).run();
}

}  // namespace ljail::child
