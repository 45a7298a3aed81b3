#include "config/depend.h"

#include <gtest/gtest.h>

namespace ljail::config {
namespace {

std::vector<std::string> names(const std::vector<DependNode>& n, const DependOrder& o) {
  std::vector<std::string> out;
  for (size_t i : o.order) out.push_back(n[i].name);
  return out;
}

TEST(Depend, KeepsFileOrderWithoutDependencies) {
  std::vector<DependNode> n = {{"a", {}}, {"b", {}}, {"c", {}}};
  auto o = order_jails(n);
  ASSERT_TRUE(o);
  EXPECT_EQ(names(n, *o), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Depend, DependenciesComeFirst) {
  std::vector<DependNode> n = {{"web", {"db", "cache"}}, {"cache", {}}, {"db", {"cache"}}};
  auto o = order_jails(n);
  ASSERT_TRUE(o);
  EXPECT_EQ(names(n, *o), (std::vector<std::string>{"cache", "db", "web"}));
  EXPECT_EQ(o->waits_for[0], (std::vector<size_t>{2, 1}));
}

TEST(Depend, ParentBeforeChildWhenConfigured) {
  std::vector<DependNode> n = {{"a.b", {}}, {"a", {}}, {"x.y", {}}};
  auto o = order_jails(n);
  ASSERT_TRUE(o);
  EXPECT_EQ(names(n, *o), (std::vector<std::string>{"a", "a.b", "x.y"}));
}

TEST(Depend, UndefinedJail) {
  std::vector<DependNode> n = {{"web", {"db"}}};
  auto o = order_jails(n);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().message(), "web: depends on undefined jail \"db\"");
  EXPECT_TRUE(order_jails(n, true));
}

TEST(Depend, Loop) {
  std::vector<DependNode> n = {{"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}};
  auto o = order_jails(n);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().message(), "a: dependency loop");
}

TEST(Depend, SelfLoop) {
  std::vector<DependNode> n = {{"a", {"a"}}};
  auto o = order_jails(n);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().message(), "a: dependency loop");
}

}  // namespace
}  // namespace ljail::config
