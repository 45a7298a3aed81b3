// fstab(5) lines of the `mount` and `mount.fstab` parameters, mapped from FreeBSD's types
// (nullfs = bind mount, procfs/linprocfs = proc, linsysfs = sysfs, tmpfs, devfs) to mounts the
// builder makes inside the jail's mount namespace. Pure: unit tested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "child/plan.h"

namespace ljail::host {

// One line "device mountpoint type options [dump [pass]]". The mount point is a host path
// under `jail_path` (FreeBSD style, e.g. /jails/www/usr/ports) or a path relative to it.
Result<child::MountEntry> parse_fstab_line(std::string_view line, const std::string& jail_path);
// The lines of an fstab file, without comments and blank lines.
std::vector<std::string> fstab_lines(std::string_view text);

}  // namespace ljail::host
