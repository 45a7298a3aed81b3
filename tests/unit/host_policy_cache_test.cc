// The registry's cache of a jail's compiled privilege policy.
#include "host/policy_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "host/registry.h"
#include "params_of.h"

namespace ljail::host {
namespace {

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

TEST(PolicyCache, OtherPolicyParamsOrADamagedFileAreAMiss) {
  auto p = params_of({"name=a", "path=/j", "allow.mount"});
  std::string text = policy_file_text(p, sample());
  EXPECT_FALSE(policy_from_text(params_of({"name=a", "path=/j"}), text).has_value());
  EXPECT_FALSE(
      policy_from_text(params_of({"name=a", "path=/j", "allow.mount", "allow.raw_sockets"}), text)
          .has_value());
  EXPECT_FALSE(
      policy_from_text(params_of({"name=a", "path=/j", "allow.mount", "children.max=2"}), text)
          .has_value());
  EXPECT_FALSE(
      policy_from_text(params_of({"name=a", "path=/j", "allow.mount", "sysvshm=disable"}), text)
          .has_value());
  EXPECT_FALSE(policy_from_text(p, text.substr(0, text.size() - 1)).has_value());
  EXPECT_FALSE(policy_from_text(p, text + "x").has_value());
  EXPECT_FALSE(policy_from_text(p, "ljail-policy 2" + text.substr(14)).has_value());
  EXPECT_FALSE(policy_from_text(p, "").has_value());
}

TEST(PolicyCache, SharedByJailsWithTheSamePolicyParams) {
  auto p = params_of({"name=a", "path=/j", "allow.mount"});
  auto q = params_of({"name=b", "path=/k", "persist", "exec.start=echo a,b", "allow.mount"});
  EXPECT_EQ(policy_file_name(p), policy_file_name(q));
  EXPECT_TRUE(policy_from_text(q, policy_file_text(p, sample())).has_value());
  auto r = params_of({"name=a", "path=/j"});
  EXPECT_NE(policy_file_name(p), policy_file_name(r));
  EXPECT_EQ(policy_file_name(p).rfind("policy.", 0), 0u);
}

TEST(PolicyCache, MakePolicyReadsOnlyThePolicyParams) {
  // The cache key is complete only if nothing else changes the policy.
  auto p = params_of({"name=a", "path=/j", "allow.raw_sockets", "children.max=1"});
  auto q = params_of({"name=b", "path=/k", "persist", "host.hostname=x", "ip4=inherit",
                      "allow.raw_sockets", "children.max=1", "mount.devfs=false"});
  auto a = make_policy(p);
  auto b = make_policy(q);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->drop_caps, b->drop_caps);
  ASSERT_EQ(a->bpf.size(), b->bpf.size());
  EXPECT_EQ(std::memcmp(a->bpf.data(), b->bpf.data(), a->bpf.size() * sizeof(a->bpf[0])), 0);
  auto c = make_policy(params_of({"name=a", "path=/j", "children.max=1"}));
  ASSERT_TRUE(c.has_value());
  EXPECT_NE(a->bpf.size(), c->bpf.size());
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
    // Not the defaults, whose policy is the build's (built_policy.h) and never cached.
    params_ = params_of({"name=p", "path=/j", "allow.raw_sockets"});
    // A jail in the registry: the cache lives as long as one does (registry.h).
    JailState s;
    s.jid = 1;
    s.name = "p";
    s.path = "/j";
    ASSERT_TRUE(reg_->save(s).has_value());
  }
  void TearDown() override {
    if (old_.empty()) {
      ::unsetenv("LJAIL_RUNDIR");
    } else {
      ::setenv("LJAIL_RUNDIR", old_.c_str(), 1);
    }
    std::filesystem::remove_all(tmp_);
  }
  std::string cache() const { return tmp_ + "/run/" + policy_file_name(params_); }

  std::string tmp_, old_;
  std::optional<Registry> reg_;
  params::ParamSet params_;
};

