// ljail-init: the jail init (child/init.h), executed by jail(8) into each new jail as its PID
// 1. This file: its setup from the plan jail(8) sends it (the jail's mounts, hostname,
// console, capabilities, seccomp), and exec.init; then reaper.h serves the host and reaps. It
// runs no user code itself, holds no host descriptor and is not dumpable. No C library
// (sys/raw.h says why).
#include <fcntl.h>  // O_*, AT_*, F_*: constants and types only, here and below
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>

#include <utility>

#include "channel.h"
#include "child/wire.h"
#include "reaper.h"
#include "rt.h"

namespace ljail::init {

namespace {

namespace raw = sys::raw;
namespace wire = child::wire;

// Where jail(8)'s clone leaves the host channel (child/init.cc run_clone).
constexpr int kSock = 3;
// The plan stays in its own buffer for the init's life (exec_init is read after RELEASE); the
// host's later messages land in message_buffer().
char g_plan[kMaxMessage];

uint64_t sigbit(int sig) {
  return uint64_t{1} << (sig - 1);
}

// open(2) of a file as a Status and an Fd ("open PATH: strerror").
Status open_at(int dirfd, const char* path, int flags, Fd& out, unsigned mode = 0) {
  long r = raw::openat(dirfd, path, flags | O_CLOEXEC, mode);
  if (r < 0) return Status::sys(r, (Text<4200>() << "open " << path).view());
  out = Fd(r);
  return {};
}

struct Setup {
  Fd proc;     // the jail's procfs, to see processes that are not the init's children
  Fd console;  // exec.init: the master of the jail's /dev/console, for the host
};

// A pty of the jail's own devpts bound over /dev/console (an empty file made for it), as a
// container's console is: the distribution's init and its getty find a terminal there.
Status make_console(Fd& master) {
  Status s = open_at(AT_FDCWD, "/dev/pts/ptmx", O_RDWR | O_NOCTTY, master);
  int unlock = 0, n = -1;
  if (s.ok()) {
    if (long r = raw::ioctl(master.get(), TIOCSPTLCK, &unlock); r < 0) {
      s = Status::sys(r, "TIOCSPTLCK");
    } else if (r = raw::ioctl(master.get(), TIOCGPTN, &n); r < 0) {
      s = Status::sys(r, "TIOCGPTN");
    }
  }
  if (!s.ok()) return s.context("opening the console pty");
  {
    // O_NONBLOCK: a FIFO left there by the jail must not stop the init.
    Fd f;
    s = open_at(AT_FDCWD, "/dev/console", O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK, f, 0600);
    if (!s.ok() && s.code() != EEXIST) return s;
  }
  Fd target;
  if (s = open_at(AT_FDCWD, "/dev/console", O_PATH | O_NOFOLLOW, target); !s.ok()) return s;
  Text<64> slave;
  slave << "/dev/pts/" << n;
  long tree = raw::open_tree(AT_FDCWD, slave.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0) return Status::sys(tree, (Text<80>() << "open_tree " << slave.view()).view());
  Fd owned(tree);
  if (long r = raw::move_mount(owned.get(), "", target.get(), "",
                               MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
      r < 0) {
    return Status::sys(r, "mounting /dev/console");
  }
  return {};
}

// The bounding set without `mask`, no inheritable and no ambient capabilities.
Status drop_capabilities(uint64_t mask) {
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if (((mask >> cap) & 1) == 0) continue;
    if (long r = raw::prctl(PR_CAPBSET_DROP, static_cast<unsigned long>(cap));
        r < 0 && r != -EINVAL) {
      return Status::sys(r, (Text<40>() << "dropping capability " << cap).view());
    }
  }
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (long r = raw::capget(&header, data); r < 0) return Status::sys(r, "capget");
  for (auto& d : data) d.inheritable = 0;
  if (long r = raw::capset(&header, data); r < 0) {
    return Status::sys(r, "clearing inheritable capabilities");
  }
  if (long r = raw::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL); r < 0) {
    return Status::sys(r, "clearing ambient capabilities");
  }
  return {};
}

Status load_seccomp(std::string_view program) {
  if (program.empty()) return {};
  // The kernel copies the program: its alignment in the message does not matter.
  struct sock_fprog prog = {
      static_cast<unsigned short>(program.size() / sizeof(struct sock_filter)),
      reinterpret_cast<struct sock_filter*>(const_cast<char*>(program.data()))};
  if (long r = raw::seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog); r < 0) {
    return Status::sys(r, "installing the seccomp filter");
  }
  return {};
}

// Everything between the exec and READY (jail root already, in the jail's namespaces but its
// mounts).
Status setup(const wire::PlanView& plan, Fd mntns, Fd proc, Setup& out) {
  if (long r = raw::setns(mntns.get(), CLONE_NEWNS); r < 0) {
    return Status::sys(r, "setns").context("entering the jail's mounts");
  }
  mntns.reset();
  if (long r = raw::chdir("/"); r < 0) return Status::sys(r, "chdir /");
  if (long r = raw::unshare(CLONE_NEWCGROUP); r < 0) {
    return Status::sys(r, "unshare").context("new cgroup namespace");
  }
  if (plan.set_uts) {
    if (long r = raw::sethostname(plan.hostname.data(), plan.hostname.size()); r < 0) {
      return Status::sys(r, "sethostname").context("setting host.hostname");
    }
    if (long r = raw::setdomainname(plan.domainname.data(), plan.domainname.size()); r < 0) {
      return Status::sys(r, "setdomainname").context("setting host.domainname");
    }
  }
  out.proc = std::move(proc);
  if (!plan.ping_groups.empty()) {
    // Through the jail's own procfs instance: /proc may be absent or read-only in the jail.
    Fd f;
    Status s = open_at(out.proc.get(), "sys/net/ipv4/ping_group_range", O_WRONLY, f);
    if (!s.ok()) return s;
    if (long r = write_all(f.get(), plan.ping_groups); r < 0) {
      return Status::sys(r, "write").context("setting net.ipv4.ping_group_range");
    }
  }
  if (!plan.exec_init.empty()) {
    if (Status s = make_console(out.console); !s.ok()) return s.context("exec.init");
  }
  // EPERM comes only from a seccomp filter (inside a jail): it refuses keyctl to every process
  // it covers, so no keyring is reachable from there anyway.
  if (long r = raw::keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0); r < 0 && r != -ENOSYS && r != -EPERM) {
    return Status::sys(r, "new session keyring");
  }
  if (Status s = drop_capabilities(plan.drop_caps); !s.ok()) return s;
  return load_seccomp(plan.seccomp);
}

