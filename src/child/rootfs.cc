#include "child/rootfs.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "sys/file.h"
#include "sys/mount.h"
#include "sys/node.h"
#include "sys/proc.h"

namespace ljail::child {

namespace {

constexpr uint64_t kNoSuidDevExec = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;

// Opens (creating when missing, as jail root) the directory or file `rel` beneath the root,
// one component at a time, never leaving the root.
Result<UniqueFd> ensure_path(int rootfd, const std::string& rel, bool file,
                             const RootfsPlan& plan) {
  auto fd = sys::open_in_root(rootfd, rel, O_PATH);
  if (fd || fd.error().code() != ENOENT) return fd;
  auto slash = rel.rfind('/');
  UniqueFd parent;
  std::string name = rel;
  if (slash != std::string::npos) {
    parent = LJ_TRY(ensure_path(rootfd, rel.substr(0, slash), false, plan));
    name = rel.substr(slash + 1);
  }
  int dirfd = parent.valid() ? parent.get() : rootfd;
  {
    sys::CreateAs jail_root(plan.root_uid, plan.root_gid);
    if (file) {
      LJ_TRY(sys::openat(dirfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW, 0644));
    } else {
      LJ_TRY(sys::mkdirat(dirfd, name, 0755));
    }
  }
  return sys::open_in_root(rootfd, rel, O_PATH);
}

Ok mount_at(int rootfd, const std::string& name, const RootfsPlan& plan, int mntfd) {
  auto target = LJ_TRY_CTX(ensure_path(rootfd, name, false, plan), "mounting /" + name);
  return sys::move_mount_to_fd(mntfd, target.get(), "/" + name);
}

std::string id(unsigned v) {
  return std::to_string(v);
}

// Bind-mounts the device node /dev/NAME of jail(8) onto a new file in the jail's /dev.
Ok bind_device(int devfd, const std::string& name) {
  { auto f = LJ_TRY(sys::openat(devfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW, 0666)); }
  auto target = LJ_TRY(sys::openat(devfd, name, O_PATH | O_NOFOLLOW));
  auto node = LJ_TRY(sys::open_tree_clone(AT_FDCWD, "/dev/" + name, false));
  return sys::move_mount_to_fd(node.get(), target.get(), "/dev/" + name);
}

Ok make_dev_at(int target_fd, const RootfsPlan& plan) {
  auto dev = LJ_TRY(sys::fs_mount(
      "tmpfs",
      {{"mode", "755"}, {"size", "1m"}, {"uid", id(plan.root_uid)}, {"gid", id(plan.root_gid)}},
      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC));
  int devfd = dev.get();
  LJ_TRY(sys::move_mount_to_fd(devfd, target_fd, "/dev"));
  // The mount fd still names the root of the tmpfs, now attached at /dev.
  // The nodes of the jail's device list: mode 0666 (fuse too, as udev's default rule has it).
  // Host root makes them (one mknod each, no mount); a jail's builder may not, and binds its
  // own /dev's nodes.
  for (const auto& node : plan.dev_nodes) {
    Ok made = plan.nested ? bind_device(devfd, node.name)
                          : sys::mknod_char(devfd, node.name, 0666, node.major, node.minor);
    LJ_TRY_CTX(std::move(made), "populating /dev");
  }
  std::vector<std::pair<const char*, const char*>> links = {{"ptmx", "pts/ptmx"}};
  if (plan.fd) {
    links.insert(links.end(), {{"fd", "/proc/self/fd"},
                               {"stdin", "/proc/self/fd/0"},
                               {"stdout", "/proc/self/fd/1"},
                               {"stderr", "/proc/self/fd/2"}});
  }
  {
    // Jail root's, as made (no chown after each).
    sys::CreateAs jail_root(plan.root_uid, plan.root_gid);
    for (const char* d : {"pts", "shm"}) LJ_TRY(sys::mkdirat(devfd, d, 0755));
    for (const auto& [name, target_path] : links) LJ_TRY(sys::symlinkat(target_path, devfd, name));
  }
  auto pts = LJ_TRY(sys::fs_mount(
      "devpts",
      {{"newinstance", ""}, {"ptmxmode", "0666"}, {"mode", "0620"}, {"gid", id(plan.tty_gid)}},
      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC));
  auto pts_dir = LJ_TRY(sys::openat(devfd, "pts", O_PATH | O_DIRECTORY | O_NOFOLLOW));
  LJ_TRY(sys::move_mount_to_fd(pts.get(), pts_dir.get(), "/dev/pts"));
  auto shm = LJ_TRY(sys::fs_mount(
      "tmpfs", {{"mode", "1777"}, {"uid", id(plan.root_uid)}, {"gid", id(plan.root_gid)}},
      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV));
  auto shm_dir = LJ_TRY(sys::openat(devfd, "shm", O_PATH | O_DIRECTORY | O_NOFOLLOW));
  LJ_TRY(sys::move_mount_to_fd(shm.get(), shm_dir.get(), "/dev/shm"));
  return {};
}

Result<UniqueFd> make_entry(const MountEntry& m, const RootfsPlan& plan, const JailNamespaces& ns) {
  using Kind = MountEntry::Kind;
  uint64_t ro = m.readonly ? MOUNT_ATTR_RDONLY : 0;
  switch (m.kind) {
    case Kind::Bind: {
      auto tree = LJ_TRY(sys::open_tree_clone(AT_FDCWD, m.source, true));
      if (plan.idmap) LJ_TRY_CTX(sys::mount_set_idmap(tree.get(), ns.userns, true), "idmapping");
      if (ro | m.attrs) LJ_TRY(sys::mount_setattr(tree.get(), ro | m.attrs, 0, true));
      return tree;
    }
    case Kind::Proc:
      if (plan.nested) ro = MOUNT_ATTR_RDONLY;
      return sys::proc_mount(ns.pidns, kNoSuidDevExec | ro | m.attrs);
    case Kind::Sysfs:
      return sys::fs_mount("sysfs", {}, kNoSuidDevExec | MOUNT_ATTR_RDONLY | m.attrs);
    case Kind::Tmpfs: {
      auto opts = m.fs_options;
      opts.emplace_back("uid", id(plan.root_uid));
      opts.emplace_back("gid", id(plan.root_gid));
      return sys::fs_mount("tmpfs", opts, MOUNT_ATTR_NODEV | ro | m.attrs);
    }
    case Kind::Devfs:
      break;
  }
  return Error::invalid("unsupported mount");
}

// One `mount` / `mount.fstab` line, inside the jail root.
Ok mount_entry(int rootfd, const MountEntry& m, const RootfsPlan& plan, const JailNamespaces& ns) {
  if (m.kind == MountEntry::Kind::Devfs) {
    auto dir = LJ_TRY(ensure_path(rootfd, m.target, false, plan));
    return make_dev_at(dir.get(), plan);
  }
  bool file = false;
  if (m.kind == MountEntry::Kind::Bind) {
    auto st = LJ_TRY(sys::stat(m.source));
    file = !S_ISDIR(st.st_mode);
  }
  auto mnt = LJ_TRY(make_entry(m, plan, ns));
  auto target = LJ_TRY(ensure_path(rootfd, m.target, file, plan));
  return sys::move_mount_to_fd(mnt.get(), target.get(), "/" + m.target);
}

// What covers masked directories: an empty read-only tmpfs, made for the first; every other
// is a clone of that one's mount once attached (a superblock fewer to make, and to tear down
// with the jail).
class DirCover {
 public:
  Result<UniqueFd> next() {
    if (first_.valid()) return sys::open_tree_clone(first_.get(), "", false);
    return sys::fs_mount("tmpfs", {{"size", "0"}, {"mode", "555"}},
                         kNoSuidDevExec | MOUNT_ATTR_RDONLY);
  }
  // `cover` from next(), attached now.
  void attached(UniqueFd cover) {
    if (!first_.valid()) first_ = std::move(cover);
  }

