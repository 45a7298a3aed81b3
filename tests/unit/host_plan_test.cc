// make_plan(): namespaces, id mapping, mounts and the init's work, computed from parameters.
#include <gtest/gtest.h>

#include <sched.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "host/plan.h"
#include "params/params.h"
#include "params_of.h"

namespace ljail::host {
namespace {

using Strings = std::vector<std::string>;

constexpr uint64_t kDefaultFlags =
    CLONE_NEWPID | CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC;
constexpr uint64_t kBase = 1073741824;

JailPlan plan_of(const params::ParamSet& set, uint64_t base = kBase) {
  PlanInputs in;
  in.params = &set;
  in.uid_base = base;
  Result<JailPlan> plan = make_plan(in);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message());
  return plan ? std::move(*plan) : JailPlan{};
}

TEST(HostPlan, Defaults) {
  params::ParamSet set = params_of({"path=/jails/www", "name=www"});
  JailPlan p = plan_of(set);
  EXPECT_EQ(p.clone_flags, kDefaultFlags);
  EXPECT_TRUE(p.new_userns);
  EXPECT_TRUE(p.own_netns);
  EXPECT_EQ(p.uid_base, kBase);
  EXPECT_EQ(p.uid_size, 65536u);

  EXPECT_EQ(p.rootfs.path, "/jails/www");
  EXPECT_TRUE(p.rootfs.idmap);
  EXPECT_TRUE(p.rootfs.new_userns);
  EXPECT_EQ(p.rootfs.root_uid, kBase);
  EXPECT_EQ(p.rootfs.root_gid, kBase);
  EXPECT_EQ(p.rootfs.tty_gid, kBase + 5);
  EXPECT_TRUE(p.rootfs.proc);
  EXPECT_TRUE(p.rootfs.sys);
  EXPECT_TRUE(p.rootfs.dev);
  EXPECT_TRUE(p.rootfs.fd);
  EXPECT_TRUE(p.rootfs.run);

  EXPECT_TRUE(p.init.set_uts);
  EXPECT_EQ(p.init.hostname, "");
  EXPECT_EQ(p.init.domainname, "");
  // Written by the init, in the jail's ids (the host's may be above the kernel's 2^31-1).
  EXPECT_EQ(p.init.ping_groups, "0 65535");
  EXPECT_EQ(p.ping_groups, "");
  EXPECT_TRUE(p.init.new_userns);
  EXPECT_FALSE(p.init.persist);
}

TEST(HostPlan, UserNamespaceSize) {
  params::ParamSet set = params_of({"path=/j", "userns.size=131072"});
  JailPlan p = plan_of(set, 1074003968);
  EXPECT_EQ(p.uid_base, 1074003968u);
  EXPECT_EQ(p.uid_size, 131072u);
  EXPECT_EQ(p.rootfs.root_uid, 1074003968u);
  EXPECT_EQ(p.rootfs.tty_gid, 1074003968u + 5);
}

TEST(HostPlan, UsernsInheritDropsNewUserAndIdmap) {
  params::ParamSet set = params_of({"path=/j", "userns=inherit"});
  JailPlan p = plan_of(set);
  EXPECT_EQ(p.clone_flags, kDefaultFlags & ~uint64_t{CLONE_NEWUSER});
  EXPECT_FALSE(p.new_userns);
  EXPECT_EQ(p.uid_base, 0u);
  EXPECT_EQ(p.uid_size, 0u);
  EXPECT_FALSE(p.rootfs.idmap);
  EXPECT_FALSE(p.rootfs.new_userns);
  EXPECT_FALSE(p.init.new_userns);
  // Host ids are the jail's ids.
  EXPECT_EQ(p.rootfs.root_uid, 0u);
  EXPECT_EQ(p.rootfs.root_gid, 0u);
  EXPECT_EQ(p.rootfs.tty_gid, 5u);
}

TEST(HostPlan, JailTtyGroupIsMapped) {
  params::ParamSet set = params_of({"path=/j"});
  PlanInputs in;
  in.params = &set;
  in.uid_base = kBase;
  in.jail_tty_gid = 4;
  Result<JailPlan> p = make_plan(in);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->rootfs.tty_gid, kBase + 4);

  params::ParamSet inherit = params_of({"path=/j", "userns=inherit"});
  in.params = &inherit;
  p = make_plan(in);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->rootfs.tty_gid, 4u);
}

TEST(HostPlan, HostInheritDropsNewUts) {
  params::ParamSet set = params_of({"path=/j", "host=inherit"});
  JailPlan p = plan_of(set);
  EXPECT_EQ(p.clone_flags, kDefaultFlags & ~uint64_t{CLONE_NEWUTS});
  EXPECT_FALSE(p.init.set_uts);
}

TEST(HostPlan, HostnameAndDomainname) {
  params::ParamSet set =
      params_of({"path=/j", "host.hostname=www.example.org", "host.domainname=nis.example"});
  JailPlan p = plan_of(set);
  EXPECT_TRUE(p.init.set_uts);
  EXPECT_EQ(p.init.hostname, "www.example.org");
  EXPECT_EQ(p.init.domainname, "nis.example");
  EXPECT_EQ(p.clone_flags, kDefaultFlags);
}

