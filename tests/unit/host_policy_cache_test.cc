// The registry's cache of a jail's compiled privilege policy.
#include "host/policy_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "host/registry.h"

namespace ljail::host {
namespace {

params::ParamSet params_of(std::initializer_list<const char*> args) {
  params::ParamSet p;
  for (const char* a : args) EXPECT_TRUE(p.set_arg(a).has_value()) << a;
  return p;
}

Policy sample() {
  Policy p;
  p.drop_caps = 0x1234;
  p.bpf = {{0x20, 0, 0, 4}, {0x15, 1, 0, 0xc000003e}, {0x06, 0, 0, 0x7fff0000}};
  return p;
}

TEST(PolicyCache, TextRoundTripsForTheSameParams) {
  auto p = params_of({"name=a", "path=/j", "allow.mount", "exec.start=echo a,b"});
  std::string text = policy_file_text(p, sample());
  std::optional<Policy> back = policy_from_text(p, text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->drop_caps, 0x1234u);
  ASSERT_EQ(back->bpf.size(), 3u);
  EXPECT_EQ(back->bpf[1].k, 0xc000003eu);
  EXPECT_EQ(back->bpf[2].code, 0x06);
}

TEST(PolicyCache, OtherParamsOrADamagedFileAreAMiss) {
  auto p = params_of({"name=a", "path=/j", "allow.mount"});
  std::string text = policy_file_text(p, sample());
  EXPECT_FALSE(policy_from_text(params_of({"name=a", "path=/j"}), text).has_value());
  EXPECT_FALSE(policy_from_text(params_of({"name=a", "path=/j", "allow.mount", "persist"}), text)
                   .has_value());
  EXPECT_FALSE(policy_from_text(p, text.substr(0, text.size() - 1)).has_value());
  EXPECT_FALSE(policy_from_text(p, text + "x").has_value());
  EXPECT_FALSE(policy_from_text(p, "ljail-policy 2" + text.substr(14)).has_value());
  EXPECT_FALSE(policy_from_text(p, "").has_value());
  // Lists are compared element by element, commas and all.
  auto l1 = params_of({"name=a", "path=/j"});
  auto l2 = l1;
  l1.set(params::find("exec.start"), std::vector<std::string>{"a,b"});
  l2.set(params::find("exec.start"), std::vector<std::string>{"a", "b"});
  EXPECT_FALSE(policy_from_text(l2, policy_file_text(l1, sample())).has_value());
}

class PolicyCacheDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ljail-policy-test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    if (const char* old = std::getenv("LJAIL_RUNDIR")) old_ = old;
    ::setenv("LJAIL_RUNDIR", (tmp_ + "/run").c_str(), 1);
    auto r = Registry::open();
    ASSERT_TRUE(r.has_value());
    reg_.emplace(std::move(*r));
    s_.jid = 8;
    s_.name = "p";
    s_.path = "/j";
    s_.status = JailState::Status::Active;
    s_.params = params_of({"name=p", "path=/j"});
  }
  void TearDown() override {
    if (old_.empty()) {
      ::unsetenv("LJAIL_RUNDIR");
    } else {
      ::setenv("LJAIL_RUNDIR", old_.c_str(), 1);
    }
    std::filesystem::remove_all(tmp_);
  }
  std::string cache() const { return tmp_ + "/run/8.policy"; }

  std::string tmp_, old_;
  std::optional<Registry> reg_;
  JailState s_;
};

TEST_F(PolicyCacheDir, CompiledOnceStoredPrivateAndUsedAfterwards) {
  ASSERT_TRUE(reg_->save(s_).has_value());
  Result<Policy> first = jail_policy(*reg_, s_);
  ASSERT_TRUE(first.has_value()) << first.error().message();
  EXPECT_FALSE(first->bpf.empty());
  struct stat st;
  ASSERT_EQ(::stat(cache().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // A cache for the same parameters is taken as it is (a marker value shows it was read).
  Policy marked = *first;
  marked.drop_caps = 0xabc;
  std::ofstream(cache(), std::ios::trunc) << policy_file_text(s_.params, marked);
  ASSERT_EQ(::chmod(cache().c_str(), 0600), 0);
  Result<Policy> cached = jail_policy(*reg_, s_);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->drop_caps, 0xabcu);

  // Writable by others: not trusted, compiled again and replaced by a private one.
  ASSERT_EQ(::chmod(cache().c_str(), 0606), 0);
  Result<Policy> again = jail_policy(*reg_, s_);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->drop_caps, first->drop_caps);
  ASSERT_EQ(::stat(cache().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // Changed parameters (jail -m): compiled again.
  std::ofstream(cache(), std::ios::trunc) << policy_file_text(s_.params, marked);
  ASSERT_EQ(::chmod(cache().c_str(), 0600), 0);
  s_.params = params_of({"name=p", "path=/j", "allow.mount"});
  Result<Policy> changed = jail_policy(*reg_, s_);
  ASSERT_TRUE(changed.has_value());
  EXPECT_NE(changed->drop_caps, 0xabcu);
}

TEST_F(PolicyCacheDir, NeverWaitsForTheRegistryLock) {
  ASSERT_TRUE(reg_->save(s_).has_value());
  int other = ::open((tmp_ + "/run/lock").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(other, 0);
  ASSERT_EQ(::flock(other, LOCK_EX), 0);
  Result<Policy> p = jail_policy(*reg_, s_);  // would hang if it waited
  EXPECT_TRUE(p.has_value());
  struct stat st;
  EXPECT_NE(::stat(cache().c_str(), &st), 0);
  ::close(other);
  EXPECT_TRUE(save_policy(*reg_, s_, *p).has_value());
  EXPECT_EQ(::stat(cache().c_str(), &st), 0);
}

TEST_F(PolicyCacheDir, NotStoredForAJailNoLongerRegistered) {
  Result<Policy> p = jail_policy(*reg_, s_);
  ASSERT_TRUE(p.has_value());
  struct stat st;
  EXPECT_NE(::stat(cache().c_str(), &st), 0);
}

}  // namespace
}  // namespace ljail::host
