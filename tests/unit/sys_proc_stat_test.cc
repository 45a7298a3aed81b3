#include <gtest/gtest.h>
#include <unistd.h>

#include "sys/proc.h"

namespace ljail::sys {
namespace {

TEST(ProcStat, ParsesStateFlagsAndStartTimePastACommandWithParentheses) {
  // Field 2 is "(a) b)": only the last ')' ends it.
  std::string text =
      "42 (a) b) S 1 42 42 0 -1 4194564 10 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100 "
      "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  auto st = parse_proc_stat(text);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->flags, 4194564u);
  EXPECT_EQ(st->start_time, 987654u);
  EXPECT_FALSE(st->exited());
  text.replace(text.find(") S ") + 2, 1, "Z");
  EXPECT_TRUE(parse_proc_stat(text)->exited());
}

TEST(ProcStat, RejectsMalformedText) {
  EXPECT_FALSE(parse_proc_stat("").has_value());
  EXPECT_FALSE(parse_proc_stat("1 (x) S 1 2 3").has_value());
  EXPECT_FALSE(parse_proc_stat("1 (x)").has_value());
}

TEST(ProcStat, ThisProcessIsAliveWithItsOwnStartTime) {
  auto st = process_stat(::getpid());
  ASSERT_TRUE(st.has_value()) << st.error().message();
  EXPECT_FALSE(st->exited());
  auto start = process_start_time(::getpid());
  ASSERT_TRUE(start.has_value());
  EXPECT_EQ(*start, st->start_time);
}

}  // namespace
}  // namespace ljail::sys
