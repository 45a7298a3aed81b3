#include "host/policy.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sys/file.h"

namespace ljail::host {

namespace {

struct CtxCloser {
  void operator()(scmp_filter_ctx c) const { seccomp_release(c); }
};
using Ctx = std::unique_ptr<void, CtxCloser>;

constexpr uint64_t bit(int cap) {
  return uint64_t{1} << cap;
}

uint64_t dropped_caps(const params::ParamSet& p) {
  uint64_t drop = 0;
  if (p.get_jailsys("userns") == params::JailSys::Inherit) {
    // Trusted root only: Docker's default set, without CAP_SYS_ADMIN.
    uint64_t keep = bit(CAP_CHOWN) | bit(CAP_DAC_OVERRIDE) | bit(CAP_FSETID) | bit(CAP_FOWNER) |
                    bit(CAP_MKNOD) | bit(CAP_NET_RAW) | bit(CAP_SETGID) | bit(CAP_SETUID) |
                    bit(CAP_SETFCAP) | bit(CAP_SETPCAP) | bit(CAP_NET_BIND_SERVICE) |
                    bit(CAP_SYS_CHROOT) | bit(CAP_KILL) | bit(CAP_AUDIT_WRITE);
    drop = ~keep & ((uint64_t{1} << (CAP_LAST_CAP + 1)) - 1);
  } else {
    // Jail root keeps its user namespace's capabilities, less what no jail needs.
    drop = bit(CAP_SYS_MODULE) | bit(CAP_SYS_RAWIO) | bit(CAP_SYS_TIME) | bit(CAP_SYSLOG) |
           bit(CAP_MAC_ADMIN) | bit(CAP_MAC_OVERRIDE) | bit(CAP_AUDIT_CONTROL) |
           bit(CAP_WAKE_ALARM) | bit(CAP_BLOCK_SUSPEND) | bit(CAP_BPF) | bit(CAP_PERFMON) |
           bit(CAP_CHECKPOINT_RESTORE);
  }
  if (!p.get_bool("allow.reserved_ports")) drop |= bit(CAP_NET_BIND_SERVICE);
  if (!p.get_bool("allow.mlock")) drop |= bit(CAP_IPC_LOCK);
  return drop;
}

#define LJ_RULE(ctx, action, name, ...)                                              \
  do {                                                                               \
    int nr_ = seccomp_syscall_resolve_name(name);                                    \
    if (nr_ != __NR_SCMP_ERROR) {                                                    \
      int rc_ = seccomp_rule_add(ctx, action, nr_, __VA_ARGS__);                     \
      if (rc_ < 0) return Error::sys(-rc_, std::string("seccomp rule for ") + name); \
    }                                                                                \
  } while (0)

// open_tree_attr(2) (Linux 6.15) is newer than Debian 12's libseccomp, which cannot name it;
// its number is the same on every architecture that has the unified numbers.
constexpr int kOpenTreeAttr = 467;

// allow.mount and allow.mount.<fs> (jail.8): the filter sees the flags of a mount call, never
// its file system type string. So: without allow.mount no mount call at all. With it, the calls
// on existing mounts (umount, remount, move, propagation, mount_setattr, pivot_root); bind
// mounts (FreeBSD's nullfs) only with allow.mount.nullfs; new file system instances (mount(2)
// without those flags, fsopen) only with allow.mount.tmpfs, .fusefs, .procfs or .linsysfs, and
// then of any type the jail's user namespace may mount (proc and sysfs only read-only, and only
// with .procfs / .linsysfs, which put read-only instances the kernel wants fully visible in
// /dev/.ljail; fuse needs /dev/fuse, which only allow.mount.fusefs adds).
Ok add_mount_rules(scmp_filter_ctx ctx, const params::ParamSet& p) {
  const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  if (!p.get_bool("allow.mount")) {
    for (const char* name : {"mount", "umount", "umount2", "fsopen", "fsconfig", "fsmount",
                             "fspick", "move_mount", "open_tree", "mount_setattr", "pivot_root"}) {
      LJ_RULE(ctx, eperm, name, 0);
    }
    if (int rc = seccomp_rule_add(ctx, eperm, kOpenTreeAttr, 0); rc < 0) {
      return Error::sys(-rc, "seccomp rule for open_tree_attr");
    }
    return {};
  }
  if (!p.get_bool("allow.mount.nullfs")) {
    // mount(2) with MS_BIND but not MS_REMOUNT (which changes a bind mount's flags).
    LJ_RULE(ctx, eperm, "mount", 1, SCMP_A3(SCMP_CMP_MASKED_EQ, MS_BIND | MS_REMOUNT, MS_BIND));
    LJ_RULE(ctx, eperm, "open_tree", 1,
            SCMP_A2(SCMP_CMP_MASKED_EQ, OPEN_TREE_CLONE, OPEN_TREE_CLONE));
    if (int rc = seccomp_rule_add(ctx, eperm, kOpenTreeAttr, 1,
                                  SCMP_A2(SCMP_CMP_MASKED_EQ, OPEN_TREE_CLONE, OPEN_TREE_CLONE));
        rc < 0) {
      return Error::sys(-rc, "seccomp rule for open_tree_attr");
    }
  }
  bool new_fs = false;
  for (const char* fs : {"tmpfs", "fusefs", "procfs", "linprocfs", "linsysfs"}) {
    new_fs = new_fs || p.get_bool(std::string("allow.mount.") + fs);
  }
  if (!new_fs) {
    // mount(2) makes a new file system when none of these flags is set (the kernel's
    // path_mount order).
    const uint64_t existing =
        MS_REMOUNT | MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;
    LJ_RULE(ctx, eperm, "mount", 1, SCMP_A3(SCMP_CMP_MASKED_EQ, existing, 0));
    // The old magic number in the high 16 bits, which the kernel strips first (its bits look
    // like propagation flags to the rule above).
    LJ_RULE(ctx, eperm, "mount", 1,
            SCMP_A3(SCMP_CMP_MASKED_EQ, MS_MGC_MSK | MS_REMOUNT | MS_BIND | MS_MOVE, MS_MGC_VAL));
    LJ_RULE(ctx, eperm, "fsopen", 0);
  }
  return {};
}

Ok add_rules(scmp_filter_ctx ctx, const params::ParamSet& p) {
  const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  // Never inside a jail (reference security.md 1.5).
  for (const char* name : {"keyctl",
                           "add_key",
                           "request_key",
                           "bpf",
                           "perf_event_open",
                           "userfaultfd",
                           "init_module",
                           "finit_module",
                           "delete_module",
                           "kexec_load",
                           "kexec_file_load",
                           "open_by_handle_at",
                           "name_to_handle_at",
                           "acct",
                           "swapon",
                           "swapoff",
                           "lookup_dcookie",
                           "quotactl",
                           "quotactl_fd",
                           "syslog",
                           "settimeofday",
                           "clock_settime",
                           "clock_settime64",
                           "adjtimex",
                           "clock_adjtime",
                           "clock_adjtime64",
                           "stime",
                           "iopl",
                           "ioperm",
                           "vhangup",
                           "nfsservctl",
                           "uselib"}) {
    LJ_RULE(ctx, eperm, name, 0);
  }
  // Keystrokes into someone else's terminal.
  for (unsigned long req :
       {static_cast<unsigned long>(TIOCSTI), static_cast<unsigned long>(TIOCLINUX)}) {
    LJ_RULE(ctx, eperm, "ioctl", 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, req));
  }
  // Raw and packet sockets unless allow.raw_sockets (CAP_NET_RAW stays: Debian's ping has it as
  // a file capability and must stay executable; it then uses ICMP datagram sockets).
  if (!p.get_bool("allow.raw_sockets")) {
    for (int family : {AF_INET, AF_INET6}) {
      LJ_RULE(ctx, eperm, "socket", 2, SCMP_A0(SCMP_CMP_EQ, static_cast<uint64_t>(family)),
              SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_RAW));
    }
    LJ_RULE(ctx, eperm, "socket", 1, SCMP_A0(SCMP_CMP_EQ, AF_PACKET));
  }
  // Socket families: UNIX, INET, INET6 and routing netlink unless allow.socket_af; AF_ALG and
  // AF_VSOCK never.
  const uint32_t noaf = SCMP_ACT_ERRNO(EAFNOSUPPORT);
  LJ_RULE(ctx, noaf, "socket", 1, SCMP_A0(SCMP_CMP_EQ, AF_ALG));
  LJ_RULE(ctx, noaf, "socket", 1, SCMP_A0(SCMP_CMP_EQ, AF_VSOCK));
  if (!p.get_bool("allow.socket_af")) {
    for (int family = 0; family < AF_MAX; ++family) {
      // AF_PACKET belongs to allow.raw_sockets.
      if (family == AF_UNIX || family == AF_INET || family == AF_INET6 || family == AF_NETLINK ||
          family == AF_ALG || family == AF_VSOCK || family == AF_PACKET) {
        continue;
      }
      LJ_RULE(ctx, noaf, "socket", 1, SCMP_A0(SCMP_CMP_EQ, static_cast<uint64_t>(family)));
    }
    // Netlink: routing only (the kernel refuses the others to an unprivileged jail anyway).
    const uint32_t noproto = SCMP_ACT_ERRNO(EPROTONOSUPPORT);
    LJ_RULE(ctx, noproto, "socket", 2, SCMP_A0(SCMP_CMP_EQ, AF_NETLINK),
            SCMP_A2(SCMP_CMP_NE, 0 /* NETLINK_ROUTE */));
  }
  // sysvmsg/sysvsem/sysvshm=disable: the calls fail.
  const std::pair<const char*, std::vector<const char*>> ipc[] = {
      {"sysvmsg", {"msgget", "msgsnd", "msgrcv", "msgctl"}},
      {"sysvsem", {"semget", "semop", "semtimedop", "semctl"}},
      {"sysvshm", {"shmget", "shmat", "shmdt", "shmctl"}}};
  for (const auto& [param, calls] : ipc) {
    if (p.get_jailsys(param) != params::JailSys::Disable) continue;
    for (const char* name : calls) LJ_RULE(ctx, eperm, name, 0);
  }
  if (!p.get_bool("allow.set_hostname")) {
    LJ_RULE(ctx, eperm, "sethostname", 0);
    LJ_RULE(ctx, eperm, "setdomainname", 0);
  }
  if (!p.get_bool("allow.mlock")) {
    for (const char* name : {"mlock", "mlock2", "mlockall"}) LJ_RULE(ctx, eperm, name, 0);
  }
  // A jail with children builds their roots: it mounts (in mount namespaces of its own).
  if (p.get_int("children.max") <= 0) LJ_TRY(add_mount_rules(ctx, p));
  // New namespaces only for jails that may have children. clone3's flags sit in memory the
  // filter cannot read: ENOSYS makes libc fall back to clone, whose flags it can.
  if (p.get_int("children.max") <= 0) {
    const uint64_t ns = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
                        CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWTIME;
    LJ_RULE(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0);
    LJ_RULE(ctx, eperm, "unshare", 0);
    LJ_RULE(ctx, eperm, "setns", 0);
    // x86-64's clone has the flags in its first argument.
    for (uint64_t flag = 1; flag; flag <<= 1) {
      if (ns & flag) LJ_RULE(ctx, eperm, "clone", 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
    }
  }
  return {};
}

}  // namespace

