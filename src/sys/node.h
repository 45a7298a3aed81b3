// mknodat(2): device nodes the builder makes in the jail's /dev.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/result.h"

namespace ljail::sys {

// A character device node `name` beneath `dirfd` (mode as given, the umask aside).
Ok mknod_char(int dirfd, const std::string& name, mode_t mode, unsigned major, unsigned minor);

}  // namespace ljail::sys
