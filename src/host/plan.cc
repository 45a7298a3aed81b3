#include "host/plan.h"

#include <sched.h>

#include "host/devices.h"
#include "host/fstab.h"
#include "host/policy.h"

namespace ljail::host {

using params::JailSys;

uint64_t namespace_flags(const params::ParamSet& p) {
  uint64_t flags = CLONE_NEWPID;
  if (p.get_jailsys("userns") == JailSys::New) flags |= CLONE_NEWUSER;
  if (p.get_jailsys("ip4") != JailSys::Inherit && p.get_jailsys("ip6") != JailSys::Inherit) {
    flags |= CLONE_NEWNET;
  }
  if (p.get_jailsys("host") != JailSys::Inherit) flags |= CLONE_NEWUTS;
  bool shared_ipc = (p.get_jailsys("sysvmsg") == JailSys::Inherit &&
                     p.get_jailsys("sysvsem") == JailSys::Inherit &&
                     p.get_jailsys("sysvshm") == JailSys::Inherit) ||
                    p.get_bool("allow.sysvipc");
  if (!shared_ipc) flags |= CLONE_NEWIPC;
  return flags;
}

Result<JailPlan> make_plan(const PlanInputs& in) {
  const auto& p = *in.params;
  JailPlan plan;
  plan.clone_flags = namespace_flags(p);
  plan.new_userns = plan.clone_flags & CLONE_NEWUSER;
  plan.nested = in.nested;
  plan.own_netns = plan.clone_flags & CLONE_NEWNET;
  bool own_uts = plan.clone_flags & CLONE_NEWUTS;

  if (plan.new_userns) {
    plan.uid_base = in.uid_base;
    plan.uid_size = p.get_uint("userns.size");
  }
  auto host_id = [&](uint64_t jail_id) {
    return static_cast<uid_t>(plan.new_userns ? plan.uid_base + jail_id : jail_id);
  };

  auto& r = plan.rootfs;
  r.path = p.get_string("path");
  // Only host root may idmap a mount of the host's file systems.
  r.idmap = plan.new_userns && !in.nested;
  r.nested = in.nested;
  bool nesting = p.get_int("children.max") > 0;
  bool mounts = p.get_bool("allow.mount");
  r.visible_proc = r.dev && (nesting || (mounts && (p.get_bool("allow.mount.procfs") ||
                                                    p.get_bool("allow.mount.linprocfs"))));
  r.visible_sys = r.dev && (nesting || (mounts && p.get_bool("allow.mount.linsysfs")));
  r.new_userns = plan.new_userns;
  r.root_uid = host_id(0);
  r.root_gid = host_id(0);
  r.tty_gid = host_id(in.jail_tty_gid);
  r.proc = p.get_bool("mount.procfs");
  r.sys = p.get_bool("mount.sysfs");
  r.dev = p.get_bool("mount.devfs");
  r.fd = p.get_bool("mount.fdescfs") && r.dev;
  for (const auto& rule : jail_devices(fuse_allowed(p))) {
    if (rule.node.empty()) continue;
    r.dev_nodes.push_back({std::string(rule.node), rule.major, static_cast<unsigned>(rule.minor)});
  }
  r.run = p.get_bool("mount.tmpfs");
  r.own_netns = plan.own_netns;

  for (const auto& line : in.mount_lines) {
    r.mounts.push_back(LJ_TRY(parse_fstab_line(line, r.path)));
  }

  auto& i = plan.init;
  i.set_uts = own_uts;
  i.hostname = p.get_string("host.hostname");
  i.domainname = p.get_string("host.domainname");
  i.new_userns = plan.new_userns;
  i.persist = p.get_bool("persist");
  i.nested = in.nested;
  i.exec_init = p.get_string("exec.init");
  if (plan.new_userns && !in.nested) r.max_user_namespaces = p.get_int("children.max");
  // The kernel reads the range in the writer's ids and takes none above 2^31-1: a jail's own
  // groups 0 to size-1 are written from inside its user namespace, by its init (the host's
  // ids of them may be above that). A jail's jail shares its parent's ids, so the builder (a
  // fork of jail(8)) writes them there (through its parent's writable /proc/sys/net:
  // nesting.h).
  if (plan.new_userns && !in.nested) {
    plan.ping_groups.clear();
    if (plan.own_netns) i.ping_groups = "0 " + std::to_string(plan.uid_size - 1);
  } else if (plan.new_userns) {
    plan.ping_groups = "0 " + std::to_string(plan.uid_size - 1);
  }
  return plan;
}

}  // namespace ljail::host