TEST_F(PolicyCacheDir, CompiledOnceStoredPrivateAndUsedAfterwards) {
  Result<Policy> first = cached_policy(*reg_, params_);
  ASSERT_TRUE(first.has_value()) << first.error().message();
  EXPECT_FALSE(first->bpf.empty());
  struct stat st;
  ASSERT_EQ(::stat(cache().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // A cache for the same parameters is taken as it is (a marker value shows it was read), by
  // another jail with the same policy too.
  Policy marked = *first;
  marked.drop_caps = 0xabc;
  std::ofstream(cache(), std::ios::trunc) << policy_file_text(params_, marked);
  ASSERT_EQ(::chmod(cache().c_str(), 0600), 0);
  Result<Policy> cached =
      cached_policy(*reg_, params_of({"name=q", "path=/k", "persist", "allow.raw_sockets"}));
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->drop_caps, 0xabcu);

  // Writable by others: not trusted, compiled again and replaced by a private one.
  ASSERT_EQ(::chmod(cache().c_str(), 0606), 0);
  Result<Policy> again = cached_policy(*reg_, params_);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->drop_caps, first->drop_caps);
  ASSERT_EQ(::stat(cache().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // Other policy parameters (jail -m allow.mount): another file, compiled.
  std::ofstream(cache(), std::ios::trunc) << policy_file_text(params_, marked);
  ASSERT_EQ(::chmod(cache().c_str(), 0600), 0);
  Result<Policy> changed =
      cached_policy(*reg_, params_of({"name=p", "path=/j", "allow.raw_sockets", "allow.mount"}));
  ASSERT_TRUE(changed.has_value());
  EXPECT_NE(changed->drop_caps, 0xabcu);

  // A damaged file: compiled again.
  std::ofstream(cache(), std::ios::trunc) << "ljail-policy 1\n1 2 3\n";
  Result<Policy> repaired = cached_policy(*reg_, params_);
  ASSERT_TRUE(repaired.has_value());
  EXPECT_EQ(repaired->drop_caps, first->drop_caps);
}

TEST_F(PolicyCacheDir, TheDefaultsTakeTheBuildsPolicyAndStoreNothing) {
  auto defaults = params_of({"name=d", "path=/d", "persist", "host.hostname=d"});
  Result<Policy> built = cached_policy(*reg_, defaults);
  ASSERT_TRUE(built.has_value()) << built.error().message();
  Result<Policy> compiled = make_policy(defaults);
  ASSERT_TRUE(compiled.has_value());
  EXPECT_EQ(built->drop_caps, compiled->drop_caps);
  ASSERT_EQ(built->bpf.size(), compiled->bpf.size());
  EXPECT_EQ(std::memcmp(built->bpf.data(), compiled->bpf.data(),
                        built->bpf.size() * sizeof(built->bpf[0])),
            0);
  struct stat st;
  EXPECT_NE(::stat((tmp_ + "/run/" + policy_file_name(defaults)).c_str(), &st), 0);
}

TEST_F(PolicyCacheDir, GoesWithTheRegistrysLastJail) {
  ASSERT_TRUE(cached_policy(*reg_, params_).has_value());
  struct stat st;
  ASSERT_EQ(::stat(cache().c_str(), &st), 0);
  ASSERT_TRUE(reg_->remove(1).has_value());
  EXPECT_NE(::stat(cache().c_str(), &st), 0);
  EXPECT_NE(::stat((tmp_ + "/run").c_str(), &st), 0);
}

TEST_F(PolicyCacheDir, NeverWaitsForTheRegistryLock) {
  int other = ::open((tmp_ + "/run/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(other, 0);
  ASSERT_EQ(::flock(other, LOCK_EX), 0);
  Result<Policy> p = cached_policy(*reg_, params_);  // would hang if it waited
  EXPECT_TRUE(p.has_value());
  ::close(other);
}

}  // namespace
}  // namespace ljail::host
