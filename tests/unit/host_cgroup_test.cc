// The cgroup directories a jail gets: v2 first, then the v1 controller hierarchies.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/cgroup.h"

namespace ljail::host {
namespace {

using Strings = std::vector<std::string>;

TEST(HostCgroup, PureV2) {
  CgroupLayout layout;
  layout.v2_root = "/sys/fs/cgroup";
  EXPECT_EQ(jail_cgroup_paths(layout, "www"), (Strings{"/sys/fs/cgroup/ljail/www"}));
}

TEST(HostCgroup, Hybrid) {
  CgroupLayout layout;
  layout.v2_root = "/sys/fs/cgroup/unified";
  layout.v1_roots = {"/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/cpu,cpuacct"};
  // Membership, cgroup.kill and the device program need the v2 hierarchy only.
  EXPECT_EQ(jail_cgroup_paths(layout, "db.1"), (Strings{"/sys/fs/cgroup/unified/ljail/db.1"}));
  // Limits need the v1 controllers.
  EXPECT_EQ(jail_cgroup_paths(layout, "db.1", true),
            (Strings{"/sys/fs/cgroup/unified/ljail/db.1", "/sys/fs/cgroup/memory/ljail/db.1",
                     "/sys/fs/cgroup/pids/ljail/db.1", "/sys/fs/cgroup/cpu,cpuacct/ljail/db.1"}));
}

TEST(HostCgroup, V1Only) {
  CgroupLayout layout;
  layout.v1_roots = {"/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids"};
  EXPECT_EQ(jail_cgroup_paths(layout, "7"),
            (Strings{"/sys/fs/cgroup/memory/ljail/7", "/sys/fs/cgroup/pids/ljail/7"}));
}

TEST(HostCgroup, NoHierarchy) {
  EXPECT_TRUE(jail_cgroup_paths(CgroupLayout{}, "www").empty());
}

TEST(HostCgroup, OtherBase) {
  CgroupLayout layout;
  layout.v2_root = "/tmp/cg";
  layout.v1_roots = {"/tmp/cg1/memory"};
  EXPECT_EQ(jail_cgroup_paths(layout, "a", true),
            (Strings{"/tmp/cg/ljail/a", "/tmp/cg1/memory/ljail/a"}));
}

}  // namespace
}  // namespace ljail::host
