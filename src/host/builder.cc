#include "host/builder.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "child/protocol.h"
#include "child/rootfs.h"
#include "sys/file.h"
#include "sys/mount.h"
#include "sys/node.h"
#include "sys/proc.h"

namespace ljail::host {

namespace {

// How long a builder that has sent its result waits for jail(8) to let go of it, in ms.
constexpr int kLinger = 100;

// setns() into `jail` (a namespace of `type`) for `what`, then back into `own`. Coming back
// must not fail: every later child of jail(8) would be born in the jail.
template <typename F>
auto inside(int jail, int own, int type, F what) -> decltype(what()) {
  LJ_TRY_CTX(sys::setns(jail, type), "entering the jail's namespaces");
  auto r = what();
  if (Ok back = sys::setns(own, type); !back) {
    std::string msg = "jail: leaving the jail's namespaces: " + back.error().message() + "\n";
    (void)!::write(2, msg.data(), msg.size());
    ::_exit(1);
  }
  return r;
}

// In the jail's network namespace (whose `lo` the init has brought up, child/init.h): when the
// plan leaves it to the host (plan.h), net.ipv4.ping_group_range (ping without raw sockets),
// through the host's /proc/sys/net (`host_proc`): inside a jail that is writable where every
// procfs the jail could mount for its jail is read-only (nesting.h).
Ok set_up_network(const JailPlan& plan, int host_proc) {
  if (plan.ping_groups.empty()) return {};
  auto f = LJ_TRY(sys::openat(host_proc, "sys/net/ipv4/ping_group_range", O_WRONLY));
  LJ_TRY_CTX(sys::write_all(f.get(), plan.ping_groups), "setting net.ipv4.ping_group_range");
  return {};
}

}  // namespace

Builder& Builder::operator=(Builder&& o) noexcept {
  if (this != &o) {
    reap();
    pid_ = std::exchange(o.pid_, 0);
    sock_ = std::move(o.sock_);
    outside_ = o.outside_;
    done_ = o.done_;
  }
  return *this;
}

void Builder::run(const JailPlan& plan, child::JailNamespaces ns, int sock, int init_pidfd,
                  int net_ready) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The jail's files get the modes the plan names, whatever jail(8)'s umask.
  sys::clear_umask();
  if (plan.own_netns) {
    ns.join_netns = [&plan, init_pidfd, net_ready](int host_proc) -> Ok {
      // The init's byte, once it has made the namespace; EOF if it failed first.
      auto said = LJ_TRY(sys::read_all(net_ready));
      if (said.empty()) return Error::invalid("no network namespace came");
      LJ_TRY(sys::setns(init_pidfd, CLONE_NEWNET));
      return set_up_network(plan, host_proc);
    };
  }
  auto built = child::build_root(plan.rootfs, ns);
  if (!built) {
    (void)sys::send_msg(sock, child::encode_error(built.error()));
    ::_exit(1);
  }
  auto sent = sys::send_msg(sock, "OK", {built->mntns.get(), built->proc.get()});
  // Exiting frees the first mount namespace and the mounts it built with (BuiltRoot::
  // release_last): expedited RCU grace periods, whose IPIs and kernel thread took 0.1-0.2 ms
  // from the init's set-up and the first command's exec when done at once. So the builder
  // stays, asleep, until jail(8) lets go of it (Builder::reap, jail(8)'s exit) or the jail has
  // run for kLinger; it is in the jail's mount namespace until then, so that the init's exit
  // does not wait for the jail's mounts either.
  if (sent) (void)sys::wait_readable(sock, kLinger);
  ::_exit(sent ? 0 : 1);
}

Result<Builder> Builder::start(const JailPlan& plan, pid_t init_pid, int init_pidfd,
                               int net_ready) {
  UniqueFd userns;
  if (plan.new_userns) userns = LJ_TRY(sys::namespace_of(init_pidfd, init_pid, "user"));
  auto pidns = LJ_TRY(sys::namespace_of(init_pidfd, init_pid, "pid"));
  // procfs belongs to the PID namespace it is made for: named by descriptor where the kernel
  // takes one (the builder stays outside the jail, and the init's exit never waits for it),
  // else the PID namespace of its maker, and the builder is forked into the jail's (jail(8)
  // enters it for the fork and goes back to its own at once).
  // LJAIL_PROC_PIDNS=0 takes the older kernels' way here too (the tests use it).
  const char* knob = ::getenv("LJAIL_PROC_PIDNS");
  bool outside = (!knob || std::string(knob) != "0") && sys::proc_takes_pidns(pidns.get());
  auto [mine, theirs] = LJ_TRY(sys::socketpair_seqpacket());
  auto fork = [&]() -> Result<pid_t> {
    auto pid = LJ_TRY(sys::fork());
    if (pid == 0) {
      mine.reset();
      run(plan, {userns.get(), outside ? pidns.get() : -1, {}}, theirs.get(), init_pidfd,
          net_ready);
    }
    return pid;
  };
  Result<pid_t> pid = 0;
  if (outside) {
    pid = fork();
  } else {
    auto own = LJ_TRY(sys::open("/proc/self/ns/pid", O_RDONLY));
    pid = inside(pidns.get(), own.get(), CLONE_NEWPID, fork);
  }
  if (!pid) return pid.error();
  return Builder(*pid, std::move(mine), outside);
}

void Builder::reap() {
  if (pid_ <= 0) return;
  if (done_) {
    // It exits when it reads EOF; not waited for (its exit waits for RCU grace periods). Its
    // parent, or whoever inherits it when jail(8) exits, reaps it.
    sock_.reset();
    (void)sys::waitpid(std::exchange(pid_, 0), WNOHANG);
    return;
  }
  ::kill(pid_, SIGKILL);
  (void)sys::waitpid(std::exchange(pid_, 0));
}

Result<std::vector<UniqueFd>> Builder::finish() {
  auto msg = sys::recv_msg(sock_.get());
  if (!msg) return msg.error();
  if (msg->data == "OK" && msg->fds.size() == 2) {
    done_ = outside_;
    return std::move(msg->fds);
  }
  if (auto p = child::decode(msg->data); p && p->kind == child::Msg::Err)
    return child::to_error(*p);
  return Error::invalid("building the jail root: the builder failed");
}

}  // namespace ljail::host
