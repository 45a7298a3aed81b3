#include "sys/security.h"

#include <linux/capability.h>
#include <linux/keyctl.h>
#include <linux/seccomp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace ljail::sys {

Ok drop_capabilities(uint64_t mask) {
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if ((mask >> cap) & 1) {
      if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
        return Error::sys(errno, "dropping capability " + std::to_string(cap));
      }
    }
  }
  std::unique_ptr<struct _cap_struct, int (*)(void*)> caps(cap_get_proc(), cap_free);
  if (!caps) return Error::sys(errno, "cap_get_proc");
  if (cap_clear_flag(caps.get(), CAP_INHERITABLE) < 0 || cap_set_proc(caps.get()) < 0) {
    return Error::sys(errno, "clearing inheritable capabilities");
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
    return Error::sys(errno, "clearing ambient capabilities");
  }
  return {};
}

Ok seccomp_load(const std::vector<struct sock_filter>& program) {
  if (program.empty()) return {};
  struct sock_fprog prog = {static_cast<unsigned short>(program.size()),
                            const_cast<struct sock_filter*>(program.data())};
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
    return Error::sys(errno, "installing the seccomp filter");
  }
  return {};
}

Ok join_new_session_keyring() {
  // EPERM comes only from a seccomp filter (inside a jail): it refuses keyctl to every process
  // it covers, so no keyring is reachable from there anyway.
  if (::syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, nullptr) < 0 && errno != ENOSYS &&
      errno != EPERM) {
    return Error::sys(errno, "new session keyring");
  }
  return {};
}

}  // namespace ljail::sys
