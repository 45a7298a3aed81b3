#include "host/steps.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>
#include <utmpx.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/strings.h"
#include "host/attach.h"
#include "host/command.h"
#include "host/init_run.h"
#include "host/lifecycle.h"
#include "host/net.h"
#include "host/passwd.h"
#include "sys/file.h"
#include "sys/proc.h"

extern char** environ;

namespace ljail::host {

namespace {

constexpr const char* kCleanPath = "/bin:/usr/bin";

struct Step {
  const char* name;
  std::function<Ok()> up;
  std::function<void()> down;  // empty: nothing to undo
};

// The label jail(8) puts before a jail's messages: its name when it has one.
std::string label(const Job& job, const JailState* s) {
  if (!job.name.empty()) return job.name + ": ";
  if (s && !s->name.empty()) return s->name + ": ";
  return "";
}

// The host user of host hooks: exec.system_user, else the caller.
std::optional<Account> host_user(const params::ParamSet& p) {
  auto passwd = sys::read_file("/etc/passwd");
  if (!passwd) return std::nullopt;
  std::string name = p.get_string("exec.system_user");
  return name.empty() ? find_account_by_uid(*passwd, ::getuid()) : find_account(*passwd, name);
}

std::vector<std::string> host_environment(const params::ParamSet& p, const JailState* s) {
  std::vector<std::string> env;
  if (p.get_bool("exec.clean")) {
    // FreeBSD's clean environment: TERM, a plain PATH, and the user's HOME, SHELL and USER.
    if (const char* term = std::getenv("TERM")) env.push_back(std::string("TERM=") + term);
    env.push_back(std::string("PATH=") + kCleanPath);
    if (auto a = host_user(p)) {
      env.push_back("HOME=" + a->home);
      env.push_back("SHELL=" + (a->shell.empty() ? std::string("/bin/sh") : a->shell));
      env.push_back("USER=" + a->name);
    }
    return env;
  }
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  int jid = s ? s->jid : static_cast<int>(p.get_uint("jid"));
  env.push_back("JID=" + std::to_string(jid));
  env.push_back("JNAME=" + (s ? s->name : p.get_string("name")));
  env.push_back("JPATH=" + p.get_string("path"));
  return env;
}

Result<Identity> hook_identity(const params::ParamSet& p, const JailState& s) {
  std::string user = p.get_string("exec.jail_user");
  if (user.empty()) {
    if (!p.get_bool("exec.clean")) return Identity{};
    user = "root";  // exec.clean without a user: jail root's own entry (HOME, SHELL)
  }
  bool system = p.get_bool("exec.system_jail_user");
  return jail_identity(s, system ? std::optional(user) : std::nullopt,
                       system ? std::nullopt : std::optional(user), false);
}

class Runner {
 public:
  Runner(const Job& job, const params::ParamSet& p, const Reporter& rep)
      : job_(job), p_(p), rep_(rep) {}

  // Every command of the list parameter `param`, on the host or in the jail `s`. With
  // `then_release`, the last is the last thing jail(8) does in the jail before releasing it.
  Ok hooks(const char* param, const JailState* s, bool in_jail, bool then_release = false) {
    auto list = p_.get_list(param);
    for (size_t i = 0; i < list.size(); ++i) {
      LJ_TRY(
          one(list[i], parse_command(list[i]), s, in_jail, then_release && i + 1 == list.size()));
    }
    return {};
  }

  // While jail(8) holds the jail it made (`r`, or nullptr once released), its init runs the
  // in-jail commands (host/init_run.h).
  void hold(const Registry* reg, Running* r) {
    reg_ = reg;
    held_ = r;
  }

  Ok one(const std::string& text, const CommandLine& cmd, const JailState* s, bool in_jail,
         bool then_release = false) {
    if (cmd.argv.empty()) return {};
    if (rep_.verbose) {
      rep_.out(label(job_, s) + (in_jail ? "run command in jail: " : "run command: ") + text);
    }
    // A host command may look at the jail (jls, jexec): it is recorded first.
    if (!in_jail && held_) LJ_TRY(record_jail(*reg_, *held_));
    int timeout = static_cast<int>(p_.get_int("exec.timeout"));
    Result<int> status =
        in_jail ? in_jail_status(cmd, *s, timeout, then_release)
                : run_host_command(cmd, host_environment(p_, s), p_.get_string("exec.system_user"),
                                   timeout, host_cwd());
    if (!status)
      return Error::with_code(status.error().code(), text + ": " + status.error().message());
    std::string what = describe_status(*status);
    if (!what.empty()) return Error::with_code(ECHILD, text + ": " + what);
    return {};
  }

