// mknodat(2): device nodes the builder makes in the jail's /dev; and the creation mask and
// file-system ids it makes them with.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/result.h"

namespace ljail::sys {

// A character device node `name` beneath `dirfd`, `mode` less the umask (the builder has none).
Ok mknod_char(int dirfd, const std::string& name, mode_t mode, unsigned major, unsigned minor);

// No creation mask: what the process creates has exactly the modes it names.
void clear_umask();

// While it lives, files, directories and links the process creates belong to `uid`/`gid`
// (setfsuid/setfsgid: no chown after each; CAP_MKNOD and the other file capabilities are off
// meanwhile), then to root again.
class CreateAs {
 public:
  CreateAs(uid_t uid, gid_t gid);
  ~CreateAs();
  CreateAs(const CreateAs&) = delete;
  CreateAs& operator=(const CreateAs&) = delete;
};

}  // namespace ljail::sys
