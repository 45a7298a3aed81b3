#include "lib/jail_run.h"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "base/strings.h"
#include "config/config.h"
#include "config/depend.h"
#include "host/delegate.h"
#include "host/lifecycle.h"
#include "host/registry.h"
#include "host/steps.h"

namespace ljail::lib {

namespace {

using host::JailState;
using host::Job;

void say_err(const std::string& m) {
  std::fprintf(stderr, "jail: %s\n", m.c_str());
}
void say_out(const std::string& m) {
  std::fprintf(stdout, "%s\n", m.c_str());
  std::fflush(stdout);
}

host::Reporter reporter(const Invocation& inv, bool config) {
  host::Reporter r;
  r.quiet = inv.quiet;
  r.verbose = inv.verbose;
  r.print_jid = inv.print_jid;
  r.jid_file = inv.jid_file;
  r.config = config;
  r.out = say_out;
  r.err = say_err;
  return r;
}

// Command-line parameters: `command=` takes the rest of the line as its argv.
Result<Job> job_from_args(const Invocation& inv, const std::vector<std::string>& args) {
  Job job;
  for (const auto& a : inv.pre_params) LJ_TRY(job.params.set_arg(a));
  for (size_t i = 0; i < args.size(); ++i) {
    if (starts_with(args[i], "command=")) {
      job.argv_command.push_back(args[i].substr(8));
      job.argv_command.insert(job.argv_command.end(), args.begin() + static_cast<long>(i) + 1,
                              args.end());
      break;
    }
    LJ_TRY(job.params.set_arg(args[i]));
  }
  LJ_TRY(params::validate(job.params));
  return job;
}

// The old form: path hostname ip[,ip...] command...
Result<Job> job_from_old_form(const Invocation& inv) {
  const auto& a = inv.args;
  if (a[0].empty() || a[0][0] != '/')
    return Error::invalid("path " + a[0] + ": not an absolute pathname");
  std::vector<std::string> conv = {"path=" + a[0], "host.hostname=" + a[1]};
  std::vector<std::string> v4, v6;
  for (const auto& ip : split(a[2], ',')) {
    if (ip.empty()) continue;
    unsigned char buf[16];
    (inet_pton(AF_INET6, ip.c_str(), buf) == 1 ? v6 : v4).push_back(ip);
  }
  if (!v4.empty()) conv.push_back("ip4.addr=" + join(v4, ","));
  if (!v6.empty()) conv.push_back("ip6.addr=" + join(v6, ","));
  conv.push_back("command=" + a[3]);
  conv.insert(conv.end(), a.begin() + 4, a.end());
  return job_from_args(inv, conv);
}

// A configured jail's parameters, imported; errors carry the jail's name.
Result<Job> job_from_conf(const Invocation& inv, const config::ConfJail& cj) {
  Job job;
  job.name = cj.name;
  for (const auto& a : inv.pre_params) LJ_TRY(job.params.set_arg(a));
  for (const auto& cp : cj.params) {
    const params::Spec* spec = params::find(cp.name);
    bool list =
        spec && (spec->type == params::Type::StringList || spec->type == params::Type::Ip4List ||
                 spec->type == params::Type::Ip6List);
    if (cp.values.empty()) {
      auto as = LJ_TRY(params::import(cp.name, std::nullopt));
      job.params.set(as.spec, std::move(as.value));
    } else if (list) {
      job.params.erase(cp.name);
      for (const auto& v : cp.values) {
        auto as = LJ_TRY(params::import(cp.name, v));
        job.params.merge(as.spec, std::move(as.value));
      }
    } else {
      // A single-value parameter given a list keeps its last value (reference 3.3).
      auto as = LJ_TRY(params::import(cp.name, cp.values.back()));
      job.params.set(as.spec, std::move(as.value));
    }
  }
  LJ_TRY(params::validate(job.params));
  return job;
}

Job job_from_state(const JailState& s) {
  Job job;
  job.params = s.params;
  return job;
}

std::string key_of(const params::ParamSet& p) {
  return p.has("jid") ? std::to_string(p.get_uint("jid")) : p.get_string("name");
}

int create_one(const host::Registry& reg, Job& job, const host::Reporter& rep) {
  if (!job.params.has("name") && !job.name.empty()) (void)job.params.set_arg("name=" + job.name);
  if (job.argv_command.empty() && !job.params.get_bool("persist") &&
      job.params.get_list("exec.start").empty() && job.params.get_list("command").empty() &&
      job.params.get_string("exec.init").empty()) {
    rep.err((job.name.empty() ? "" : job.name + ": ") + "new jail must persist or attach");
    return 1;
  }
  return host::create_job(reg, job, rep) ? 0 : 1;
}

// True when `a` gives a create-only parameter a value the running jail `s` does not have.
bool changes_create_only(const params::Assignment& a, const JailState& s) {
  if (!a.spec->has(params::kCreateOnly) || a.spec->name == "jid") return false;
  return params::export_value(*a.spec, params::effective(s.params, *a.spec)) !=
         params::export_value(*a.spec, a.value);
}

int modify_one(const host::Registry& reg, const Job& job, const JailState& s,
               const host::Reporter& rep) {
  params::ParamSet changes;
  for (const auto& a : job.params.items()) {
    if (a.spec->name == "jid" || a.spec->name == "name" || a.spec->has(params::kPseudo)) continue;
    // Unchanged create-only parameters are fine; only a change is refused.
    if (a.spec->has(params::kCreateOnly) && !changes_create_only(a, s)) continue;
    changes.set(a.spec, a.value);
  }
  auto next = host::modify_jail(reg, s, changes);
  if (!next) {
    rep.err((job.name.empty() ? "" : job.name + ": ") + next.error().message());
    return 1;
  }
  if (!rep.quiet) rep.out(s.name + ": updated");
  return 0;
}

// -c/-m/-cm/-rc for one job whose jail may be running.
int apply(const host::Registry& reg, const Invocation& inv, Job& job, const host::Reporter& rep,
          bool quiet_if_running) {
  std::string key = key_of(job.params);
  if (key.empty()) key = job.name;
  std::optional<JailState> running;
  if (!key.empty()) {
    if (auto s = host::find_running(reg, key)) running = std::move(*s);
  }
  if (inv.remove && inv.modify) {  // -mr / -cmr: modify, restarting when it must
    if (!running) {
      if (inv.create) return create_one(reg, job, rep);
      rep.err("\"" + key + "\" not found");
      return 1;
    }
    bool restart = std::any_of(job.params.items().begin(), job.params.items().end(),
                               [&](const auto& a) { return changes_create_only(a, *running); });
    if (!restart) return modify_one(reg, job, *running, rep);
    if (!host::remove_job(reg, job, *running, true, rep)) return 1;
    return create_one(reg, job, rep);
  }
  if (inv.remove && inv.create) {  // -rc: restart
    if (!running) {
      rep.err("\"" + key + "\" not found");
      return 1;
    }
    if (!host::remove_job(reg, job, *running, true, rep)) return 1;
    return create_one(reg, job, rep);
  }
  if (running) {
    if (inv.modify) return modify_one(reg, job, *running, rep);
    if (quiet_if_running) return 0;
    rep.err("\"" + key + "\" already exists");
    return 1;
  }
  if (inv.create) return create_one(reg, job, rep);
  rep.err("\"" + key + "\" not found");
  return 1;
}

int run_config(const host::Registry& reg, const Invocation& inv) {
  // -r alone; -rc, -mr and -cmr remove only to create again.
  const bool removing = inv.remove && !inv.create && !inv.modify;
  auto conf = config::load(inv.conf_file, config::system_reader());
  if (!conf) {
    say_err(conf.error().message());
    return 1;
  }
  const auto& jails = *conf;
  for (const auto& j : jails) {
    for (const auto& e : j.errors) say_err(e.message());
  }
  if (inv.e_separator) {
    for (const auto& j : jails) say_out(config::render_e(j, *inv.e_separator));
    return 0;
  }
  host::Reporter rep = reporter(inv, true);
  int rc = 0;

  // Which configured jails the arguments name (all of them when there are none).
  std::set<size_t> chosen;
  std::vector<std::string> unconfigured;  // -r targets found only among running jails
  bool by_wildcard = inv.args.empty();
  for (const auto& arg : inv.args) {
    bool matched = false;
    for (size_t i = 0; i < jails.size(); ++i) {
      if (jails[i].name == arg ||
          (config::is_wildcard(arg) && config::wildcard_match(jails[i].name, arg))) {
        chosen.insert(i);
        matched = true;
      }
    }
    if (config::is_wildcard(arg)) by_wildcard = true;
    // '*' with -r is every running jail, configured or not.
    if (arg == "*" && removing) {
      unconfigured.push_back(arg);
    } else if (!matched && removing) {
      unconfigured.push_back(arg);
    } else if (!matched && !config::is_wildcard(arg)) {
      say_err("\"" + arg + "\" not found");
      rc = 1;
    }
  }
  if (inv.args.empty()) {
    for (size_t i = 0; i < jails.size(); ++i) chosen.insert(i);
  }
  // A jid names the configured jail that runs with it, so its hooks are used.
  if (removing) {
    std::vector<std::string> rest;
    for (const auto& arg : unconfigured) {
      bool found = false;
      if (arg == "*") {
        for (const auto& s : host::running_jails(reg)) {
          bool configured = std::any_of(jails.begin(), jails.end(), [&](const config::ConfJail& j) {
            return j.name == s.name;
          });
          if (!configured) rest.push_back(std::to_string(s.jid));
        }
        continue;
      }
      if (auto s = host::find_running(reg, arg)) {
        for (size_t i = 0; i < jails.size(); ++i) {
          if (jails[i].name == s->name) {
            chosen.insert(i);
            found = true;
          }
        }
      }
      if (!found) rest.push_back(arg);
    }
    unconfigured = rest;
  }

  // Build jobs and order them; dependencies of chosen jails come along.
  std::vector<config::DependNode> nodes;
  for (const auto& j : jails) {
    const auto* d = j.find("depend");
    nodes.push_back({j.name, d ? d->values : std::vector<std::string>{}});
  }
  auto order = config::order_jails(nodes);
  std::set<size_t> wanted = chosen;
  // A create brings the jails it depends on along; a removal the jails that depend on it
  // (and its children), which go first.
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < jails.size(); ++i) {
      for (size_t d : order.waits_for[i]) {
        if (inv.create && wanted.count(i)) grew |= wanted.insert(d).second;
        if (removing && wanted.count(d)) grew |= wanted.insert(i).second;
      }
    }
  }
  std::vector<size_t> seq;
  for (size_t i : order.order) {
    if (wanted.count(i)) seq.push_back(i);
  }
  if (removing) std::reverse(seq.begin(), seq.end());

