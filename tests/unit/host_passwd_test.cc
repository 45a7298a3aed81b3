// passwd(5) and group(5) parsing: accounts by name and uid, supplementary groups.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/passwd.h"

namespace ljail::host {
namespace {

using Gids = std::vector<gid_t>;

const std::string kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "broken line without colons\n"
    "short:x:7:7:too few fields\n"
    ":x:8:8:empty name:/:/bin/sh\n"
    "baduid:x:abc:10::/home/baduid:/bin/sh\n"
    "badgid:x:11:-1::/home/badgid:/bin/sh\n"
    "\n"
    "alice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh\n"
    "bob:*:1001:100::/home/bob:\n"
    "alice2:x:1000:1002::/home/alice2:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin";

const std::string kGroup =
    "root:x:0:\n"
    "tty:x:5:\n"
    "wheel:x:10:root,alice\n"
    "users:x:100:bob,alice, carol\n"
    "broken\n"
    "bad:x:notanumber:alice\n"
    "short:x:12\n"
    "audio:x:29:alicia,xalice,alice\n"
    "dup:x:1000:alice\n"
    "video:x:44:bob\n"
    "last:x:45:alice";

TEST(HostPasswd, FindAccountByName) {
  auto a = find_account(kPasswd, "alice");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->name, "alice");
  EXPECT_EQ(a->uid, 1000u);
  EXPECT_EQ(a->gid, 1000u);
  EXPECT_EQ(a->home, "/home/alice");
  EXPECT_EQ(a->shell, "/bin/zsh");
  EXPECT_TRUE(a->groups.empty());

  auto root = find_account(kPasswd, "root");
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->uid, 0u);
  EXPECT_EQ(root->gid, 0u);
  EXPECT_EQ(root->home, "/root");
  EXPECT_EQ(root->shell, "/bin/bash");

  auto bob = find_account(kPasswd, "bob");
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->uid, 1001u);
  EXPECT_EQ(bob->gid, 100u);
  EXPECT_EQ(bob->home, "/home/bob");
  EXPECT_EQ(bob->shell, "");

  // The last line needs no newline.
  auto nobody = find_account(kPasswd, "nobody");
  ASSERT_TRUE(nobody.has_value());
  EXPECT_EQ(nobody->uid, 65534u);
  EXPECT_EQ(nobody->shell, "/usr/sbin/nologin");
}

TEST(HostPasswd, NamesMatchExactly) {
  EXPECT_FALSE(find_account(kPasswd, "Alice").has_value());
  EXPECT_FALSE(find_account(kPasswd, "alic").has_value());
  EXPECT_FALSE(find_account(kPasswd, "").has_value());
  EXPECT_FALSE(find_account(kPasswd, "nosuchuser").has_value());
  EXPECT_FALSE(find_account("", "root").has_value());
}

TEST(HostPasswd, MalformedLinesIgnored) {
  EXPECT_FALSE(find_account(kPasswd, "short").has_value());
  EXPECT_FALSE(find_account(kPasswd, "baduid").has_value());
  EXPECT_FALSE(find_account(kPasswd, "badgid").has_value());
  EXPECT_FALSE(find_account(kPasswd, "broken line without colons").has_value());
  EXPECT_FALSE(find_account_by_uid(kPasswd, 7).has_value());
  EXPECT_FALSE(find_account_by_uid(kPasswd, 8).has_value());
  EXPECT_FALSE(find_account_by_uid(kPasswd, 11).has_value());
}

TEST(HostPasswd, FindAccountByUidFirstMatchWins) {
  auto a = find_account_by_uid(kPasswd, 1000);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->name, "alice");
  EXPECT_EQ(a->gid, 1000u);

  auto d = find_account_by_uid(kPasswd, 1);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->name, "daemon");
  EXPECT_EQ(d->home, "/usr/sbin");

  auto r = find_account_by_uid(kPasswd, 0);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->name, "root");

  EXPECT_FALSE(find_account_by_uid(kPasswd, 4242).has_value());
  EXPECT_FALSE(find_account_by_uid("", 0).has_value());
}

TEST(HostPasswd, GroupsOfMember) {
  // Primary first, then each group naming alice exactly, in file order, without duplicates
  // (dup has gid 1000, the primary).
  EXPECT_EQ(groups_of(kGroup, "alice", 1000), (Gids{1000, 10, 100, 29, 45}));
}

TEST(HostPasswd, GroupsOfOtherUsers) {
  EXPECT_EQ(groups_of(kGroup, "bob", 100), (Gids{100, 44}));
  EXPECT_EQ(groups_of(kGroup, "root", 0), (Gids{0, 10}));
  // " carol" (with a space) is not "carol".
  EXPECT_EQ(groups_of(kGroup, "carol", 2000), (Gids{2000}));
  EXPECT_EQ(groups_of(kGroup, "nobody", 65534), (Gids{65534}));
  EXPECT_EQ(groups_of("", "alice", 1000), (Gids{1000}));
}

}  // namespace
}  // namespace ljail::host
