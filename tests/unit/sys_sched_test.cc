#include <gtest/gtest.h>
#include <sched.h>

#include "sys/sched.h"

namespace ljail::sys {
namespace {

cpu_set_t affinity() {
  cpu_set_t set;
  CPU_ZERO(&set);
  EXPECT_EQ(::sched_getaffinity(0, sizeof(set), &set), 0);
  return set;
}

TEST(OffThisCpu, LeavesTheCurrentCpuWhileItLivesAndGivesTheCpusBack) {
  cpu_set_t before = affinity();
  if (CPU_COUNT(&before) < 2) GTEST_SKIP() << "one CPU allowed: nothing to move to";
  int cpu = ::sched_getcpu();
  ASSERT_GE(cpu, 0);
  {
    OffThisCpu off;
    cpu_set_t during = affinity();
    EXPECT_FALSE(CPU_ISSET(cpu, &during));
    EXPECT_EQ(CPU_COUNT(&during), CPU_COUNT(&before) - 1);
    EXPECT_NE(::sched_getcpu(), cpu);
  }
  cpu_set_t after = affinity();
  EXPECT_TRUE(CPU_EQUAL(&after, &before));
}

TEST(OffThisCpu, RestoreGivesTheCpusBackOnce) {
  cpu_set_t before = affinity();
  if (CPU_COUNT(&before) < 2) GTEST_SKIP() << "one CPU allowed: nothing to move to";
  OffThisCpu off;
  off.restore();
  cpu_set_t after = affinity();
  EXPECT_TRUE(CPU_EQUAL(&after, &before));
  // A later change of the caller's own stays: the guard gives back only once.
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(::sched_getcpu(), &one);
  ASSERT_EQ(::sched_setaffinity(0, sizeof(one), &one), 0);
  off.restore();
  cpu_set_t kept = affinity();
  EXPECT_TRUE(CPU_EQUAL(&kept, &one));
  ASSERT_EQ(::sched_setaffinity(0, sizeof(before), &before), 0);
}

TEST(OffThisCpu, ChangesNothingWithOneCpuAllowed) {
  cpu_set_t before = affinity();
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(::sched_getcpu(), &one);
  ASSERT_EQ(::sched_setaffinity(0, sizeof(one), &one), 0);
  {
    OffThisCpu off;
    cpu_set_t during = affinity();
    EXPECT_TRUE(CPU_EQUAL(&during, &one));
  }
  cpu_set_t after = affinity();
  EXPECT_TRUE(CPU_EQUAL(&after, &one));
  ASSERT_EQ(::sched_setaffinity(0, sizeof(before), &before), 0);
}

}  // namespace
}  // namespace ljail::sys