  std::map<size_t, bool> failed;
  for (size_t i : seq) {
    const auto& cj = jails[i];
    bool skip = false;
    for (size_t d : order.waits_for[i]) skip |= failed[d];
    if (!order.errors[i].empty()) {
      say_err(cj.name + ": " + order.errors[i]);
      skip = true;
    }
    if (skip || cj.failed()) {
      if (skip && order.errors[i].empty()) say_err(cj.name + ": skipped");
      failed[i] = true;
      rc = 1;
      continue;
    }
    auto job = job_from_conf(inv, cj);
    if (!job) {
      say_err(cj.name + ": " + job.error().message());
      failed[i] = true;
      rc = 1;
      continue;
    }
    int r;
    if (removing) {
      std::string key = key_of(job->params);
      if (key.empty()) key = cj.name;
      auto s = host::find_running(reg, key);
      if (!s) {
        if (inv.cleanup) {
          r = host::cleanup_job(*job, rep) ? 0 : 1;
        } else if (chosen.count(i) && !by_wildcard) {
          say_err("\"" + cj.name + "\" not found");
          r = 1;
        } else {
          r = 0;
        }
      } else {
        r = host::remove_job(reg, *job, *s, true, rep) ? 0 : 1;
      }
    } else {
      bool implicit = !chosen.count(i) || by_wildcard;
      r = apply(reg, inv, *job, rep, implicit);
    }
    failed[i] = r != 0;
    rc |= r;
  }
  for (const auto& key : unconfigured) {
    auto s = host::find_running(reg, key);
    if (!s) {
      say_err(s.error().message());
      rc = 1;
      continue;
    }
    if (!host::remove_job(reg, job_from_state(*s), *s, true, rep)) rc = 1;
  }
  return rc;
}

