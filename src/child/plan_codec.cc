#include "child/plan_codec.h"

#include <cstring>

#include "child/wire.h"

namespace ljail::child {

namespace {

void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

void put_num(std::string& out, uint64_t v) {
  put(out, std::to_string(v));
}

void put_list(std::string& out, const std::vector<std::string>& list) {
  put_num(out, list.size());
  for (const auto& s : list) put(out, s);
}

}  // namespace

std::string encode_plan(const InitPlan& p) {
  std::string out;
  put(out, wire::kPlanMagic);
  put_num(out, p.set_uts);
  put(out, p.hostname);
  put(out, p.domainname);
  put(out, p.ping_groups);
  put_num(out, p.drop_caps);
  put(out, std::string_view(reinterpret_cast<const char*>(p.seccomp.data()),
                            p.seccomp.size() * sizeof(struct sock_filter)));
  put_num(out, p.new_userns);
  put_num(out, p.persist);
  put_num(out, p.nested);
  put(out, p.exec_init);
  return out;
}

Result<InitPlan> decode_plan(std::string_view data) {
  wire::PlanView v;
  if (auto f = wire::read_plan(data, v, sizeof(struct sock_filter)); f != wire::PlanFault::None) {
    return Error::invalid(std::string(wire::fault_text(f)));
  }
  InitPlan p;
  p.set_uts = v.set_uts;
  p.hostname = std::string(v.hostname);
  p.domainname = std::string(v.domainname);
  p.ping_groups = std::string(v.ping_groups);
  p.drop_caps = v.drop_caps;
  p.seccomp.resize(v.seccomp.size() / sizeof(struct sock_filter));
  if (!v.seccomp.empty()) std::memcpy(p.seccomp.data(), v.seccomp.data(), v.seccomp.size());
  p.new_userns = v.new_userns;
  p.persist = v.persist;
  p.nested = v.nested;
  p.exec_init = std::string(v.exec_init);
  return p;
}

std::string encode_run(const RunSpec& run) {
  std::string out;
  put(out, wire::kRunMagic);
  put_list(out, run.argv);
  put_list(out, run.env);
  put_num(out, run.uid);
  put_num(out, run.gid);
  put_num(out, run.groups.size());
  for (gid_t g : run.groups) put_num(out, g);
  put(out, run.cwd);
  put_num(out, run.background);
  put(out, run.program);
  put_num(out, run.release_after);
  return out;
}

Result<RunSpec> decode_run(std::string_view data) {
  wire::RunView v;
  if (auto f = wire::read_run(data, v); f != wire::RunFault::None) {
    return Error::invalid(std::string(wire::fault_text(f)));
  }
  RunSpec run;
  // read_run has checked every field of the lists.
  auto list = [](uint64_t n, std::string_view region, std::vector<std::string>& out) {
    wire::Reader r(region);
    std::string_view f;
    for (uint64_t i = 0; i < n && r.field(f); ++i) out.emplace_back(f);
  };
  list(v.argc, v.argv, run.argv);
  list(v.envc, v.env, run.env);
  run.uid = v.uid;
  run.gid = v.gid;
  wire::Reader g(v.groups);
  uint32_t gid = 0;
  for (uint64_t i = 0; i < v.ngroups && g.id(gid); ++i) run.groups.push_back(gid);
  run.cwd = std::string(v.cwd);
  run.background = v.background;
  run.program = std::string(v.program);
  run.release_after = v.release_after;
  return run;
}

}  // namespace ljail::child
