// CPU placement: keeping a process off the CPU it runs on for a while.
#pragma once

#include <sched.h>

namespace ljail::sys {

// While it lives, the calling process runs on any CPU it may use except the one it was on when
// this was made; the CPUs it had are given back when it goes. Nothing changes where no other
// CPU is allowed, or where the kernel refuses (a best effort: only where the process runs).
class OffThisCpu {
 public:
  OffThisCpu();
  ~OffThisCpu();
  OffThisCpu(const OffThisCpu&) = delete;
  OffThisCpu& operator=(const OffThisCpu&) = delete;

  // Gives the CPUs back now.
  void restore();

 private:
  cpu_set_t allowed_;
  bool moved_ = false;
};

}  // namespace ljail::sys
