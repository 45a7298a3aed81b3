// The builder of a jail's mount namespace, a fork of jail(8) that stays host root
// (child/rootfs.h does the mounting).
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "child/rootfs.h"
#include "host/plan.h"

namespace ljail::host {

// The builder: host root, in the jail's network namespace for sysfs (and PID namespace, where
// procfs takes no "pidns" option), makes the jail's mount namespace (child/rootfs.h) and sends
// it, with a procfs of the jail, back. It works while jail(8) does the rest of the setup, and
// waits for the jail's network namespace (from the init, start()) only before sysfs; finish()
// collects what it made. Its owner lets it go once the jail stands (Running::builder).
class Builder {
 public:
  Builder() = default;
  Builder(Builder&& o) noexcept
      : pid_(std::exchange(o.pid_, 0)),
        sock_(std::move(o.sock_)),
        outside_(o.outside_),
        done_(o.done_) {}
  Builder& operator=(Builder&& o) noexcept;
  // As reap().
  ~Builder() { reap(); }

  // For the jail whose init is `init_pid` (`init_pidfd`), its uid maps written. With a network
  // namespace of its own (plan.own_netns), the builder enters it before it mounts sysfs: the
  // jail's, once the init has made it and brought its `lo` up, which it says on `net_ready`
  // (a pipe's read end; the init holds the only write end, child/init.h).
  static Result<Builder> start(const JailPlan& plan, pid_t init_pid, int init_pidfd, int net_ready);
  // The mount namespace and procfs descriptors, as soon as the builder sends them.
  Result<std::vector<UniqueFd>> finish();
  // False when the builder was forked into the jail's PID namespace: it must be reaped before
  // the init can exit.
  bool outside_jail() const { return outside_; }
  // Ends the builder. One that has sent its result from outside the jail is let go: it exits
  // on its own, freeing what it built with (BuiltRoot::release_last), and is not waited for
  // (reaped here if it is gone already, else by whoever inherits it). Any other is killed and
  // reaped: the setup failed, or it is in the jail's PID namespace.
  void reap();

 private:
  Builder(pid_t pid, UniqueFd sock, bool outside)
      : pid_(pid), sock_(std::move(sock)), outside_(outside) {}
  [[noreturn]] static void run(const JailPlan& plan, child::JailNamespaces ns, int sock,
                               int init_pidfd, int net_ready);

  pid_t pid_ = 0;
  UniqueFd sock_;
  bool outside_ = true;
  bool done_ = false;  // sent its result from outside the jail: let go, not killed
};

}  // namespace ljail::host
