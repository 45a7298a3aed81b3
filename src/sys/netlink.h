// rtnetlink through libmnl: the kernel's errno and extended-ack message reach the caller.
#pragma once

#include <string>

#include "base/result.h"

namespace ljail::sys {

// Sets IFF_UP on the interface `ifname` of the current network namespace.
Ok link_set_up(const std::string& ifname);

}  // namespace ljail::sys
