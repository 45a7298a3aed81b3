// Interface flags through the classic ioctls: how jail(8) brings a jail's `lo` up with one
// socket made in the jail's network namespace and no netlink round trip.
#pragma once

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace ljail::sys {

// An AF_INET socket: it stays of the network namespace it was made in.
Result<UniqueFd> inet_socket();
// Brings interface `name` of the network namespace of `sock` up.
Ok interface_up(int sock, const std::string& name);

}  // namespace ljail::sys
