// Interface flags through the classic ioctls: how the jail init brings `lo` up without a
// netlink library (it is linked statically, and libmnl has no static archive).
#pragma once

#include <string>

#include "base/result.h"

namespace ljail::sys {

Ok interface_up(const std::string& name);

}  // namespace ljail::sys
