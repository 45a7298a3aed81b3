#include "sys/ids.h"

#include <grp.h>
#include <unistd.h>

#include <cerrno>

namespace ljail::sys {

Ok set_credentials(uid_t uid, gid_t gid, const std::vector<gid_t>& groups) {
  if (::setgroups(groups.size(), groups.data()) < 0) return Error::sys(errno, "setgroups");
  if (::setresgid(gid, gid, gid) < 0) return Error::sys(errno, "setresgid");
  if (::setresuid(uid, uid, uid) < 0) return Error::sys(errno, "setresuid");
  return {};
}

Ok sethostname(const std::string& name) {
  if (::sethostname(name.data(), name.size()) < 0) return Error::sys(errno, "sethostname");
  return {};
}

Ok setdomainname(const std::string& name) {
  if (::setdomainname(name.data(), name.size()) < 0) return Error::sys(errno, "setdomainname");
  return {};
}

}  // namespace ljail::sys