 private:
  UniqueFd first_;
};

// Overmounts `name` beneath `dir` (when it exists) with /dev/null for a file or an empty
// read-only directory (`covers`) for a directory.
Ok mask(int dir, const std::string& name, DirCover& covers) {
  auto target = sys::openat(dir, name, O_PATH | O_NOFOLLOW);
  if (!target) return target.error().code() == ENOENT ? Ok{} : Ok{target.error()};
  auto st = LJ_TRY(sys::fstat(target->get()));
  bool is_dir = S_ISDIR(st.st_mode);
  UniqueFd cover =
      is_dir ? LJ_TRY(covers.next()) : LJ_TRY(sys::open_tree_clone(AT_FDCWD, "/dev/null", false));
  LJ_TRY(sys::move_mount_to_fd(cover.get(), target->get(), "mask " + name));
  if (is_dir) covers.attached(std::move(cover));
  return {};
}

// Binds `name` beneath `dir` read-only onto itself.
Ok read_only(int dir, const std::string& name) {
  auto target = sys::openat(dir, name, O_PATH | O_NOFOLLOW);
  if (!target) return target.error().code() == ENOENT ? Ok{} : Ok{target.error()};
  auto copy = LJ_TRY(sys::open_tree_clone(dir, name, true));
  LJ_TRY(sys::mount_setattr(copy.get(), MOUNT_ATTR_RDONLY, 0, true));
  return sys::move_mount_to_fd(copy.get(), target->get(), "read-only " + name);
}

// The kernel interfaces of security.md 1.4, on the jail's /proc and /sys. Made here, by host
// root before the jail's user namespace owns the mount namespace, so the jail cannot undo them.
Ok protect_proc(int rootfd, const RootfsPlan& plan, DirCover& covers) {
  if (plan.proc) {
    auto proc = LJ_TRY(sys::open_in_root(rootfd, "proc", O_PATH | O_DIRECTORY));
    for (const char* f : {"kcore", "keys", "timer_list", "sched_debug", "latency_stats",
                          "timer_stats", "acpi", "scsi"}) {
      LJ_TRY_CTX(mask(proc.get(), f, covers), "masking /proc/" + std::string(f));
    }
    // /proc/sys read-only, but the jail's own network stack stays its own to tune.
    UniqueFd net;
    if (plan.own_netns) net = LJ_TRY(sys::open_tree_clone(proc.get(), "sys/net", true));
    for (const char* d : {"sys", "sysrq-trigger", "irq", "bus"}) {
      LJ_TRY_CTX(read_only(proc.get(), d), "/proc/" + std::string(d));
    }
    if (net.valid()) {
      auto target = LJ_TRY(sys::openat(proc.get(), "sys/net", O_PATH | O_DIRECTORY | O_NOFOLLOW));
      LJ_TRY(sys::move_mount_to_fd(net.get(), target.get(), "/proc/sys/net"));
    }
  }
  return {};
}

Ok protect_sys(int rootfd, const RootfsPlan& plan, DirCover& covers) {
  if (plan.sys) {
    auto sys_dir = LJ_TRY(sys::open_in_root(rootfd, "sys", O_PATH | O_DIRECTORY));
    LJ_TRY_CTX(mask(sys_dir.get(), "firmware", covers), "masking /sys/firmware");
  }
  return {};
}

// /dev/.ljail/proc and /dev/.ljail/sys (host/nesting.h): read-only, so the jail's own jails
// get read-only ones too, and nothing of the host's limits becomes writable.
Ok make_nesting_mounts(int rootfd, const RootfsPlan& plan, int pidns) {
  auto dir = LJ_TRY(ensure_path(rootfd, "dev/.ljail", false, plan));
  for (const char* fs : {"proc", "sysfs"}) {
    std::string name = fs == std::string("proc") ? "proc" : "sys";
    if (!(name == "proc" ? plan.visible_proc : plan.visible_sys)) continue;
    LJ_TRY(sys::mkdirat(dir.get(), name, 0555));
    auto target = LJ_TRY(sys::openat(dir.get(), name, O_PATH | O_DIRECTORY | O_NOFOLLOW));
    const uint64_t attrs = kNoSuidDevExec | MOUNT_ATTR_RDONLY;
    auto mnt =
        LJ_TRY(name == "proc" ? sys::proc_mount(pidns, attrs) : sys::fs_mount(fs, {}, attrs));
    LJ_TRY(sys::move_mount_to_fd(mnt.get(), target.get(), "/dev/.ljail/" + name));
  }
  return {};
}

Ok make_dev(int rootfd, const RootfsPlan& plan) {
  auto target = LJ_TRY(ensure_path(rootfd, "dev", false, plan));
  return make_dev_at(target.get(), plan);
}

Ok pivot(int rootfd) {
  if (::fchdir(rootfd) < 0) return Error::sys(errno, "fchdir to the jail root");
  LJ_TRY(sys::pivot_root(".", "."));
  LJ_TRY_CTX(sys::umount2(".", MNT_DETACH), "detaching the host's root");
  if (::chdir("/") < 0) return Error::sys(errno, "chdir /");
  return {};
}

}  // namespace

Result<BuiltRoot> build_root(const RootfsPlan& plan, const JailNamespaces& ns) {
  LJ_TRY_CTX(sys::unshare(CLONE_NEWNS), "new mount namespace");
  LJ_TRY(sys::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr));
  // Kept across the pivot to name the final mount namespace without the jail's /proc.
  auto host_proc = LJ_TRY(sys::open("/proc", O_PATH | O_DIRECTORY));

