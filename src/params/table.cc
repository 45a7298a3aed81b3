// The declarative parameter table (design.md 2.2, freebsd-jail.md 2.1-2.8).
#include <algorithm>
#include <array>

#include "params/params.h"

namespace ljail::params {
namespace {

constexpr unsigned kK = kKernel;
constexpr unsigned kKC = kKernel | kCreateOnly;
constexpr unsigned kKR = kKernel | kReadOnly;
constexpr unsigned kKN = kKernel | kNoGrant;
constexpr unsigned kKLC = kKernel | kLinux | kCreateOnly;
constexpr unsigned kP = kPseudo;
constexpr unsigned kPL = kPseudo | kLinux;
constexpr unsigned kPLC = kPseudo | kLinux | kCreateOnly;

// jls `all` order (jls.c sort_param): names without a dot first, then strcmp order.
constexpr bool jls_less(std::string_view a, std::string_view b) {
  bool a_dotted = a.find('.') != std::string_view::npos;
  bool b_dotted = b.find('.') != std::string_view::npos;
  if (a_dotted != b_dotted) return b_dotted;
  return a < b;
}

using T = Type;

// clang-format off
constexpr std::array kRows = {
    Spec{"command",              T::StringList, kP,   "",        ""},
    Spec{"depend",               T::StringList, kP,   "",        ""},
    Spec{"devfs_ruleset",        T::Int,        kK,   "0",       ""},
    Spec{"dying",                T::Bool,       kKR,  "false",   ""},
    Spec{"enforce_statfs",       T::Int,        kK,   "2",       ""},
    Spec{"env",                  T::String,     kK,   "",        ""},
    Spec{"host",                 T::JailSys,    kK,   "new",     ""},
    Spec{"interface",            T::String,     kP,   "",        ""},
    Spec{"ip4",                  T::JailSys,    kKC,  "new",     ""},
    Spec{"ip6",                  T::JailSys,    kKC,  "new",     ""},
    Spec{"ip_hostname",          T::Bool,       kP,   "false",   ""},
    Spec{"jid",                  T::UInt,       kKC,  "",        ""},
    Spec{"linux",                T::JailSys,    kK,   "new",     ""},
    Spec{"meta",                 T::String,     kK,   "",        ""},
    Spec{"mount",                T::StringList, kP,   "",        ""},
    Spec{"name",                 T::String,     kK,   "",        ""},
    Spec{"osreldate",            T::Int,        kKC,  "0",       ""},
    Spec{"osrelease",            T::String,     kKC,  "",        ""},
    Spec{"parent",               T::UInt,       kKR,  "0",       ""},
    Spec{"path",                 T::String,     kKC,  "",        ""},
    Spec{"persist",              T::Bool,       kK,   "false",   ""},
    Spec{"rctl",                 T::StringList, kPL,  "",        ""},
    Spec{"securelevel",          T::Int,        kK,   "-1",      ""},
    Spec{"sysvmsg",              T::JailSys,    kK,   "new",     ""},
    Spec{"sysvsem",              T::JailSys,    kK,   "new",     ""},
    Spec{"sysvshm",              T::JailSys,    kK,   "new",     ""},
    Spec{"userns",               T::JailSys,    kKLC, "new",     ""},
    Spec{"vnet",                 T::JailSys,    kKC,  "inherit", ""},
    // Dotted names.
    Spec{"allow.adjtime",        T::Bool,       kKN,  "false",   ""},
    Spec{"allow.chflags",        T::Bool,       kKN,  "false",   ""},
    Spec{"allow.dying",          T::Bool,       kP,   "false",   ""},
    Spec{"allow.extattr",        T::Bool,       kK,   "false",   ""},
    Spec{"allow.mlock",          T::Bool,       kK,   "false",   ""},
    Spec{"allow.mount",          T::Bool,       kK,   "false",   ""},
    Spec{"allow.mount.devfs",    T::Bool,       kK,   "false",   ""},
    Spec{"allow.mount.fdescfs",  T::Bool,       kK,   "false",   ""},
    Spec{"allow.mount.fusefs",   T::Bool,       kK,   "false",   ""},
    Spec{"allow.mount.linprocfs", T::Bool,      kK,   "false",   ""},
    Spec{"allow.mount.linsysfs", T::Bool,       kK,   "false",   ""},
    Spec{"allow.mount.nullfs",   T::Bool,       kK,   "false",   ""},
    Spec{"allow.mount.procfs",   T::Bool,       kK,   "false",   ""},
    Spec{"allow.mount.tmpfs",    T::Bool,       kK,   "false",   ""},
    Spec{"allow.mount.zfs",      T::Bool,       kKN,  "false",   ""},
    Spec{"allow.nfsd",           T::Bool,       kKN,  "false",   ""},
    Spec{"allow.quotas",         T::Bool,       kKN,  "false",   ""},
    Spec{"allow.raw_sockets",    T::Bool,       kK,   "false",   ""},
    Spec{"allow.read_msgbuf",    T::Bool,       kKN,  "false",   ""},
    Spec{"allow.reserved_ports", T::Bool,       kK,   "true",    ""},
    Spec{"allow.routing",        T::Bool,       kK,   "false",   ""},
    Spec{"allow.set_hostname",   T::Bool,       kK,   "true",    ""},
    Spec{"allow.setaudit",       T::Bool,       kKN,  "false",   ""},
    Spec{"allow.settime",        T::Bool,       kKN,  "false",   ""},
    Spec{"allow.socket_af",      T::Bool,       kK,   "false",   ""},
    Spec{"allow.suser",          T::Bool,       kK,   "true",    ""},
    Spec{"allow.sysvipc",        T::Bool,       kK,   "false",   ""},
    Spec{"allow.unprivileged_proc_debug", T::Bool, kK, "false",  ""},
    Spec{"allow.vmm",            T::Bool,       kKN,  "false",   ""},
    Spec{"children.cur",         T::Int,        kKR,  "0",       ""},
    Spec{"children.max",         T::Int,        kK,   "0",       ""},
    Spec{"cpuset.id",            T::Int,        kKR,  "0",       ""},
    Spec{"exec.clean",           T::Bool,       kP,   "false",   ""},
    Spec{"exec.consolelog",      T::String,     kP,   "",        ""},
    Spec{"exec.created",         T::StringList, kP,   "",        ""},
    Spec{"exec.fib",             T::Int,        kP,   "0",       ""},
    Spec{"exec.init",            T::String,     kPL,  "",        ""},
    Spec{"exec.jail_user",       T::String,     kP,   "",        ""},
    Spec{"exec.poststart",       T::StringList, kP,   "",        ""},
    Spec{"exec.poststop",        T::StringList, kP,   "",        ""},
    Spec{"exec.prepare",         T::StringList, kP,   "",        ""},
    Spec{"exec.prestart",        T::StringList, kP,   "",        ""},
    Spec{"exec.prestop",         T::StringList, kP,   "",        ""},
    Spec{"exec.release",         T::StringList, kP,   "",        ""},
    Spec{"exec.runlevel",        T::String,     kPL,  "2",       ""},
    Spec{"exec.start",           T::StringList, kP,   "",        ""},
    Spec{"exec.stop",            T::StringList, kP,   "",        ""},
    Spec{"exec.system_jail_user", T::Bool,      kP,   "false",   ""},
    Spec{"exec.system_user",     T::String,     kP,   "",        ""},
    Spec{"exec.timeout",         T::Int,        kP,   "0",       ""},
    Spec{"host.domainname",      T::String,     kK,   "",        "host"},
    Spec{"host.hostid",          T::ULong,      kK,   "0",       "host"},
    Spec{"host.hostname",        T::String,     kK,   "",        "host"},
    Spec{"host.hostuuid",        T::String,     kK,   "",        "host"},
    Spec{"ip4.addr",             T::Ip4List,    kK,   "",        "ip4"},
    Spec{"ip4.nat",              T::Bool,       kPLC, "false",   ""},
    Spec{"ip4.saddrsel",         T::Bool,       kK,   "true",    "ip4"},
    Spec{"ip6.addr",             T::Ip6List,    kK,   "",        "ip6"},
    Spec{"ip6.saddrsel",         T::Bool,       kK,   "true",    "ip6"},
    Spec{"linux.osname",         T::String,     kK,   "",        ""},
    Spec{"linux.osrelease",      T::String,     kK,   "",        ""},
    Spec{"linux.oss_version",    T::String,     kK,   "",        ""},
    Spec{"mount.devfs",          T::Bool,       kP,   "true",    ""},
    Spec{"mount.fdescfs",        T::Bool,       kP,   "true",    ""},
    Spec{"mount.fstab",          T::StringList, kP,   "",        ""},
    Spec{"mount.procfs",         T::Bool,       kP,   "true",    ""},
    Spec{"mount.sysfs",          T::Bool,       kPL,  "true",    ""},
    Spec{"mount.tmpfs",          T::Bool,       kPL,  "true",    ""},
    Spec{"stop.signal",          T::String,     kPL,  "",        ""},
    Spec{"stop.timeout",         T::Int,        kP,   "10",      ""},
    Spec{"userns.size",          T::UInt,       kKLC, "65536",   ""},
    Spec{"userns.uid",           T::UInt,       kKLC, "0",       ""},
    Spec{"vnet.interface",       T::StringList, kP,   "",        ""},
    Spec{"zfs.dataset",          T::StringList, kP,   "",        ""},
    Spec{"zfs.mount_snapshot",   T::Int,        kK,   "0",       ""},
};
// clang-format on

constexpr bool sorted_and_unique() {
  for (size_t i = 1; i < kRows.size(); ++i) {
    if (!jls_less(kRows[i - 1].name, kRows[i].name)) return false;
  }
  return true;
}
static_assert(sorted_and_unique(), "the parameter table must be in jls `all` order");

}  // namespace

std::span<const Spec> table() {
  return kRows;
}

const Spec* find(std::string_view name) {
  // jls order puts every name without a dot first: search only the part `name` belongs to, in
  // plain byte order (every registry read and jls column looks names up here).
  static constexpr size_t kUndotted = [] {
    size_t n = 0;
    while (n < kRows.size() && kRows[n].name.find('.') == std::string_view::npos) ++n;
    return n;
  }();
  bool dotted = name.find('.') != std::string_view::npos;
  auto first = kRows.begin() + (dotted ? kUndotted : 0);
  auto last = dotted ? kRows.end() : kRows.begin() + kUndotted;
  auto it = std::lower_bound(first, last, name,
                             [](const Spec& s, std::string_view n) { return s.name < n; });
  if (it == last || it->name != name) return nullptr;
  return &*it;
}

}  // namespace ljail::params
