#include "sys/sched.h"

namespace ljail::sys {

OffThisCpu::OffThisCpu() {
  CPU_ZERO(&allowed_);
  if (::sched_getaffinity(0, sizeof(allowed_), &allowed_) != 0) return;
  cpu_set_t others = allowed_;
  int cpu = ::sched_getcpu();
  if (cpu < 0 || cpu >= CPU_SETSIZE) return;
  CPU_CLR(cpu, &others);
  if (CPU_COUNT(&others) == 0) return;
  moved_ = ::sched_setaffinity(0, sizeof(others), &others) == 0;
}

OffThisCpu::~OffThisCpu() {
  restore();
}

void OffThisCpu::restore() {
  if (!moved_) return;
  moved_ = false;
  (void)::sched_setaffinity(0, sizeof(allowed_), &allowed_);
}

}  // namespace ljail::sys
