// Private id ranges for userns=new: choose_id_base() and subuid/subgid parsing.
#include <gtest/gtest.h>

#include <cerrno>
#include <vector>

#include "host/userns.h"

namespace ljail::host {
namespace {

constexpr uint64_t kSlot = 65536;
constexpr uint64_t kFloor = 1073741824;

uint64_t chosen(uint64_t requested, uint64_t size, const std::vector<IdRange>& taken) {
  Result<uint64_t> r = choose_id_base(requested, size, taken);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  return r ? *r : 0;
}

TEST(HostUserns, Constants) {
  EXPECT_EQ(kUidFloor, kFloor);
  EXPECT_EQ(kUidCeiling, 4294967294u);
}

TEST(HostUserns, NothingTakenGivesTheFloor) {
  EXPECT_EQ(chosen(0, kSlot, {}), kFloor);
}

TEST(HostUserns, RangesBelowTheFloorDoNotMatter) {
  EXPECT_EQ(chosen(0, kSlot, {{100000, 65536}, {0, 1000}, {kFloor - 10, 10}}), kFloor);
}

TEST(HostUserns, SkipsTakenSlots) {
  EXPECT_EQ(chosen(0, kSlot, {{kFloor, kSlot}}), kFloor + kSlot);
  EXPECT_EQ(chosen(0, kSlot, {{kFloor, kSlot}, {kFloor + kSlot, kSlot}}), kFloor + 2 * kSlot);
  // Lowest free slot, not the one after the highest taken.
  EXPECT_EQ(chosen(0, kSlot, {{kFloor, kSlot}, {kFloor + 2 * kSlot, kSlot}}), kFloor + kSlot);
  // Order of the taken list does not matter.
  EXPECT_EQ(chosen(0, kSlot, {{kFloor + kSlot, kSlot}, {kFloor, kSlot}}), kFloor + 2 * kSlot);
}

TEST(HostUserns, PartialOverlapsMakeASlotTaken) {
  // One id at the very end of the first slot.
  EXPECT_EQ(chosen(0, kSlot, {{kFloor + kSlot - 1, 1}}), kFloor + kSlot);
  // A range starting below the floor reaching into the first slot.
  EXPECT_EQ(chosen(0, kSlot, {{kFloor - 5, 6}}), kFloor + kSlot);
  // A range ending exactly at the first slot's start does not overlap.
  EXPECT_EQ(chosen(0, kSlot, {{kFloor - 5, 5}}), kFloor);
  // A range straddling slots 0 and 1.
  EXPECT_EQ(chosen(0, kSlot, {{kFloor + kSlot - 1, 2}}), kFloor + 2 * kSlot);
  // A range starting exactly after the first slot leaves it free.
  EXPECT_EQ(chosen(0, kSlot, {{kFloor + kSlot, 1}}), kFloor);
}

TEST(HostUserns, LargerSizesSpanSeveralSlots) {
  // Needs 2 slots: slot 1 is partly taken, so slots 0-1 and 1-2 fail; slot 2 is next.
  EXPECT_EQ(chosen(0, 2 * kSlot, {{kFloor + kSlot + 100, 1}}), kFloor + 2 * kSlot);
  // Small ranges still start at slot boundaries.
  EXPECT_EQ(chosen(0, 1000, {{kFloor, 1}}), kFloor + kSlot);
}

TEST(HostUserns, RequestedBaseAccepted) {
  EXPECT_EQ(chosen(2000000000, kSlot, {}), 2000000000u);
  // Adjacent ranges on either side do not overlap.
  EXPECT_EQ(chosen(2000000000, kSlot, {{2000000000 - kSlot, kSlot}, {2000000000 + kSlot, 10}}),
            2000000000u);
  // A requested base need not be aligned or above the floor.
  EXPECT_EQ(chosen(100000, 1000, {}), 100000u);
  // The very last range that fits: ids up to 4294967294.
  EXPECT_EQ(chosen(4294967295 - kSlot, kSlot, {}), 4294967295 - kSlot);
}

TEST(HostUserns, RequestedBaseRefusedOnOverlap) {
  Result<uint64_t> r = choose_id_base(2000000000, kSlot, {{2000000000 + kSlot - 1, 1}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), EEXIST);
  EXPECT_EQ(r.error().message(), "userns.uid: ids 2000000000-2000065535 are already in use");

  r = choose_id_base(2000000000, kSlot, {{1999999990, 11}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "userns.uid: ids 2000000000-2000065535 are already in use");

  r = choose_id_base(kFloor, 10, {{kFloor, kSlot}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "userns.uid: ids 1073741824-1073741833 are already in use");
}

TEST(HostUserns, RequestedRangeMustFitBelowTheCeiling) {
  Result<uint64_t> r = choose_id_base(4294967296 - kSlot, kSlot, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), EINVAL);
  EXPECT_EQ(r.error().message(), "userns.uid: range does not fit below 4294967295");

  r = choose_id_base(4294967295, 1, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "userns.uid: range does not fit below 4294967295");

  r = choose_id_base(4000000000, 400000000, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "userns.uid: range does not fit below 4294967295");
}

TEST(HostUserns, NoFreeRange) {
  // Everything from the floor to the ceiling taken.
  Result<uint64_t> r = choose_id_base(0, kSlot, {{kFloor, 4294967295 - kFloor}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), EAGAIN);
  EXPECT_EQ(r.error().message(), "no free user id range for the jail");

  // A range larger than the whole space never fits.
  r = choose_id_base(0, 4294967296, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), EAGAIN);
}

TEST(HostUserns, LastSlotIsUsable) {
  // The last aligned slot: 4294901760 + 65535 = 4294967295 is above the ceiling, so the last
  // usable aligned base for a full slot is 4294836224.
  Result<uint64_t> r = choose_id_base(0, kSlot, {{kFloor, 4294836224 - kFloor}});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(*r, 4294836224u);
  // A smaller size fits into the very last slot.
  r = choose_id_base(0, 1000, {{kFloor, 4294901760 - kFloor}});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(*r, 4294901760u);
}

TEST(HostUserns, ParseSubid) {
  std::string text =
      "alice:100000:65536\n"
      "bob:165536:65536\n"
      "\n"
      "# comment\n"
      "carol:notanumber:65536\n"
      "dave:231072\n"
      "erin:231072:-5\n"
      "frank:1073741824:131072\n"
      "1000:300000:10";
  std::vector<IdRange> expected = {
      {100000, 65536}, {165536, 65536}, {1073741824, 131072}, {300000, 10}};
  EXPECT_EQ(parse_subid(text), expected);
  EXPECT_TRUE(parse_subid("").empty());
  EXPECT_TRUE(parse_subid("\n\n").empty());
  // A trailing newline adds nothing.
  EXPECT_EQ(parse_subid("a:1:2\n"), (std::vector<IdRange>{{1, 2}}));
}

TEST(HostUserns, AccountIdsAreTheThirdFieldOfPasswdAndGroupLines) {
  const char* passwd =
      "root:x:0:0:root:/root:/bin/bash\n"
      "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
      "\n"
      "broken:x\n"
      "noid:x::5:\n"
      "neg:x:-3:1::/:\n"
      "big:x:1073741825:1:::\n"
      "short:x:77";
  std::vector<IdRange> expected = {{0, 1}, {1, 1}, {1073741825, 1}, {77, 1}};
  EXPECT_EQ(parse_account_ids(passwd), expected);
  EXPECT_EQ(parse_account_ids("sudo:x:27:alice,bob\nusers:x:100:\n"),
            (std::vector<IdRange>{{27, 1}, {100, 1}}));
  EXPECT_TRUE(parse_account_ids("").empty());
  EXPECT_TRUE(parse_account_ids("a:b\n:\n").empty());
  // A host account inside the jail's range moves the jail's ids past it.
  EXPECT_EQ(chosen(0, kSlot, parse_account_ids(passwd)), kFloor + kSlot);
}

TEST(HostUserns, SubidRangesFeedChooseIdBase) {
  auto taken = parse_subid("root:1073741824:65536\nuser:1073807360:10\n");
  EXPECT_EQ(chosen(0, kSlot, taken), kFloor + 2 * kSlot);
}

}  // namespace
}  // namespace ljail::host