// -r/-R with names, jids or '*' and no configuration in use.
int remove_running(const host::Registry& reg, const Invocation& inv) {
  int rc = 0;
  bool many = inv.args.size() > 1;
  std::vector<JailState> targets;
  for (const auto& n : inv.args) {
    if (n == "*") {
      auto all = host::running_jails(reg);
      targets.insert(targets.end(), all.begin(), all.end());
      many = true;
      continue;
    }
    auto s = host::find_running(reg, n);
    if (!s) {
      // parent.child: removed by the parent's own jail(8), inside the parent.
      if (auto nested = host::nested_target(reg, n)) {
        auto r = host::run_in_parent(nested->parent, {"jail", "-r", nested->rest});
        if (!r || *r != 0) rc = 1;
        if (!r) say_err(r.error().message());
        continue;
      }
      say_err(s.error().message());
      rc = 1;
      continue;
    }
    targets.push_back(std::move(*s));
  }
  host::Reporter rep = reporter(inv, many);
  for (const auto& s : targets) {
    if (!host::remove_job(reg, job_from_state(s), s, !inv.raw_remove, rep)) rc = 1;
  }
  return rc;
}

bool has_assignments(const std::vector<std::string>& args) {
  return args.size() > 1 || (args.size() == 1 && args[0].find('=') != std::string::npos);
}

}  // namespace

int run_jail(const Invocation& inv) {
  // -J: one file for the whole run, truncated once; each created jail appends its line.
  if (!inv.jid_file.empty()) {
    if (FILE* f = std::fopen(inv.jid_file.c_str(), "we")) std::fclose(f);
  }
  auto reg = host::Registry::open();
  if (!reg) {
    say_err(reg.error().message());
    return 1;
  }
  bool op = inv.create || inv.modify || inv.remove;
  if (inv.e_separator) return run_config(*reg, inv);
  if (!op) {
    auto job = job_from_old_form(inv);
    if (!job) {
      say_err(job.error().message());
      return 1;
    }
    return create_one(*reg, *job, reporter(inv, false));
  }
  if (inv.raw_remove) return remove_running(*reg, inv);
  if ((inv.create || inv.modify) && has_assignments(inv.args)) {
    auto job = job_from_args(inv, inv.args);
    if (!job) {
      say_err(job.error().message());
      return 1;
    }
    return apply(*reg, inv, *job, reporter(inv, false), false);
  }
  // Removal by name or jid works without a configuration file, as FreeBSD's does.
  struct stat st;
  bool removing = inv.remove && !inv.create && !inv.modify;
  if (removing && !inv.conf_given && ::stat(inv.conf_file.c_str(), &st) < 0) {
    return remove_running(*reg, inv);
  }
  return run_config(*reg, inv);
}

}  // namespace ljail::lib
