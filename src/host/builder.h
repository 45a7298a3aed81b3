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
// waits for the jail's network namespace (give_netns()) only before sysfs; finish() collects
// what it made. Its owner reaps it once nothing waits for it any more (Running::builder).
class Builder {
 public:
  Builder() = default;
  Builder(Builder&& o) noexcept
      : pid_(std::exchange(o.pid_, 0)), sock_(std::move(o.sock_)), outside_(o.outside_) {}
  Builder& operator=(Builder&& o) noexcept;
  // Killed (if it is still there: the setup failed) and reaped.
  ~Builder() { reap(); }

  // For the jail whose init is `init_pid`, its uid maps written.
  static Result<Builder> start(const JailPlan& plan, pid_t init_pid);
  // With a network namespace of its own (plan.own_netns), the builder waits for it before it
  // mounts sysfs: the jail's, once the init has made it. It brings `lo` up there.
  Ok give_netns(int netns_fd);
  // The mount namespace and procfs descriptors, as soon as the builder sends them.
  Result<std::vector<UniqueFd>> finish();
  // False when the builder was forked into the jail's PID namespace: it must be reaped before
  // the init can exit.
  bool outside_jail() const { return outside_; }
  // Ends the builder (SIGKILL: after finish() it has nothing left to do but exit, and its
  // exit frees what it built with, BuiltRoot::release_last) and reaps it.
  void reap();

 private:
  Builder(pid_t pid, UniqueFd sock, bool outside)
      : pid_(pid), sock_(std::move(sock)), outside_(outside) {}
  [[noreturn]] static void run(const JailPlan& plan, child::JailNamespaces ns, int sock);

  pid_t pid_ = 0;
  UniqueFd sock_;
  bool outside_ = true;
};

}  // namespace ljail::host