  // The start's only in-jail command, sent with the plan (CreateRequest::after_plan): one()
  // then waits for its EXIT instead of sending it. Not sent here (too long for one message, or
  // the init already gone: create_jail reads why), it goes the usual way.
  void send_early(Running& r, const CommandLine& cmd, bool then_release) {
    auto in = in_jail_spec(cmd, r.state);
    if (!in) return;
    if (auto tag = send_run(r, in->spec, then_release)) early_tag_ = *tag;
  }

 private:
  // exec.clean runs host hooks in the user's home directory.
  std::string host_cwd() const {
    if (!p_.get_bool("exec.clean")) return "";
    auto a = host_user(p_);
    return a ? a->home : "";
  }

  struct InJail {
    AttachSpec spec;
    UniqueFd log;  // exec.consolelog, spec.output_fd
  };

  Result<InJail> in_jail_spec(const CommandLine& cmd, const JailState& s) const {
    InJail in;
    AttachSpec& spec = in.spec;
    spec.argv = cmd.argv;
    spec.background = cmd.background;
    spec.program = "jail";
    spec.id = LJ_TRY(hook_identity(p_, s));
    bool clean = p_.get_bool("exec.clean");
    spec.env = command_environment(spec.id, clean, kCleanPath);
    if (clean) spec.cwd = spec.id.home;
    if (std::string file = p_.get_string("exec.consolelog"); !file.empty()) {
      in.log = LJ_TRY(sys::open(file, O_WRONLY | O_CREAT | O_APPEND, 0666));
      spec.output_fd = in.log.get();
    }
    return in;
  }

  Result<int> in_jail_status(const CommandLine& cmd, const JailState& s, int timeout,
                             bool then_release) {
    if (early_tag_ != 0) return await_exit(*reg_, *held_, std::exchange(early_tag_, 0), timeout);
    auto in = LJ_TRY(in_jail_spec(cmd, s));
    const AttachSpec& spec = in.spec;
    if (held_ && init_runs_commands(*held_)) {
      auto status = run_through_init(*reg_, *held_, spec, timeout, then_release);
      // Too long for one message to the init: attached instead, as jexec is.
      if (status || status.error().code() != E2BIG) return status;
    }
    if (held_) LJ_TRY(record_jail(*reg_, *held_));
    return run_in_jail(s, spec, timeout);
  }

