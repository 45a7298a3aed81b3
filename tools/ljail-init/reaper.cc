#include "reaper.h"

#include <fcntl.h>  // O_*: constants only, here and below
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <utility>

#include "channel.h"
#include "child/wire.h"
#include "command.h"

namespace ljail::init {

namespace {

namespace raw = sys::raw;
namespace wire = child::wire;

// True for a process that has exited (a zombie waiting for a parent outside the jail holds
// nothing of the jail).
bool exited(int procfd, std::string_view pid) {
  Text<40> path;
  path << pid << "/stat";
  long fd = raw::openat(procfd, path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;
  Fd owned(fd);
  // One read: the kernel makes the whole line at the first.
  char text[1024];
  long n = raw::read(fd, text, sizeof(text));
  if (n <= 0) return true;
  // The state follows the command name, which may hold spaces and ')'.
  std::string_view line(text, static_cast<size_t>(n));
  size_t close = line.rfind(')');
  if (close == std::string_view::npos || close + 2 >= line.size()) return true;
  char state = line[close + 2];
  return state == 'Z' || state == 'X';
}

// Live pids of the jail other than the init, from the jail's own procfs: their number, and
// the first `cap` of them in `out`.
size_t other_processes(int procfd, int* out = nullptr, size_t cap = 0) {
  long dir = raw::openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return 0;
  Fd owned(dir);
  alignas(8) char buf[4096];
  size_t count = 0;
  long n;
  while ((n = raw::getdents64(owned.get(), buf, sizeof(buf))) > 0) {
    // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
    for (long off = 0; off < n;) {
      unsigned short reclen;
      __builtin_memcpy(&reclen, buf + off + 16, sizeof(reclen));
      std::string_view name(buf + off + 19);
      off += reclen;
      uint64_t pid = 0;
      if (!wire::parse_u64(name, pid) || pid <= 1 || pid > INT32_MAX || exited(procfd, name)) {
        continue;
      }
      if (count < cap) out[count] = static_cast<int>(pid);
      ++count;
    }
  }
  return count;
}

class Reaper {
 public:
  Reaper(bool persist, Fd proc, int sock, int sigfd)
      : persist_(persist), proc_(std::move(proc)), sock_(sock), sigfd_(sigfd) {}

  // READY, once what jail(8) queued behind the plan is taken (host/steps.cc early_message): its
  // command is forked first, and READY leaves with whatever answers the message (a background
  // command's EXIT, BYE) in one sendmmsg, so that jail(8), woken by READY, finds them all, and
  // the command does not wait for jail(8) to be done with READY. A message not there yet is
  // read as any later one. False when READY cannot be sent.
  bool ready() {
    Received m;
    bool early = false;
    holding_ = true;
    say("READY 0");
    if (readable(sock_.get())) {
      Status st = receive(sock_.get(), message_buffer(), m);
      early = st.ok() && !m.eof;
      if (early) {
        handle(m);
      } else {
        drop_host();
      }
    }
    holding_ = false;
    // As for any message after READY (read_host); before READY leaves: jail(8) may be gone as
    // soon as it has read a BYE.
    if (early) raw::prctl(PR_SET_PDEATHSIG, 0);
    return flush();
  }

  [[noreturn]] void run() {
    while (true) {
      bool children = reap();
      // BYE 0 said the jail is empty: nothing to count again.
      if (empty_) raw::exit(0);
      if (!children && !hold() && !persist_ && other_processes(proc_.get()) == 0) raw::exit(0);
      wait_event(children);
    }
  }

 private:
  // Watched at once when the jail holds no child of the init: any of them must exit before the
  // jail is empty, so a few suffice (the rest are counted again after each exit).
  static constexpr size_t kWatch = 64;
  // READY and what answers the message queued behind the plan: EXIT, BYE.
  static constexpr size_t kOutbox = 4;

  // A message to the host: kept back while ready() or together() collects what leaves at once.
  void say(std::string_view text) {
    if (!holding_) {
      (void)send(sock_.get(), text);
    } else if (nout_ < kOutbox) {
      outbox_[nout_] = Text<600>();
      outbox_[nout_++] << text;
    }
  }

  // What f() says leaves in one sendmmsg, so that jail(8) wakes once for all of it.
  template <typename F>
  void together(F f) {
    if (holding_) {
      f();
      return;
    }
    holding_ = true;
    f();
    holding_ = false;
    (void)flush();
  }

  // Sends what was held back; false when it cannot.
  bool flush() {
    std::string_view out[kOutbox];
    for (size_t i = 0; i < nout_; ++i) out[i] = outbox_[i].view();
    size_t n = std::exchange(nout_, 0);
    bool sent = n == 0 || send_all(sock_.get(), out, n) >= 0;
    if (std::exchange(drop_pending_, false)) drop_host();
    return sent;
  }

  void say_error(const Status& st) {
    Text<600> m;
    m << "ERR " << st.code() << " " << st.text();
    say(m.view());
  }

  bool hold() const { return sock_.valid(); }

  // Reaps every exited child; true while the init still has children. The exit of the command
  // jail(8) waits for goes to it.
  bool reap() {
    while (true) {
      int status = 0;
      long p = raw::wait4(-1, &status, WNOHANG);
      if (p == 0) return true;
      if (p < 0) return p != -ECHILD;
      if (p == command_ && hold()) {
        // EXIT, and BYE when the host's hold ends with the command: one message for jail(8).
        together([&] {
          Text<80> m;
          m << "EXIT " << status << " " << tag_.view();
          say(m.view());
          command_ = 0;
          if (release_after_) {
            release_after_ = false;
            release();
          }
        });
      }
    }
  }

  // RUN: forks the command; its EXIT goes to the host when it is reaped (at once for a
  // background one, which is not waited for).
  void run_command(const Word& msg, Received& m) {
    wire::RunView run;
    wire::RunFault fault = wire::read_run(msg.text, run);
    if (fault != wire::RunFault::None || m.nfds != 3) {
      say_error(Status::invalid(fault != wire::RunFault::None
                                    ? wire::fault_text(fault)
                                    : "jail init: a command needs three descriptors"));
      return;
    }
    Command c = prepare(run);
    Text<24> tag;
    tag << msg.value;
    long pid = raw::fork();
    if (pid < 0) {
      say_error(Status::sys(pid, "fork"));
      return;
    }
    if (pid == 0) {
      int fds[3] = {m.fds[0].get(), m.fds[1].get(), m.fds[2].get()};
      exec_command(c, fds);
    }
    if (run.background) {
      Text<40> done;
      done << "EXIT 0 " << tag.view();
      say(done.view());
      if (run.release_after) release();
      return;
    }
    // A command the host stopped waiting for (exec.timeout) is reaped without a word.
    command_ = pid;
    tag_ = tag;
    release_after_ = run.release_after;
  }

  // RELEASE: the host's hold ends; BYE says whether the jail stays.
  void release() {
    bool stays = persist_ || reap() || other_processes(proc_.get()) != 0;
    say(stays ? "BYE 1" : "BYE 0");
    empty_ = !stays;
    drop_host();
  }

  void drop_host() {
    if (holding_) {
      drop_pending_ = true;
      return;
    }
    sock_.reset();
    // The terminal session of jail(8) is no longer ours to keep.
    raw::setsid();
  }

  void wait_event(bool children) {
    struct pollfd fds[2 + kWatch] = {};
    size_t n = 0;
    fds[n++] = {sigfd_, POLLIN, 0};
    size_t host = n;
    if (sock_.valid()) fds[n++] = {sock_.get(), POLLIN, 0};
    // Processes that are not our children (jexec'd ones) do not signal us when they exit:
    // watch them through pidfds.
    Fd watched[kWatch];
    if (!children && !persist_ && !hold()) {
      int pids[kWatch];
      size_t count = other_processes(proc_.get(), pids, kWatch);
      for (size_t i = 0; i < count && i < kWatch; ++i) {
        long fd = raw::pidfd_open(pids[i]);
        if (fd < 0) continue;
        watched[i] = Fd(fd);
        fds[n++] = {watched[i].get(), POLLIN, 0};
      }
    }
    while (raw::poll(fds, static_cast<unsigned>(n), -1) == -EINTR) {
    }
    if (fds[0].revents & POLLIN) read_signals();
    if (host < n && fds[host].fd == sock_.get() && fds[host].revents) read_host();
  }

  void read_signals() {
    struct signalfd_siginfo si;
    while (raw::read(sigfd_, &si, sizeof(si)) == sizeof(si)) {
      // Only the host (outside the jail: sender pid 0 here) may change persistence.
      if (si.ssi_pid != 0) continue;
      if (si.ssi_signo == SIGUSR1) persist_ = true;
      if (si.ssi_signo == SIGUSR2) persist_ = false;
    }
  }

  void read_host() {
    Received m;
    Status s = receive(sock_.get(), message_buffer(), m);
    if (s.ok() && !m.eof) {
      // From the first message after READY the jail outlives jail(8): it is recorded by then,
      // or (a RUN sent just before the record) its cgroup finds whatever runs in it.
      raw::prctl(PR_SET_PDEATHSIG, 0);
      handle(m);
      return;
    }
    drop_host();
  }

  void handle(Received& m) {
    Word w;
    if (!parse_word(m.data, w)) return;
    if (w.kind == "RUN") {
      run_command(w, m);
    } else if (w.kind == "RELEASE") {
      release();
    }
  }

  bool persist_;
  Fd proc_;
  Fd sock_;
  int sigfd_;
  long command_ = 0;  // the command jail(8) waits for
  Text<24> tag_;
  bool release_after_ = false;  // release when command_ has exited
  bool holding_ = false;        // ready(), together(): messages wait in the outbox
  bool drop_pending_ = false;   // the host is dropped once what is held back is out
  bool empty_ = false;          // BYE 0 said: the init exits
  Text<600> outbox_[kOutbox];
  size_t nout_ = 0;
};

}  // namespace

void serve(bool persist, Fd proc, int sock, int sigfd) {
  Reaper reaper(persist, std::move(proc), sock, sigfd);
  if (reaper.ready()) reaper.run();
}

}  // namespace ljail::init
