// The jail init: PID 1 of the jail's PID namespace, the small static program ljail-init
// (tools/ljail-init, without a C library). It finishes the jail's setup from the plan jail(8)
// sends it, forks the commands jail(8) runs while it holds the jail, then only reaps: it runs
// no user code itself, holds no host descriptor, is not dumpable, and exits when the jail
// holds no other process and neither `persist` nor the host's temporary hold keeps it.
#pragma once

#include <cstdint>
#include <memory>

#include "base/result.h"
#include "sys/proc.h"

namespace ljail::child {

struct InitClone {
  int exe = -1;        // ljail-init, O_PATH: a binary jail root cannot read
  int sock = -1;       // the init's end of the host channel (protocol.h)
  int host_end = -1;   // jail(8)'s end, closed first: jail(8)'s death is EOF on sock
  int net_ready = -1;  // with new_netns: a pipe's write end, written once the namespace exists
  bool new_userns = false;
  bool new_netns = false;
};

// The clone's stack. It is the clone's until ljail-init runs (its NET, protocol.h) or the
// clone is gone: done() then frees it; a stack never declared done is left allocated (a
// failed start), never given back while the clone may still use it.
class InitStack {
 public:
  static constexpr size_t kSize = 16384;
  InitStack() : bytes_(new char[kSize]) {}
  ~InitStack() {
    if (!done_) (void)bytes_.release();
  }
  InitStack(InitStack&& o) noexcept : bytes_(std::move(o.bytes_)), done_(o.done_) {}
  InitStack& operator=(InitStack&&) = delete;
  char* data() { return bytes_.get(); }
  void done() { done_ = true; }

 private:
  std::unique_ptr<char[]> bytes_;
  bool done_ = false;
};

// Clones the jail's init into the namespaces `flags` (and the cgroup `cgroup_fd`), sharing
// jail(8)'s memory until it executes ljail-init (sys::clone3_vm), which jail(8) does not wait
// for. Dumpability belongs to the memory: jail(8) makes itself undumpable first. The clone, with
// `c` (copied onto its stack): with new_netns makes the jail's network namespace (its creation is
// most of a clone's cost: made there, it overlaps jail(8)'s next steps and the builder), brings its
// `lo` up and writes a byte to net_ready (the builder waits for it, host/builder.h), closing it
// then; waits for GO (uid maps written), becomes jail root and executes ljail-init from exe,
// handing it sock as descriptor 3. A failure is sent as ERR on sock. This happens while the builder
// makes the jail's mounts.
Result<sys::CloneResult> clone_init(uint64_t flags, int cgroup_fd, const InitClone& c,
                                    InitStack& stack);

}  // namespace ljail::child
