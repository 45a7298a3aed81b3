// Jails inside jails (children.max, design.md 2.2). A jail(8) that runs inside a jail makes its
// jails with the ids its own jail has (an identity map: user ids are not per jail in FreeBSD
// either), without cgroups of its own (its parent's limits cover them) and without idmapped
// mounts (only host root may idmap). The limit is the kernel's: the host sets the jail's
// user.max_user_namespaces to children.max (each jail has one user namespace), and the jail
// cannot raise it (its /proc/sys is read-only and every procfs it can mount is read-only).
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace ljail::host {

struct Nesting {
  bool inside_jail = false;   // our user namespace is not the host's
  uint64_t id_count = 0;      // ids mapped in our user namespace (from 0)
  int64_t max_children = -1;  // user.max_user_namespaces of our user namespace; -1 unknown
};

// Parses /proc/self/uid_map: the initial user namespace maps "0 0 4294967295".
Nesting parse_nesting(const std::string& uid_map, const std::string& max_user_namespaces);
Result<Nesting> detect_nesting();

// Before anything is examined (FreeBSD: children.max = 0 fails with EPERM at once).
Ok may_have_children(const Nesting& n);
// With `running` jails already made here (descendants included).
Ok below_limit(const Nesting& n, size_t running);
// The failure of the clone that makes a jail's namespaces, in FreeBSD's words when it is the
// limit.
Error clone_error(const Nesting& n, Error e);

// Where a jail with children.max > 0 finds procfs and sysfs instances with nothing mounted
// over them, read-only: the kernel lets a user namespace mount a new procfs or sysfs only
// while one is fully visible (LXC's nesting does the same under /dev/.lxc).
inline constexpr const char* kNestingDir = "dev/.ljail";

}  // namespace ljail::host
