// The policy compiled at build time for the default policy parameters.
#include "host/built_policy.h"

#include <gtest/gtest.h>

#include <cstring>

#include "params_of.h"

namespace ljail::host {
namespace {

void expect_same(const Policy& a, const Policy& b) {
  EXPECT_EQ(a.drop_caps, b.drop_caps);
  ASSERT_EQ(a.bpf.size(), b.bpf.size());
  EXPECT_EQ(std::memcmp(a.bpf.data(), b.bpf.data(), a.bpf.size() * sizeof(a.bpf[0])), 0);
}

TEST(BuiltPolicy, IsWhatTheLibraryThatRunsCompilesForTheDefaults) {
  // The tests run with the libseccomp the build compiled with.
  EXPECT_EQ(built_policy().seccomp, seccomp_library_version());
  auto p = params_of({"name=a", "path=/j", "persist", "host.hostname=a", "ip4=inherit"});
  auto built = built_policy_for(p);
  ASSERT_TRUE(built.has_value());
  auto compiled = make_policy(p);
  ASSERT_TRUE(compiled.has_value()) << compiled.error().message();
  ASSERT_FALSE(built->bpf.empty());
  expect_same(*built, *compiled);
}

TEST(BuiltPolicy, DefaultsSetExplicitlyAreStillTheDefaults) {
  auto p = params_of({"name=a", "path=/j", "userns=new", "children.max=0", "allow.mount=false",
                      "allow.set_hostname"});
  EXPECT_TRUE(built_policy_for(p).has_value());
}

TEST(BuiltPolicy, NotForAnyOtherPolicyParameter) {
  for (const char* other : {"allow.raw_sockets", "allow.mount", "allow.mlock", "children.max=1",
                            "sysvshm=disable", "userns=inherit", "allow.set_hostname=false",
                            "allow.socket_af", "allow.reserved_ports=false"}) {
    auto p = params_of({"name=a", "path=/j", other});
    EXPECT_FALSE(built_policy_for(p).has_value()) << other;
    // And what the build would have given is not that policy either.
    auto compiled = make_policy(p);
    ASSERT_TRUE(compiled.has_value()) << other;
    const BuiltPolicy& b = built_policy();
    bool same =
        compiled->drop_caps == b.drop_caps && compiled->bpf.size() == b.bpf.size() &&
        std::memcmp(compiled->bpf.data(), b.bpf.data(), b.bpf.size() * sizeof(b.bpf[0])) == 0;
    EXPECT_FALSE(same) << other;
  }
}

}  // namespace
}  // namespace ljail::host