  auto root = LJ_TRY_CTX(sys::open_tree_clone(AT_FDCWD, plan.path, true), "binding " + plan.path);
  if (plan.idmap) {
    auto mapped = sys::mount_set_idmap(root.get(), ns.userns, true);
    // A root with submounts that cannot be idmapped (path=/ holds proc, sysfs, ...): only its
    // own file system is mapped; the jail's own /proc, /sys, /dev and /run cover the rest.
    if (!mapped && mapped.error().code() == EINVAL)
      mapped = sys::mount_set_idmap(root.get(), ns.userns, false);
    LJ_TRY_CTX(std::move(mapped), "idmapping " + plan.path);
  }
  {
    auto at = LJ_TRY(sys::open(plan.path, O_PATH | O_DIRECTORY));
    LJ_TRY(sys::move_mount_to_fd(root.get(), at.get(), plan.path));
  }
  // The tree's descriptor names the root of the jail from now on: no second lookup of path
  // (which for path=/ would find the host's root beneath the new mount).

  // Inside a jail the kernel allows no writable procfs or sysfs (host/nesting.h).
  const uint64_t rdonly = plan.nested ? MOUNT_ATTR_RDONLY : 0;
  BuiltRoot out;
  // The init's own procfs instance, never attached: what the jail's /proc has on top (the
  // masks below) is no concern of the init, and this builder's mount namespace, where that one
  // is attached, goes when the builder exits. The init gets a descriptor of its root
  // directory; the mount's own descriptor stays here, so that freeing it (which waits for an
  // RCU grace period) happens when the builder exits, not when the init does.
  {
    auto init_proc = LJ_TRY(sys::proc_mount(ns.pidns, kNoSuidDevExec | rdonly));
    out.proc = LJ_TRY(sys::openat(init_proc.get(), ".", O_RDONLY | O_DIRECTORY));
    out.release_last.push_back(std::move(init_proc));
  }
  if (plan.proc) {
    auto proc = LJ_TRY(sys::proc_mount(ns.pidns, kNoSuidDevExec | rdonly));
    LJ_TRY(mount_at(root.get(), "proc", plan, proc.get()));
  }
  if (plan.dev) LJ_TRY_CTX(make_dev(root.get(), plan), "mounting /dev");
  if (plan.run) {
    auto run = LJ_TRY(sys::fs_mount(
        "tmpfs", {{"mode", "755"}, {"uid", id(plan.root_uid)}, {"gid", id(plan.root_gid)}},
        MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV));
    LJ_TRY(mount_at(root.get(), "run", plan, run.get()));
  }
  DirCover covers;
  LJ_TRY(protect_proc(root.get(), plan, covers));
  // The host's tree goes now (an RCU grace period) while the init may still be making the
  // jail's network namespace; but not with mount lines (they may name host paths and stack on
  // anything) and not in a jail (its kernel wants a fully visible sysfs to mount another).
  const bool early_pivot = plan.mounts.empty() && !plan.nested;
  if (early_pivot) LJ_TRY(pivot(root.get()));
  // From here on, mounts that belong to the jail's network namespace (sysfs).
  if (ns.join_netns) {
    LJ_TRY_CTX(ns.join_netns(host_proc.get()), "entering the jail's network namespace");
  }
  if (plan.sys) {
    auto sys_mnt = LJ_TRY(sys::fs_mount("sysfs", {}, kNoSuidDevExec | MOUNT_ATTR_RDONLY));
    LJ_TRY(mount_at(root.get(), "sys", plan, sys_mnt.get()));
  }
  LJ_TRY(protect_sys(root.get(), plan, covers));
  if (plan.visible_proc || plan.visible_sys) {
    LJ_TRY_CTX(make_nesting_mounts(root.get(), plan, ns.pidns), "/dev/.ljail");
  }
  for (const auto& m : plan.mounts) {
    LJ_TRY_CTX(mount_entry(root.get(), m, plan, ns), "mount: " + m.line);
  }
  if (!early_pivot) LJ_TRY(pivot(root.get()));
  if (plan.new_userns) {
    out.release_last.push_back(LJ_TRY(sys::openat(host_proc.get(), "self/ns/mnt", O_RDONLY)));
    LJ_TRY_CTX(sys::setns(ns.userns, CLONE_NEWUSER), "joining the jail's user namespace");
    LJ_TRY_CTX(sys::unshare(CLONE_NEWNS), "locking the jail's mounts");
  }
  if (plan.max_user_namespaces >= 0) {
    // Written from inside the jail's user namespace, through the init's procfs (writable: the
    // limit is set outside a jail only): the value is that namespace's own.
    auto f = LJ_TRY(sys::openat(out.proc.get(), "sys/user/max_user_namespaces", O_WRONLY));
    LJ_TRY_CTX(sys::write_all(f.get(), std::to_string(plan.max_user_namespaces)),
               "setting user.max_user_namespaces");
  }
  out.mntns = LJ_TRY(sys::openat(host_proc.get(), "self/ns/mnt", O_RDONLY));
  return out;
}

}  // namespace ljail::child
