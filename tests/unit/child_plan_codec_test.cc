#include "child/plan_codec.h"

#include <gtest/gtest.h>

namespace ljail::child {
namespace {

InitPlan sample() {
  InitPlan p;
  p.set_uts = true;
  p.hostname = "www:8 with:colons";
  p.domainname = "";
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

RunSpec sample_run() {
  RunSpec r;
  r.argv = {"/bin/sh", "-c", "echo 'a b'; exit 3", ""};
  r.env = {"PATH=/bin:/usr/bin", "X=1:2"};
  r.uid = 1000;
  r.gid = 100;
  r.groups = {100, 4294967294u};
  r.cwd = "/home/user name";
  r.background = true;
  r.program = "jail";
  r.release_after = true;
  return r;
}

TEST(RunCodec, RoundTrip) {
  auto r = decode_run(encode_run(sample_run()));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->argv, sample_run().argv);
  EXPECT_EQ(r->env, sample_run().env);
  EXPECT_EQ(r->uid, 1000u);
  EXPECT_EQ(r->gid, 100u);
  EXPECT_EQ(r->groups, (std::vector<gid_t>{100, 4294967294u}));
  EXPECT_EQ(r->cwd, "/home/user name");
  EXPECT_TRUE(r->background);
  EXPECT_EQ(r->program, "jail");
  EXPECT_TRUE(r->release_after);
}

TEST(RunCodec, RejectsTruncatedHugeCountsAndEmptyCommands) {
  std::string good = encode_run(sample_run());
  for (size_t cut : {size_t{0}, size_t{7}, good.size() / 2, good.size() - 1}) {
    EXPECT_FALSE(decode_run(good.substr(0, cut)).has_value()) << cut;
  }
  EXPECT_FALSE(decode_run(good + "1:x").has_value());
  // A plan is not a command, nor a command a plan.
  EXPECT_FALSE(decode_run(encode_plan(sample())).has_value());
  EXPECT_FALSE(decode_plan(good).has_value());
  // A count larger than the message cannot allocate anything.
  EXPECT_FALSE(decode_run("6:LJRUN110:9999999999").has_value());
  // An id beyond 32 bits.
  RunSpec big = sample_run();
  std::string text = encode_run(big);
  auto at = text.find("4:1000");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 6, "11:99999999999");
  EXPECT_FALSE(decode_run(text).has_value());
  RunSpec none = sample_run();
  none.argv.clear();
  EXPECT_FALSE(decode_run(encode_run(none)).has_value());
}

}  // namespace
}  // namespace ljail::child