std::string seccomp_library_version() {
  const struct scmp_version* v = seccomp_version();
  if (!v) return "libseccomp ?";
  return "libseccomp " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->micro);
}

bool is_policy_param(std::string_view name) {
  return name.starts_with("allow.") || name == "userns" || name == "sysvmsg" || name == "sysvsem" ||
         name == "sysvshm" || name == "children.max";
}

std::string policy_fields(const params::ParamSet& p) {
  std::string key;
  auto field = [&key](std::string_view v) {
    key += std::to_string(v.size());
    key += ':';
    key += v;
  };
  for (const auto& spec : params::table()) {
    if (!is_policy_param(spec.name)) continue;
    field(spec.name);
    params::Value v = params::effective(p, spec);
    if (auto* list = std::get_if<std::vector<std::string>>(&v)) {
      key += 'L' + std::to_string(list->size());
      for (const auto& e : *list) field(e);
    } else {
      field(params::export_value(spec, v));
    }
  }
  return key;
}

params::ParamSet policy_params(const params::ParamSet& p) {
  params::ParamSet out;
  for (const auto& a : p.items()) {
    if (is_policy_param(a.spec->name)) out.set(a.spec, a.value);
  }
  return out;
}

Result<Policy> make_policy(const params::ParamSet& all) {
  const params::ParamSet p = policy_params(all);
  Policy out;
  out.drop_caps = dropped_caps(p);
  Ctx ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) return Error::invalid("seccomp_init failed");
  // Other ABIs (i386, x32) could reach the kernel around the rules: they get ENOSYS.
  seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(ENOSYS));
  // A binary tree of syscall numbers, not a chain: loading the filter, the kernel runs it for
  // every syscall number to find the ones always allowed, so its cost (and that of each
  // syscall it does not cache) is the path length: 86 -> 55 us for the default policy here.
  seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2);
  LJ_TRY(add_rules(ctx.get(), p));
  // libseccomp writes the program to a descriptor: a memfd, read back.
  auto mem = LJ_TRY(sys::memfd("ljail-seccomp"));
  if (int rc = seccomp_export_bpf(ctx.get(), mem.get()); rc < 0) {
    return Error::sys(-rc, "seccomp_export_bpf");
  }
  if (::lseek(mem.get(), 0, SEEK_SET) < 0) return Error::sys(errno, "lseek");
  std::string bytes = LJ_TRY(sys::read_all(mem.get()));
  out.bpf.resize(bytes.size() / sizeof(struct sock_filter));
  std::memcpy(out.bpf.data(), bytes.data(), out.bpf.size() * sizeof(struct sock_filter));
  return out;
}

}  // namespace ljail::host
