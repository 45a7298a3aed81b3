// modify_jail(): jail -m on a running jail.
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include "host/lifecycle.h"
#include "host/nesting.h"
#include "sys/file.h"
#include "sys/ids.h"
#include "sys/proc.h"

namespace ljail::host {

namespace {

// Runs `fn` in a child that joined the init's namespaces `nstypes`.
template <class F>
Ok in_namespaces(const JailState& s, int nstypes, F fn) {
  auto pidfd = LJ_TRY(init_pidfd(s));
  pid_t pid = LJ_TRY(sys::fork());
  if (pid == 0) {
    if (!sys::setns(pidfd.get(), nstypes) || !fn()) ::_exit(1);
    ::_exit(0);
  }
  int status = LJ_TRY(sys::waitpid(pid));
  if (sys::exit_code(status) != 0) return Error::invalid("changing the running jail failed");
  return {};
}

}  // namespace

Result<JailState> modify_jail(const Registry& reg, const JailState& s,
                              const params::ParamSet& changes) {
  for (const auto& a : changes.items()) {
    if (a.spec->has(params::kCreateOnly) && a.spec->name != "jid") {
      return Error::invalid(std::string(a.spec->name) + " cannot be changed after creation");
    }
  }
  JailState next = s;
  for (const auto& a : changes.items()) next.params.set(a.spec, a.value);
  LJ_TRY(params::validate(next.params));
  if (changes.has("name") && changes.get_string("name") != s.name) {
    return Error::invalid("name cannot be changed after creation");
  }
  if (changes.has("children.max")) {
    int64_t before = s.params.get_int("children.max");
    int64_t after = next.params.get_int("children.max");
    // A jail made without children has neither the filter nor the mounts that nesting needs.
    if (before == 0 && after > 0) {
      return Error::invalid("children.max cannot be raised from 0 after creation");
    }
    if (!s.userns) return Error::invalid("children.max needs userns=new");
  }
  // Every check above, the changes to the running jail below.
  if (changes.has("host.hostname") || changes.has("host.domainname")) {
    if (s.params.get_jailsys("host") == params::JailSys::Inherit) {
      return Error::invalid("host.hostname cannot be set with host=inherit");
    }
    std::string host = next.params.get_string("host.hostname");
    std::string domain = next.params.get_string("host.domainname");
    LJ_TRY_CTX(in_namespaces(s, CLONE_NEWUTS,
                             [&] {
                               return sys::sethostname(host).has_value() &&
                                      sys::setdomainname(domain).has_value();
                             }),
               "setting host.hostname");
  }
  // Inside a jail only the record changes: its jails' procfs is read-only (host/nesting.h), and
  // the limits above them stay.
  if (changes.has("children.max") && !LJ_TRY(detect_nesting()).inside_jail) {
    int64_t after = next.params.get_int("children.max");
    // The kernel's limit (host/nesting.h), written from within the jail's user namespace.
    LJ_TRY_CTX(in_namespaces(s, CLONE_NEWUSER,
                             [&] {
                               return sys::write_file("/proc/sys/user/max_user_namespaces",
                                                      std::to_string(after))
                                   .has_value();
                             }),
               "setting children.max");
  }
  if (changes.has("persist")) {
    auto pidfd = LJ_TRY(init_pidfd(s));
    LJ_TRY(
        sys::pidfd_send_signal(pidfd.get(), next.params.get_bool("persist") ? SIGUSR1 : SIGUSR2));
  }
  LJ_TRY(reg.save(next));
  return next;
}

}  // namespace ljail::host
