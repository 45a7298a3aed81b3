// create_jail(), wait_command(), release(): the create sequence of design.md 2.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "base/strings.h"
#include "child/init.h"
#include "child/plan_codec.h"
#include "child/protocol.h"
#include "child/rootfs.h"
#include "host/builder.h"
#include "host/cgroup.h"
#include "host/console.h"
#include "host/fstab.h"
#include "host/lifecycle.h"
#include "host/nesting.h"
#include "host/net.h"
#include "host/plan.h"
#include "host/policy_cache.h"
#include "host/userns.h"
#include "sys/dir.h"
#include "sys/file.h"
#include "sys/proc.h"
#include "sys/sched.h"

namespace ljail::host {

namespace {

Ok check_path(const std::string& path) {
  if (path.empty()) return Error::invalid("path: no jail root path defined");
  struct stat st;
  if (::stat(path.c_str(), &st) < 0) return Error::sys(errno, "path " + path);
  if (!S_ISDIR(st.st_mode)) return Error::sys(ENOTDIR, "path " + path);
  return {};
}

std::vector<IdRange> taken_ids(const std::vector<JailState>& running) {
  std::vector<IdRange> out;
  for (const auto& s : running) {
    if (s.userns) out.emplace_back(s.uid_base, s.uid_size);
  }
  for (const char* f : {"/etc/subuid", "/etc/subgid"}) {
    if (auto text = sys::read_file(f)) {
      for (auto r : parse_subid(*text)) out.push_back(r);
    }
  }
  // The host's own users and groups: jail root must never be one of them.
  for (const char* f : {"/etc/passwd", "/etc/group"}) {
    auto text = sys::read_file(f);
    if (!text) continue;
    for (auto r : parse_account_ids(*text)) out.push_back(r);
  }
  return out;
}

// Under the registry lock: checks name and jid, picks the jid and the id range, and records
// the jail as being created (intent before action).
Result<JailState> reserve(const Registry& reg, params::ParamSet& p, const Nesting& nest) {
  auto lock = LJ_TRY(reg.lock());
  auto running = running_jails(reg, true);
  LJ_TRY(below_limit(nest, running.size()));
  std::string name = p.get_string("name");
  for (const auto& s : running) {
    if (!name.empty() && s.name == name) return Error::exists("\"" + name + "\" already exists");
    if (p.has("jid") && static_cast<uint64_t>(s.jid) == p.get_uint("jid")) {
      return Error::exists("\"" + std::to_string(s.jid) + "\" already exists");
    }
  }
  LJ_TRY(check_network(p, running));
  JailState s;
  s.jid = p.has("jid") ? static_cast<int>(p.get_uint("jid")) : LJ_TRY(reg.allocate_jid(running));
  if (s.jid <= 0) return Error::invalid("jid: value out of range: " + std::to_string(s.jid));
  if (name.empty()) {
    name = std::to_string(s.jid);
    for (const auto& r : running) {
      if (r.name == name) return Error::exists("\"" + name + "\" already exists");
    }
  } else if (parse_int(name) && *parse_int(name) != s.jid) {
    return Error::invalid("name \"" + name + "\": a numeric name must be the jail's jid");
  }
  LJ_TRY(p.set_arg("jid=" + std::to_string(s.jid)));
  // Like a FreeBSD jail, a new UTS namespace starts with its parent's hostname; record it.
  if (!p.has("host.hostname") && p.get_jailsys("host") != params::JailSys::Inherit) {
    char host[256] = {};
    if (::gethostname(host, sizeof(host) - 1) == 0)
      LJ_TRY(p.set_arg(std::string("host.hostname=") + host));
  }
  LJ_TRY(p.set_arg("name=" + name));
  s.name = name;
  s.path = p.get_string("path");
  s.userns = p.get_jailsys("userns") == params::JailSys::New;
  if (s.userns && nest.inside_jail) {
    // A jail's jails share its ids (nesting.h).
    s.uid_base = 0;
    s.uid_size = static_cast<uint32_t>(nest.id_count);
    LJ_TRY(p.set_arg("userns.uid=0"));
    LJ_TRY(p.set_arg("userns.size=" + std::to_string(s.uid_size)));
  } else if (s.userns) {
    s.uid_size = static_cast<uint32_t>(p.get_uint("userns.size"));
    s.uid_base = static_cast<uint32_t>(
        LJ_TRY(choose_id_base(p.get_uint("userns.uid"), s.uid_size, taken_ids(running))));
    LJ_TRY(p.set_arg("userns.uid=" + std::to_string(s.uid_base)));
  }
  s.owner_pid = ::getpid();
  s.owner_start = LJ_TRY(sys::process_start_time(s.owner_pid));
  s.cgroups = jail_cgroup_paths(detect_cgroups(), name);
  s.params = p;
  LJ_TRY(reg.save(s));
  return s;
}

// ljail-init, beside the jail(8) that runs (installed mode 0711: jail root may execute it, but
// not read it).
Result<UniqueFd> open_init_binary() {
  auto self = LJ_TRY(sys::read_link_at(AT_FDCWD, "/proc/self/exe"));
  std::string path = self.substr(0, self.rfind('/') + 1) + "ljail-init";
  return LJ_TRY_CTX(sys::open(path, O_PATH), "the jail init " + path);
}

Result<sys::CloneResult> clone_jail_init(uint64_t flags, int cgroup_fd, const Nesting& nest,
                                         const child::InitClone& c, child::InitStack& stack) {
  for (int attempt = 0;; ++attempt) {
    auto r = child::clone_init(flags, cgroup_fd, c, stack);
    // The kernel gives the user namespace of a jail just removed back a moment later.
    if (r || !nest.inside_jail || r.error().code() != ENOSPC || attempt == 100) return r;
    ::usleep(10000);
  }
}

// A message to the init; if it has stopped (it makes its network namespace before GO), why.
Ok tell_init(int sock, const std::string& msg, const Nesting& nest) {
  Ok sent = sys::send_msg(sock, msg);
  if (sent) return {};
  if (auto m = sys::recv_msg(sock); m && !m->eof) {
    auto p = child::decode(m->data);
    if (p && p->kind == child::Msg::Err) return clone_error(nest, child::to_error(*p));
  }
  return sent;
}

// The init's NET: ljail-init runs, and the jail's network namespace, if it has one of its own,
// exists. Or why not.
Ok init_started(int sock, const Nesting& nest) {
  auto m = LJ_TRY(sys::recv_msg(sock));
  auto p = child::decode(m.data);
  if (m.eof || !p) return Error::invalid("the jail init died during setup");
  if (p->kind == child::Msg::Err) return clone_error(nest, child::to_error(*p));
  if (p->kind != child::Msg::Net) return Error::invalid("jail init: protocol error");
  return {};
}

Result<Running> start(const Registry& reg, JailState& s, const Nesting& nest,
                      const std::function<Ok(Running&)>& after_plan) {
  LJ_TRY(create_cgroups(s.cgroups));
  PlanInputs in;
  in.params = &s.params;
  in.uid_base = s.uid_base;
  in.nested = nest.inside_jail;
  in.mount_lines = LJ_TRY(mount_lines(s.params));
  auto plan = LJ_TRY(make_plan(in));

  LJ_TRY(reset_loginuid());
  auto [mine, theirs] = LJ_TRY(sys::socketpair_seqpacket());
  // The init says on it when the builder may enter the jail's network namespace.
  std::pair<UniqueFd, UniqueFd> net_ready;
  if (plan.own_netns) net_ready = LJ_TRY(sys::pipe());
  auto cgroup_fd = LJ_TRY(open_v2_cgroup(s.cgroups));
  auto exe = LJ_TRY(open_init_binary());
  // The init makes its network namespace itself (init.h): that is most of what a clone costs,
  // and done there it overlaps jail(8)'s next steps and the builder.
  // Its clone shares jail(8)'s memory until it executes ljail-init (child/init.h): the stack
  // it runs on is given back once ljail-init has said NET. Undumpable, as jexec is: the clone
  // (whose undumpability is this memory's), and the builder, which joins the jail's user
  // namespace, with it.
  LJ_TRY(sys::prctl(PR_SET_DUMPABLE, 0));
  child::InitStack stack;
  child::InitClone init;
  init.exe = exe.get();
  init.sock = theirs.get();
  init.host_end = mine.get();
  init.net_ready = net_ready.second.get();
  init.new_userns = plan.new_userns;
  init.new_netns = plan.own_netns;
  auto clone = clone_jail_init(plan.clone_flags & ~uint64_t{CLONE_NEWNET}, cgroup_fd.get(), nest,
                               init, stack);
  if (!clone) {
    stack.done();  // no clone runs on it
    Error e = std::move(clone.error());
    e.add_context("creating namespaces");
    return clone_error(nest, std::move(e));
  }
  auto cloned = std::move(*clone);
  theirs.reset();
  net_ready.second.reset();  // the init's alone: its exit is EOF for the builder
  Running r;
  r.init_pidfd = std::move(cloned.pidfd);
  r.sock = std::move(mine);
  // Recorded with the jail's state once READY: until jail(8) says anything after that, the
  // init dies with jail(8) (PDEATHSIG), and the registry removes a jail whose creator died
  // while it was being created (its cgroups, network and state are recorded already).
  s.init_pid = cloned.pid;
  s.init_ino = pidfs_ino(r.init_pidfd.get());

  if (plan.new_userns) LJ_TRY(write_id_maps(cloned.pid, plan.uid_base, plan.uid_size));
  // The init becomes jail root and executes ljail-init, and the builder mounts: the longest way
  // to the plan. Nothing may take the builder's CPU meanwhile. A task woken here goes back to
  // the CPU it last ran on, and a fork lands on its parent's while the other is busy with the
  // init's network namespace: so jail(8) forks the builder, then leaves that CPU to it
  // (OffThisCpu) and sleeps until NET, which ljail-init sends once it has executed, when the
  // init's CPU turns idle until the plan. There jail(8) does its own part: the policy for the
  // plan, the device rules and v1 cgroups. (Woken on the builder's CPU, it took that from the
  // builder for 0.16 ms in 7 starts of 10.) Without a network namespace, the policy comes
  // before the fork and the rest after the plan. Nothing of the jail runs before a RUN, which
  // follows them all.
  LJ_TRY(tell_init(r.sock.get(), child::encode(child::Msg::Go), nest));
  auto read_policy = [&]() -> Ok {
    Policy policy = LJ_TRY(cached_policy(reg, s.params));
    plan.init.drop_caps = policy.drop_caps;
    plan.init.seccomp = std::move(policy.bpf);
    return {};
  };
  auto confine = [&]() -> Ok {
    LJ_TRY(restrict_devices(s.cgroups, jail_devices(fuse_allowed(s.params))));
    return add_to_v1_cgroups(s.cgroups, cloned.pid);
  };
  // The init's start time, its identity where pidfds have no inode (read off the builder's
  // way: /proc/PID/stat).
  auto identify_init = [&]() -> Ok {
    s.init_start = LJ_TRY(sys::process_start_time(cloned.pid));
    return {};
  };
  if (!plan.own_netns) LJ_TRY(read_policy());
  auto builder =
      LJ_TRY_CTX(Builder::start(plan, cloned.pid, r.init_pidfd.get(), net_ready.first.get()),
                 "building the jail root");
  net_ready.first.reset();
  if (plan.own_netns) {
    sys::OffThisCpu off_builders_cpu;
    LJ_TRY(init_started(r.sock.get(), nest));
    stack.done();
    LJ_TRY(identify_init());
    auto netns = LJ_TRY(sys::namespace_of(r.init_pidfd.get(), cloned.pid, "net"));
    LJ_TRY(read_policy());
    LJ_TRY(confine());
    // The network's set-up (netlink, possibly long) may run anywhere: the builder is about done.
    off_builders_cpu.restore();
    LJ_TRY_CTX(setup_network(reg, s, netns.get()), "setting up the network");
  }
  auto fds = LJ_TRY_CTX(builder.finish(), "building the jail root");
  if (!plan.own_netns) {
    LJ_TRY(init_started(r.sock.get(), nest));
    stack.done();
  }
  LJ_TRY(sys::send_msg(r.sock.get(), child::encode_plan(plan.init), {fds[0].get(), fds[1].get()}));
  fds.clear();
  if (!plan.own_netns) {
    LJ_TRY(confine());
    LJ_TRY(identify_init());
  }
  // A builder in the jail's PID namespace (older kernels) is gone before anything runs there:
  // the jail's first command must not see it. One outside it is let go once the jail stands.
  if (!builder.outside_jail()) builder.reap();
  r.state = s;  // complete now: what after_plan and the caller see
  if (after_plan) LJ_TRY(after_plan(r));
  auto reply = LJ_TRY(sys::recv_msg(r.sock.get()));
  auto p = child::decode(reply.data);
  if (reply.eof || !p) return Error::invalid("the jail init died during setup");
  if (p->kind == child::Msg::Err) return child::to_error(*p);
  if (p->kind != child::Msg::Ready) return Error::invalid("jail init: protocol error");
  if (!reply.fds.empty()) r.console = std::move(reply.fds.front());
  r.builder = std::move(builder);
  // Without a cgroup (a jail's jail) nothing would find the jail's processes if jail(8) died
  // before recording the init: recorded at once.
  if (nest.inside_jail || s.cgroups.empty()) LJ_TRY(record_jail(reg, r));
  return r;
}

}  // namespace

Result<std::vector<std::string>> mount_lines(const params::ParamSet& p) {
  std::vector<std::string> lines = p.get_list("mount");
  for (const auto& file : p.get_list("mount.fstab")) {
    auto text = LJ_TRY_CTX(sys::read_file(file), "mount.fstab");
    for (auto& l : fstab_lines(text)) lines.push_back(std::move(l));
  }
  return lines;
}

Ok check_mounts(const params::ParamSet& p) {
  for (const auto& line : LJ_TRY(mount_lines(p))) {
    auto m = LJ_TRY(parse_fstab_line(line, p.get_string("path")));
    if (m.kind == child::MountEntry::Kind::Bind) {
      LJ_TRY_CTX(sys::stat(m.source), "mount: " + m.line);
    }
  }
  return {};
}

Ok reset_loginuid() {
  auto cur = sys::read_file("/proc/self/loginuid");
  if (!cur || trim(*cur) == "4294967295") return {};
  LJ_TRY_CTX(sys::write_file("/proc/self/loginuid", "4294967295"), "resetting the audit loginuid");
  return {};
}

Result<Running> create_jail(const Registry& reg, CreateRequest req) {
  auto nest = LJ_TRY(detect_nesting());
  LJ_TRY(may_have_children(nest));
  LJ_TRY(check_path(req.params.get_string("path")));
  if (req.params.get_bool("ip_hostname")) LJ_TRY(add_hostname_addresses(req.params));
  JailState s = LJ_TRY(reserve(reg, req.params, nest));
  auto r = start(reg, s, nest, req.after_plan);
  if (!r) {
    Error e = std::move(r.error());
    if (auto undo = destroy_jail(reg, s); !undo) e.add_note(undo.error());
    return e;
  }
  return r;
}

Ok record_jail(const Registry& reg, Running& r) {
  if (r.recorded) return {};
  JailState s = r.state;
  s.status = JailState::Status::Active;
  LJ_TRY(reg.save(s));
  r.state = std::move(s);
  r.recorded = true;
  return {};
}

namespace {

// RELEASE, once: with the last command (init_run.h) or sent early, it is not sent again.
Ok send_release(Running& r) {
  if (r.released) return {};
  LJ_TRY(sys::send_msg(r.sock.get(), child::encode(child::Msg::Release)));
  r.released = true;
  return {};
}

}  // namespace

void release_early(Running& r) {
  (void)send_release(r);
}

Result<bool> release(const Registry& reg, Running& r) {
  LJ_TRY(record_jail(reg, r));
  LJ_TRY(send_release(r));
  // The exits of commands that timed out (host/init_run.h) may come first.
  auto next = [&] {
    while (true) {
      auto m = sys::recv_msg(r.sock.get());
      if (!m || m->eof) return m;
      auto p = child::decode(m->data);
      if (!p || p->kind != child::Msg::Exit) return m;
    }
  };
  auto m = next();
  r.sock.reset();
  if (std::string init = r.state.params.get_string("exec.init"); !init.empty()) {
    // The init execs the distribution's init: EOF (the channel closed on exec) is success.
    if (!m) return m.error();
    if (!m->eof) {
      auto p = child::decode(m->data);
      if (p && p->kind == child::Msg::Err) return child::to_error(*p);
      return Error::invalid("jail init: protocol error");
    }
    // EOF is also what an init that died says: it has not exec'd then.
    if (::waitpid(r.state.init_pid, nullptr, WNOHANG) == r.state.init_pid) {
      return Error::invalid("exec.init: the jail's init died before executing " + init);
    }
    if (r.console.valid()) {
      LJ_TRY(start_console_relay(std::move(r.console), r.state,
                                 r.state.params.get_string("exec.consolelog")));
    }
    return true;
  }
  bool stays = false;
  if (m && !m->eof) {
    auto p = child::decode(m->data);
    stays = p && p->kind == child::Msg::Bye && p->value == 1;
  }
  if (stays) return true;
  // The init exits on its own: destroy_jail() reaps it and cleans up what it leaves on the
  // host.
  LJ_TRY(destroy_jail(reg, r.state, r.netns.get()));
  return false;
}

}  // namespace ljail::host
