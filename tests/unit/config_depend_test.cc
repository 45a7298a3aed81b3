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
  EXPECT_EQ(names(n, o), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Depend, DependenciesComeFirst) {
  std::vector<DependNode> n = {{"web", {"db", "cache"}}, {"cache", {}}, {"db", {"cache"}}};
  auto o = order_jails(n);
  EXPECT_EQ(names(n, o), (std::vector<std::string>{"cache", "db", "web"}));
  EXPECT_EQ(o.waits_for[0], (std::vector<size_t>{2, 1}));
}

TEST(Depend, ParentBeforeChildWhenConfigured) {
  std::vector<DependNode> n = {{"a.b", {}}, {"a", {}}, {"x.y", {}}};
  auto o = order_jails(n);
  EXPECT_EQ(names(n, o), (std::vector<std::string>{"a", "a.b", "x.y"}));
}

TEST(Depend, UndefinedJailFailsOnlyThatJail) {
  std::vector<DependNode> n = {{"web", {"db"}}, {"ok", {}}};
  auto o = order_jails(n);
  EXPECT_EQ(o.errors, (std::vector<std::string>{"depends on undefined jail \"db\"", ""}));
  EXPECT_EQ(names(n, o), (std::vector<std::string>{"web", "ok"}));
  EXPECT_EQ(order_jails(n, true).errors, (std::vector<std::string>{"", ""}));
}

TEST(Depend, LoopMarksEveryJailOnIt) {
  std::vector<DependNode> n = {{"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}, {"d", {}}, {"e", {"a"}}};
  auto o = order_jails(n);
  EXPECT_EQ(o.errors, (std::vector<std::string>{"dependency loop", "dependency loop",
                                                "dependency loop", "", ""}));
  EXPECT_EQ(o.order.size(), 5u);
}

TEST(Depend, SelfLoop) {
  std::vector<DependNode> n = {{"a", {"a"}}};
  EXPECT_EQ(order_jails(n).errors, (std::vector<std::string>{"dependency loop"}));
}

}  // namespace
}  // namespace ljail::config
