// Credentials and identity inside namespaces.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"

namespace ljail::sys {

// setgroups, setresgid, setresuid in that order (the order that keeps the right to change).
Ok set_credentials(uid_t uid, gid_t gid, const std::vector<gid_t>& groups);
Ok sethostname(const std::string& name);
Ok setdomainname(const std::string& name);

}  // namespace ljail::sys