TEST(HostPlan, IpcNamespace) {
  {
    params::ParamSet set =
        params_of({"path=/j", "sysvmsg=inherit", "sysvsem=inherit", "sysvshm=inherit"});
    EXPECT_EQ(plan_of(set).clone_flags, kDefaultFlags & ~uint64_t{CLONE_NEWIPC});
  }
  {
    params::ParamSet set = params_of({"path=/j", "allow.sysvipc"});
    EXPECT_EQ(plan_of(set).clone_flags, kDefaultFlags & ~uint64_t{CLONE_NEWIPC});
  }
  {
    params::ParamSet set = params_of({"path=/j", "allow.sysvipc=1"});
    EXPECT_EQ(plan_of(set).clone_flags, kDefaultFlags & ~uint64_t{CLONE_NEWIPC});
  }
  // Any one of the three still new: the jail gets its own IPC namespace.
  for (auto args :
       {std::initializer_list<const char*>{"path=/j", "sysvmsg=inherit", "sysvsem=inherit"},
        {"path=/j", "sysvmsg=inherit", "sysvshm=inherit"},
        {"path=/j", "sysvsem=inherit", "sysvshm=inherit"},
        {"path=/j", "sysvmsg=new", "sysvsem=inherit", "sysvshm=inherit"},
        {"path=/j", "allow.nosysvipc"}}) {
    params::ParamSet set = params_of(args);
    EXPECT_EQ(plan_of(set).clone_flags, kDefaultFlags) << *(args.begin() + 1);
  }
}

TEST(HostPlan, Ip4OrIp6InheritDropsNewNet) {
  {
    params::ParamSet set = params_of({"path=/j", "ip4=inherit"});
    JailPlan p = plan_of(set);
    EXPECT_EQ(p.clone_flags, kDefaultFlags & ~uint64_t{CLONE_NEWNET});
    EXPECT_FALSE(p.own_netns);
  }
  {
    params::ParamSet set = params_of({"path=/j", "ip6=inherit"});
    JailPlan p = plan_of(set);
    EXPECT_EQ(p.clone_flags, kDefaultFlags & ~uint64_t{CLONE_NEWNET});
    EXPECT_FALSE(p.own_netns);
  }
  {
    params::ParamSet set = params_of({"path=/j", "ip4=disable", "ip6=new"});
    JailPlan p = plan_of(set);
    EXPECT_EQ(p.clone_flags, kDefaultFlags);
    EXPECT_TRUE(p.own_netns);
  }
}

TEST(HostPlan, EverythingInherited) {
  params::ParamSet set =
      params_of({"path=/", "userns=inherit", "host=inherit", "ip4=inherit", "ip6=inherit",
                 "sysvmsg=inherit", "sysvsem=inherit", "sysvshm=inherit"});
  EXPECT_EQ(plan_of(set).clone_flags, uint64_t{CLONE_NEWPID});
}

TEST(HostPlan, MountSwitches) {
  struct Case {
    const char* arg;
    bool proc, sys, dev, fd, run;
  };
  const Case cases[] = {
      {"mount.noprocfs", false, true, true, true, true},
      {"mount.procfs=false", false, true, true, true, true},
      {"mount.nosysfs", true, false, true, true, true},
      {"mount.nodevfs", true, true, false, false, true},
      {"mount.nofdescfs", true, true, true, false, true},
      {"mount.notmpfs", true, true, true, true, false},
      {"mount.tmpfs=0", true, true, true, true, false},
  };
  for (const Case& c : cases) {
    params::ParamSet set = params_of({"path=/j", c.arg});
    JailPlan p = plan_of(set);
    EXPECT_EQ(p.rootfs.proc, c.proc) << c.arg;
    EXPECT_EQ(p.rootfs.sys, c.sys) << c.arg;
    EXPECT_EQ(p.rootfs.dev, c.dev) << c.arg;
    EXPECT_EQ(p.rootfs.fd, c.fd) << c.arg;
    EXPECT_EQ(p.rootfs.run, c.run) << c.arg;
  }
  // fdescfs asked for explicitly still needs devfs.
  params::ParamSet set = params_of({"path=/j", "mount.nodevfs", "mount.fdescfs"});
  JailPlan p = plan_of(set);
  EXPECT_FALSE(p.rootfs.dev);
  EXPECT_FALSE(p.rootfs.fd);
}

TEST(HostPlan, AllMountsOff) {
  params::ParamSet set = params_of({"path=/j", "mount.noprocfs", "mount.nosysfs", "mount.nodevfs",
                                    "mount.nofdescfs", "mount.notmpfs"});
  JailPlan p = plan_of(set);
  EXPECT_FALSE(p.rootfs.proc);
  EXPECT_FALSE(p.rootfs.sys);
  EXPECT_FALSE(p.rootfs.dev);
  EXPECT_FALSE(p.rootfs.fd);
  EXPECT_FALSE(p.rootfs.run);
}

TEST(HostPlan, Persist) {
  params::ParamSet on = params_of({"path=/j", "persist"});
  EXPECT_TRUE(plan_of(on).init.persist);
  params::ParamSet off = params_of({"path=/j", "nopersist"});
  EXPECT_FALSE(plan_of(off).init.persist);
}

}  // namespace
}  // namespace ljail::host
