#include "sys/dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "sys/file.h"

namespace ljail::sys {

std::vector<pid_t> process_ids() {
  std::vector<pid_t> out;
  auto proc = open("/proc", O_RDONLY | O_DIRECTORY);
  if (!proc) return out;
  auto names = list_dir(proc->get());
  if (!names) return out;
  for (const auto& n : *names) {
    if (auto pid = parse_int(n)) out.push_back(static_cast<pid_t>(*pid));
  }
  return out;
}

Result<ino_t> parent_pidns_inode(pid_t pid) {
  auto ns = LJ_TRY(open("/proc/" + std::to_string(pid) + "/ns/pid", O_RDONLY));
  int parent = ::ioctl(ns.get(), NS_GET_PARENT);
  if (parent < 0) return Error::sys(errno, "NS_GET_PARENT");
  UniqueFd owned(parent);
  auto st = LJ_TRY(fstat(owned.get()));
  return st.st_ino;
}

}  // namespace ljail::sys
