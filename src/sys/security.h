// Capabilities, seccomp and keyrings of the calling process.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <vector>

#include "base/result.h"

namespace ljail::sys {

// Drops every capability whose bit is set in `mask` from the bounding set, and clears the
// inheritable and ambient sets (libcap).
Ok drop_capabilities(uint64_t mask);
// Installs a seccomp filter program (needs CAP_SYS_ADMIN in the current user namespace or
// no_new_privs).
Ok seccomp_load(const std::vector<struct sock_filter>& program);
// A new, empty session keyring: nothing of the host's keys is reachable.
Ok join_new_session_keyring();

}  // namespace ljail::sys
