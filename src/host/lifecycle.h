// Creating, holding, stopping and cleaning up jails. Removal works from the state file alone
// and treats "already gone" as success, so a failed create, `jail -r` and the garbage
// collection of a jail whose init died all end in the same destroy_jail().
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "host/builder.h"
#include "host/registry.h"
#include "params/params.h"

namespace ljail::host {

struct Running;

struct CreateRequest {
  params::ParamSet params;  // imported and validated
  // Called once the init has its plan, before its READY is read: what jail(8) would send right
  // after READY anyway (the start's only command, or RELEASE) goes now, so that the init acts
  // on it as soon as its setup is done (host/steps.cc). A setup that fails discards it.
  std::function<Ok(Running&)> after_plan;
};

// A jail just created, still held by its creator (FreeBSD's temporary persist).
struct Running {
  JailState state;
  UniqueFd sock;
  UniqueFd init_pidfd;
  UniqueFd console;  // exec.init: the master of the jail's /dev/console
  // vnet.interface: the jail's network namespace, held while the creator holds the jail, so
  // that its interfaces can still go back to the host once the init has exited on its own.
  UniqueFd netns;
  long commands = 0;      // commands run through the init so far (host/init_run.h)
  bool recorded = false;  // the registry has it as active (record_jail)
  bool released = false;  // RELEASE went with the last command (host/init_run.h)
  // Holds what it built with (its exit frees mounts, which takes a while) until the creator is
  // done with the jail or kLinger has passed (host/builder.cc), never while the jail starts.
  Builder builder;
};

// Returns when the jail is completely set up, empty but for its init, and held by the caller.
Result<Running> create_jail(const Registry& reg, CreateRequest req);
// Records the jail as active in the registry (once; from then on jls lists it and jexec enters
// it). create_jail() leaves that to the caller's next step, so that the write can overlap the
// first command the init runs (host/init_run.h); every other step records it first.
Ok record_jail(const Registry& reg, Running& r);
// Ends the creator's hold (recording the jail first). Returns true if the jail stays (persist or
// processes left); a jail that ends here is cleaned up at once.
Result<bool> release(const Registry& reg, Running& r);
// Sends RELEASE at once (CreateRequest::after_plan, for a start with nothing to run): release()
// then only reads the BYE. Unsent (the init gone already), release() sends it as usual.
void release_early(Running& r);

// A pidfd of the jail's init, checked against pid reuse: `"NAME" not found` when it is gone.
Result<UniqueFd> init_pidfd(const JailState& s);

// Kills every process of the jail, removes its cgroups and its state file.
// `netns_fd`: the creator's hold on the jail's network namespace (Running::netns), through which
// its vnet interfaces go back to the host when the init is gone already.
Ok destroy_jail(const Registry& reg, const JailState& s, int netns_fd = -1);
// jail -r: SIGTERM to every process, up to `stop_timeout` seconds for them to exit, then
// destroy_jail().
Ok remove_jail(const Registry& reg, const JailState& s, int stop_timeout);
// Running jails by increasing jid; dead ones (init gone, or creator gone mid-create) are
// cleaned up on the way (settle_dead). `include_creating` also returns jails still being set
// up.
std::vector<JailState> running_jails(const Registry& reg, bool include_creating = false);
// A jail that a reader holding no lock found dead: read again under the lock, destroyed if it
// is still dead, else returned as it is now (the read was stale: a create finished since).
std::optional<JailState> settle_dead(const Registry& reg, const JailState& read);
// A running jail by jid or name: `"KEY" not found`.
Result<JailState> find_running(const Registry& reg, std::string_view key);

// jail -m on a running jail: host.hostname, host.domainname, persist and the other
// parameters that may change; create-only ones fail with "X cannot be changed after creation".
Result<JailState> modify_jail(const Registry& reg, const JailState& s,
                              const params::ParamSet& changes);

// The fstab lines of `mount` and of the `mount.fstab` files, in order.
Result<std::vector<std::string>> mount_lines(const params::ParamSet& p);
// Checks every mount line before anything runs (FreeBSD mounts before exec.prestart): the
// lines parse, the mount points lie under path, bind sources exist.
Ok check_mounts(const params::ParamSet& p);

// Unsets the audit loginuid of the calling process so jailed processes do not inherit the
// administrator's login session (sshd in a jail closes every connection otherwise).
Ok reset_loginuid();

}  // namespace ljail::host