  const Job& job_;
  const params::ParamSet& p_;
  const Reporter& rep_;
  const Registry* reg_ = nullptr;
  Running* held_ = nullptr;
  long early_tag_ = 0;  // send_early()'s command, sent and not yet awaited
};

// True when the jail's init has exited or is exiting (its PID namespace is being torn down,
// as after reboot(2) inside the jail); then waits, briefly, for it to be gone.
bool jail_ending(const JailState& s) {
  if (!is_alive(s)) return true;
  auto st = sys::process_stat(s.init_pid);
  if (!st) return true;
  constexpr uint64_t kPfExiting = 0x4;
  if (!(st->flags & kPfExiting)) return false;
  if (auto fd = sys::pidfd_open(s.init_pid)) sys::wait_exit(fd->get(), 5000);
  return true;
}

// After a FreeBSD-style boot (exec.start) of a Linux system, a utmp RUN_LVL record as an init
// would leave, so invoke-rc.d starts the services of packages installed later.
bool writes_runlevel(const params::ParamSet& p) {
  return !p.get_string("exec.runlevel").empty() && !p.get_list("exec.start").empty();
}

Ok write_runlevel(const params::ParamSet& p, const JailState& s) {
  std::string level = p.get_string("exec.runlevel");
  if (!writes_runlevel(p)) return {};
  AttachSpec spec;
  spec.program = "jail";
  spec.internal = [c = level[0]]() {
    int fd = ::open(_PATH_UTMPX, O_RDWR | O_CREAT | O_CLOEXEC, 0664);
    if (fd < 0) return errno == ENOENT ? 0 : 1;  // no /var/run: not a system that keeps utmp
    ::close(fd);
    struct utmpx ut = {};
    ut.ut_type = RUN_LVL;
    ut.ut_pid = c + 256 * 'N';
    std::strncpy(ut.ut_user, "runlevel", sizeof(ut.ut_user) - 1);
    std::strncpy(ut.ut_line, "~", sizeof(ut.ut_line) - 1);
    std::strncpy(ut.ut_id, "~~", sizeof(ut.ut_id));
    struct timeval tv;
    ::gettimeofday(&tv, nullptr);
    ut.ut_tv.tv_sec = static_cast<int32_t>(tv.tv_sec);
    ut.ut_tv.tv_usec = static_cast<int32_t>(tv.tv_usec);
    ::setutxent();
    bool ok = ::pututxline(&ut) != nullptr;
    ::endutxent();
    return ok ? 0 : 1;
  };
  int status = LJ_TRY(run_in_jail(s, spec, 10));
  if (describe_status(status) != "")
    return Error::invalid("exec.runlevel: writing the utmp runlevel record failed");
  return {};
}

void write_jid_file(const Reporter& rep, const JailState& s) {
  FILE* f = std::fopen(rep.jid_file.c_str(), "ae");
  if (!f) {
    rep.err(rep.jid_file + ": " + std::strerror(errno));
    return;
  }
  std::string line = "jid=" + std::to_string(s.jid) + "\tname=" + s.name;
  for (const auto& a : s.params.items()) {
    if (a.spec->name == "jid" || a.spec->name == "name" || !a.spec->has(params::kKernel)) continue;
    line += "\t" + std::string(a.spec->name) + "=" + params::export_value(*a.spec, a.value);
  }
  std::fprintf(f, "%s\n", line.c_str());
  std::fclose(f);
}

// What a start sends its init right after READY when nothing comes between on the host: its
// only in-jail command, or (nothing to run) RELEASE. create_jail() then sends it with the plan
// (CreateRequest::after_plan): the init acts on it as soon as its setup is done, without waiting
// for jail(8) to read READY and answer. Not when jail(8) prints anything at creation (the
// command's output would come first), runs a host hook or moves interfaces in between, or the
// jail boots a distribution's init.
enum class Early { None, Command, Release };

Early early_message(const Job& job, const params::ParamSet& p, const Reporter& rep) {
  if (rep.print_jid || rep.verbose || (rep.config && !rep.quiet)) return Early::None;
  if (!p.get_string("exec.init").empty() || writes_runlevel(p)) return Early::None;
  for (const char* step : {"exec.created", "vnet.interface", "exec.start"}) {
    if (!p.get_list(step).empty()) return Early::None;
  }
  if (!job.argv_command.empty()) return Early::Command;
  auto commands = p.get_list("command");
  if (commands.size() == 1 && !parse_command(commands[0]).argv.empty()) return Early::Command;
  if (commands.empty() && p.get_list("exec.poststart").empty()) return Early::Release;
  return Early::None;
}

// Walks `steps` forwards; on a failure walks back through those done. The error is reported.
Ok walk(std::vector<Step>& steps, const std::string& prefix, const Reporter& rep) {
  for (size_t i = 0; i < steps.size(); ++i) {
    auto r = steps[i].up();
    if (r) continue;
    rep.err(prefix + r.error().message());
    for (size_t j = i; j-- > 0;) {
      if (steps[j].down) steps[j].down();
    }
    return r;
  }
  return {};
}

}  // namespace

Result<JailState> create_job(const Registry& reg, Job& job, const Reporter& rep) {
  // A jail made on the command line runs its hooks with the parameters it was given.
  const params::ParamSet& p = job.params;
  Runner run(job, p, rep);
  std::optional<Running> made;
  JailState* s = nullptr;
  std::vector<Step> steps = {
      {"exec.prepare", [&] { return run.hooks("exec.prepare", nullptr, false); }, {}},
      {"mount", [&] { return check_mounts(p); }, {}},
      {"exec.prestart", [&] { return run.hooks("exec.prestart", nullptr, false); }, {}},
      {"create",
       [&]() -> Ok {
         CreateRequest req;
         req.params = job.params;
         switch (early_message(job, p, rep)) {
           case Early::Command:
             req.after_plan = [&](Running& r) -> Ok {
               CommandLine cmd = job.argv_command.empty()
                                     ? parse_command(p.get_list("command").front())
                                     : CommandLine{job.argv_command, false};
               run.send_early(r, cmd, p.get_list("exec.poststart").empty());
               return {};
             };
             break;
           case Early::Release:
             req.after_plan = [](Running& r) -> Ok {
               release_early(r);
               return {};
             };
             break;
           case Early::None:
             break;
         }
         made = LJ_TRY(create_jail(reg, std::move(req)));
         s = &made->state;
         run.hold(&reg, &*made);
         if (rep.print_jid) rep.out(std::to_string(s->jid));
         // A configured jail is named by its block name (a numeric one too), as FreeBSD does.
         if ((rep.config || rep.verbose) && !rep.quiet) {
           rep.out((job.name.empty() ? s->name : job.name) + ": created");
         }
         return {};
       },
       [&] {
         if (made) (void)destroy_jail(reg, made->state, made->netns.get());
       }},
      {"exec.created", [&] { return run.hooks("exec.created", s, false); }, {}},
      {"vnet.interface",
       [&]() -> Ok {
         if (p.get_list("vnet.interface").empty()) return {};
         LJ_TRY(record_jail(reg, *made));
         // Held from now on: the init may exit on its own before the interfaces go back
         // (a failed command, a jail that ends after its start).
         made->netns = LJ_TRY(sys::namespace_of(made->init_pidfd.get(), s->init_pid, "net"));
         return move_vnet_interfaces(reg, made->state, made->netns.get());
       },
       {}},
      {"exec.start", [&] { return run.hooks("exec.start", s, true); }, {}},
      {"runlevel",
       [&]() -> Ok {
         if (writes_runlevel(p)) LJ_TRY(record_jail(reg, *made));
         return write_runlevel(p, *s);
       },
       {}},
      {"command",
       [&]() -> Ok {
         // With no exec.poststart, the command is the last thing done in the jail: its init
         // releases it right after.
         bool last = p.get_list("exec.poststart").empty();
         if (job.argv_command.empty()) return run.hooks("command", s, true, last);
         CommandLine cmd{job.argv_command, false};
         std::string text = join(job.argv_command, " ");
         return run.one(text, cmd, s, true, last);
       },
       {}},
      {"exec.poststart", [&] { return run.hooks("exec.poststart", s, false); }, {}},
      {"release",
       [&]() -> Ok {
         // The temporary persist ends: a jail whose start left nothing running is gone now.
         run.hold(nullptr, nullptr);
         LJ_TRY(release(reg, *made));
         return {};
       },
       {}},
  };
  std::string prefix = label(job, nullptr);
  LJ_TRY(walk(steps, prefix, rep));
  if (!rep.jid_file.empty()) write_jid_file(rep, *s);
  return made->state;
}

Ok remove_job(const Registry& reg, const Job& job, const JailState& s, bool with_hooks,
              const Reporter& rep) {
  const params::ParamSet& p = job.params;
  Runner run(job, p, rep);
  std::string prefix = label(job, &s);
  auto report = [&](Ok r) {
    if (!r) rep.err(prefix + r.error().message());
    return r;
  };
  if (with_hooks) {
    // Before the removal a failure stops everything: the jail keeps running.
    LJ_TRY(report(run.hooks("exec.prestop", &s, false)));
    // An exec.stop that ends the jail itself (Debian's "rc 0" calls halt, and reboot(2) in
    // a PID namespace ends its init) has stopped the jail, not failed to.
    if (Ok stopped = run.hooks("exec.stop", &s, true); !stopped && !jail_ending(s)) {
      return report(std::move(stopped));
    }
  }
  int timeout = static_cast<int>(p.get_int("stop.timeout"));
  LJ_TRY(report(remove_jail(reg, s, timeout)));
  if (rep.verbose || (!rep.quiet && rep.config)) {
    rep.out((job.name.empty() ? s.name : job.name) + ": removed");
  }
  if (!with_hooks) return {};
  Ok first = report(run.hooks("exec.poststop", &s, false));
  Ok release_hooks = report(run.hooks("exec.release", &s, false));
  return first ? release_hooks : first;
}

Ok cleanup_job(const Job& job, const Reporter& rep) {
  Runner run(job, job.params, rep);
  std::string prefix = label(job, nullptr);
  Ok first = run.hooks("exec.poststop", nullptr, false);
  if (!first) rep.err(prefix + first.error().message());
  Ok second = run.hooks("exec.release", nullptr, false);
  if (!second) rep.err(prefix + second.error().message());
  return first ? second : first;
}

}  // namespace ljail::host
