#include "child/plan_codec.h"

#include <gtest/gtest.h>

namespace ljail::child {
namespace {

InitPlan sample() {
  InitPlan p;
  p.set_uts = true;
  p.hostname = "www:8 with:colons";
  p.domainname = "";
  p.own_netns = false;
  p.ping_groups = "0 65535";
  p.drop_caps = 0x8000000000000001ull;
  p.seccomp = {{0x20, 0, 0, 4}, {0x06, 1, 2, 0x7fff0000}};
  p.new_userns = true;
  p.persist = true;
  p.nested = false;
  p.exec_init = "/sbin/init";
  return p;
}

TEST(PlanCodec, RoundTrip) {
  auto p = decode_plan(encode_plan(sample()));
  ASSERT_TRUE(p.has_value()) << p.error().message();
  EXPECT_TRUE(p->set_uts);
  EXPECT_EQ(p->hostname, "www:8 with:colons");
  EXPECT_EQ(p->domainname, "");
  EXPECT_FALSE(p->own_netns);
  EXPECT_EQ(p->ping_groups, "0 65535");
  EXPECT_EQ(p->drop_caps, 0x8000000000000001ull);
  ASSERT_EQ(p->seccomp.size(), 2u);
  EXPECT_EQ(p->seccomp[1].code, 0x06);
  EXPECT_EQ(p->seccomp[1].jt, 1);
  EXPECT_EQ(p->seccomp[1].jf, 2);
  EXPECT_EQ(p->seccomp[1].k, 0x7fff0000u);
  EXPECT_TRUE(p->new_userns);
  EXPECT_TRUE(p->persist);
  EXPECT_FALSE(p->nested);
  EXPECT_EQ(p->exec_init, "/sbin/init");
}

TEST(PlanCodec, RejectsTruncatedTrailingAndForeignData) {
  std::string good = encode_plan(sample());
  for (size_t cut : {size_t{0}, size_t{5}, good.size() / 2, good.size() - 1}) {
    EXPECT_FALSE(decode_plan(good.substr(0, cut)).has_value()) << cut;
  }
  EXPECT_FALSE(decode_plan(good + "1:x").has_value());
  EXPECT_FALSE(decode_plan("GO 0").has_value());
  // a length beyond the end
  EXPECT_FALSE(decode_plan("7:LJPLAN199:x").has_value());
}

}  // namespace
}  // namespace ljail::child
