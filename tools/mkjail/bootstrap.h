// Running debootstrap with condensed progress on standard error.
#pragma once

#include <string>

#include "base/result.h"
#include "options.h"

namespace mkjail {

ljail::Ok debootstrap(const Options& o, const std::string& program);

}  // namespace mkjail
