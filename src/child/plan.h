// What the host computed for the processes it clones: the root file system build (done by the
// builder, host root inside the jail's PID and network namespaces) and the jail init's work
// (identity, persistence). The child side only executes these.
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ljail::child {

// One fstab(5) line of `mount` or `mount.fstab`, ready for the builder.
struct MountEntry {
  enum class Kind { Bind, Proc, Sysfs, Tmpfs, Devfs };
  Kind kind = Kind::Bind;
  std::string source;  // host path of a bind mount (FreeBSD's nullfs)
  std::string target;  // path inside the jail root, relative ("usr/ports")
  bool readonly = false;
  uint64_t attrs = 0;  // MOUNT_ATTR_NOSUID, _NODEV, _NOEXEC, _NOATIME
  std::vector<std::pair<std::string, std::string>> fs_options;  // tmpfs size=, mode=, ...
  std::string line;                                             // as written, for messages
};

struct RootfsPlan {
  std::string path;    // the jail root on the host
  bool idmap = false;  // userns=new: the root is an idmapped mount
  uid_t root_uid = 0;  // host uid of jail root (tmpfs and devpts ownership)
  gid_t root_gid = 0;  // host gid of jail root
  gid_t tty_gid = 5;   // host gid of the jail's tty group (devpts gid=)
  bool proc = true;    // mount.procfs
  bool sys = true;     // mount.sysfs
  bool dev = true;     // mount.devfs: tmpfs /dev, device nodes, devpts, /dev/shm
  bool fd = true;      // mount.fdescfs: /dev/fd and std* links
  // The device nodes of /dev (the jail's device list, host/devices.h): made by the builder
  // (host root may make nodes), or, by a jail's builder, bound from its own /dev.
  struct DevNode {
    std::string name;
    unsigned major = 0;
    unsigned minor = 0;
  };
  std::vector<DevNode> dev_nodes;
  bool run = true;                 // mount.tmpfs: tmpfs on /run
  bool own_netns = true;           // /proc/sys/net stays writable for the jail's own stack
  std::vector<MountEntry> mounts;  // after the default mounts, in order
  bool new_userns = false;         // after pivoting, join the jail's user namespace and copy the
                                   // mount namespace so that every mount is locked
  // Built by a jail's root inside its jail: every procfs and sysfs it may mount is read-only.
  bool nested = false;
  // Read-only procfs / sysfs instances with nothing over them under /dev/.ljail, so that the
  // jail may mount read-only ones of its own (host/nesting.h): children.max > 0 (its jails
  // need them), allow.mount.procfs (or linprocfs) / allow.mount.linsysfs.
  bool visible_proc = false;
  bool visible_sys = false;
  // user.max_user_namespaces of the jail's user namespace (children.max), set once it owns
  // the mounts; -1 leaves it.
  int64_t max_user_namespaces = -1;
};

struct InitPlan {
  bool set_uts = true;  // host=new
  std::string hostname;
  std::string domainname;
  // net.ipv4.ping_group_range to write, in the jail's ids (empty: jail(8) writes it).
  std::string ping_groups;
  // The jail's privilege policy (host/policy.h), applied to the init like to every process.
  uint64_t drop_caps = 0;
  std::vector<struct sock_filter> seccomp;
  bool new_userns = true;
  bool persist = false;
  // Made inside a jail: procfs is read-only (ping_group_range is set by the builder).
  bool nested = false;
  // exec.init: the distribution's init, exec'd as the jail's PID 1 once the host releases the
  // jail, with a pty of the jail's devpts as /dev/console (its master goes to the host).
  std::string exec_init;
};

// A command of jail(8) that the init forks while jail(8) holds the jail (protocol.h, RUN):
// the init already has the jail's namespaces, cgroups and policy, so the command only takes
// its credentials, descriptors and working directory.
struct RunSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  std::string cwd = "/";
  bool background = false;       // a session of its own, not waited for
  std::string program = "jail";  // names the tool in messages
  // The host's last command before its RELEASE: the init releases the jail as soon as the
  // command has exited (BYE right after EXIT), one round trip fewer.
  bool release_after = false;
};

}  // namespace ljail::child