// exec.init: after the host's RELEASE, the distribution's init replaces this process as the
// jail's PID 1, on /dev/console, with nothing of the host (the channel is close-on-exec: its
// EOF tells the host the exec worked; an ERR that it did not).
[[noreturn]] void exec_distribution_init(const wire::PlanView& plan) {
  Received m;
  Word w;
  if (!receive(kSock, message_buffer(), m).ok() || m.eof || !parse_word(m.data, w) ||
      w.kind != "RELEASE") {
    raw::exit(1);
  }
  raw::setsid();
  // Above 2 first: the init holds no stdio, so the console may open as 0, 1 or 2.
  long con = raw::openat(AT_FDCWD, "/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (con >= 0) {
    long high = raw::fcntl(static_cast<int>(con), F_DUPFD_CLOEXEC, 10);
    raw::close(static_cast<int>(con));
    if (high >= 0) {
      for (int fd = 0; fd < 3; ++fd) raw::dup3(static_cast<int>(high), fd);
    }
  } else {
    // No console: none of the init's own descriptors may stay as 0-2.
    raw::close_range(0, 2);
  }
  close_all_but(3, {kSock});
  const uint64_t none = 0;
  raw::sigprocmask(SIG_SETMASK, &none, nullptr);
  Text<4200> path;
  path << plan.exec_init;
  char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
  char* envp[] = {const_cast<char*>("container=ljail"), const_cast<char*>("TERM=linux"),
                  const_cast<char*>("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nullptr};
  long r = raw::execve(argv[0], argv, envp);
  send_error(kSock, Status::sys(r, (Text<4220>() << "exec.init: " << plan.exec_init).view()));
  raw::exit(1);
}

}  // namespace

int main(int argc) {
  if (argc != 1) return 2;
  if (raw::fcntl(kSock, F_SETFD, FD_CLOEXEC) < 0) return 2;
  raw::prctl(PR_SET_PDEATHSIG, SIGKILL);
  raw::prctl(PR_SET_DUMPABLE, 0);
  const uint64_t all = ~uint64_t{0};
  raw::sigprocmask(SIG_BLOCK, &all, nullptr);
  // NET: this runs, and the jail's network namespace (when the init made one) exists. jail(8)
  // works with it while this waits for the plan: sent from here, not before the exec, so that
  // what it starts in jail(8) finds this CPU idle (host/create.cc).
  if (send(kSock, "NET 0") < 0) return 1;

  Received msg;
  if (!receive(kSock, g_plan, msg).ok() || msg.eof) return 1;
  wire::PlanView plan;
  if (auto f = wire::read_plan(msg.data, plan, sizeof(struct sock_filter));
      f != wire::PlanFault::None) {
    send_error(kSock, Status::invalid(wire::fault_text(f)));
    return 1;
  }
  if (msg.nfds != 2) {
    send_error(kSock, Status::invalid("jail init: a plan without its mounts"));
    return 1;
  }
  // The kernel keeps this image out of jail root's reach (mm->user_ns of the host) only if jail
  // root could not read the binary it was executed from. (A jail's jails share their parent's
  // ids: the parent may read them, and has them in its reach anyway.)
  if (plan.new_userns && !plan.nested) {
    if (long self = raw::openat(AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC); self >= 0) {
      raw::close(static_cast<int>(self));
      send_error(kSock,
                 Status::invalid("ljail-init is readable by jail root: install it mode 0711"));
      return 1;
    }
  }
  Setup s;
  if (Status st = setup(plan, std::move(msg.fds[0]), std::move(msg.fds[1]), s); !st.ok()) {
    send_error(kSock, st);
    return 1;
  }
  const uint64_t mine = sigbit(SIGCHLD) | sigbit(SIGUSR1) | sigbit(SIGUSR2);
  long sigfd = raw::signalfd(&mine, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sigfd < 0) {
    send_error(kSock, Status::sys(sigfd, "signalfd"));
    return 1;
  }
  // Nothing of the host stays: no stdio, nothing but the channel, signalfd and the jail's proc.
  close_all_but(0, {kSock, static_cast<int>(sigfd), s.proc.get(), s.console.get()});
  // Setup is done. The jail outlives the jail(8) that made it once that has recorded it: its
  // next message says so (PDEATHSIG is cleared then). With exec.init the host's hooks attach
  // (no message comes before RELEASE): from now on, as for a jail its creator holds.
  if (!plan.exec_init.empty()) {
    if (send(kSock, "READY 0", {s.console.get()}) < 0) return 1;
    s.console.reset();
    raw::prctl(PR_SET_PDEATHSIG, 0);
    exec_distribution_init(plan);
  }
  serve(plan.persist, std::move(s.proc), kSock, static_cast<int>(sigfd));
  return 1;
}

}  // namespace ljail::init
