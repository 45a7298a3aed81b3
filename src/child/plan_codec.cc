#include "child/plan_codec.h"

#include <cstring>

#include "base/strings.h"

namespace ljail::child {

namespace {

constexpr std::string_view kMagic = "LJPLAN1";
constexpr std::string_view kRunMagic = "LJRUN1";

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

class Reader {
 public:
  explicit Reader(std::string_view data) : rest_(data) {}

  Result<std::string_view> field() {
    auto colon = rest_.find(':');
    if (colon == std::string_view::npos) return bad();
    auto len = parse_uint(rest_.substr(0, colon));
    if (!len || *len > rest_.size() - colon - 1) return bad();
    std::string_view out = rest_.substr(colon + 1, *len);
    rest_.remove_prefix(colon + 1 + *len);
    return out;
  }
  Result<uint64_t> num() {
    auto f = LJ_TRY(field());
    auto v = parse_uint(f);
    if (!v) return bad();
    return *v;
  }
  Result<bool> flag() {
    auto v = LJ_TRY(num());
    if (v > 1) return bad();
    return v == 1;
  }
  bool done() const { return rest_.empty(); }

 private:
  static Error bad() { return Error::invalid("jail init: malformed message"); }
  std::string_view rest_;
};

}  // namespace

std::string encode_plan(const InitPlan& p) {
  std::string out;
  put(out, kMagic);
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
  Reader r(data);
  if (LJ_TRY(r.field()) != kMagic) return Error::invalid("jail init: not a plan");
  InitPlan p;
  p.set_uts = LJ_TRY(r.flag());
  p.hostname = std::string(LJ_TRY(r.field()));
  p.domainname = std::string(LJ_TRY(r.field()));
  p.ping_groups = std::string(LJ_TRY(r.field()));
  p.drop_caps = LJ_TRY(r.num());
  auto bpf = LJ_TRY(r.field());
  if (bpf.size() % sizeof(struct sock_filter) != 0) {
    return Error::invalid("jail init: malformed seccomp program");
  }
  p.seccomp.resize(bpf.size() / sizeof(struct sock_filter));
  if (!bpf.empty()) std::memcpy(p.seccomp.data(), bpf.data(), bpf.size());
  p.new_userns = LJ_TRY(r.flag());
  p.persist = LJ_TRY(r.flag());
  p.nested = LJ_TRY(r.flag());
  p.exec_init = std::string(LJ_TRY(r.field()));
  if (!r.done()) return Error::invalid("jail init: malformed plan");
  return p;
}

std::string encode_run(const RunSpec& run) {
  std::string out;
  put(out, kRunMagic);
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
  Reader r(data);
  if (LJ_TRY(r.field()) != kRunMagic) return Error::invalid("jail init: not a command");
  RunSpec run;
  // Every count is checked against what is left, so a bad one cannot make a huge vector.
  auto list = [&](std::vector<std::string>& out) -> Ok {
    uint64_t n = LJ_TRY(r.num());
    if (n > data.size()) return Error::invalid("jail init: malformed command");
    for (uint64_t i = 0; i < n; ++i) out.emplace_back(LJ_TRY(r.field()));
    return {};
  };
  LJ_TRY(list(run.argv));
  LJ_TRY(list(run.env));
  auto id = [&]() -> Result<uint32_t> {
    uint64_t v = LJ_TRY(r.num());
    if (v > UINT32_MAX) return Error::invalid("jail init: malformed command");
    return static_cast<uint32_t>(v);
  };
  run.uid = LJ_TRY(id());
  run.gid = LJ_TRY(id());
  uint64_t groups = LJ_TRY(r.num());
  if (groups > data.size()) return Error::invalid("jail init: malformed command");
  for (uint64_t i = 0; i < groups; ++i) run.groups.push_back(LJ_TRY(id()));
  run.cwd = std::string(LJ_TRY(r.field()));
  run.background = LJ_TRY(r.flag());
  run.program = std::string(LJ_TRY(r.field()));
  run.release_after = LJ_TRY(r.flag());
  if (!r.done() || run.argv.empty()) return Error::invalid("jail init: malformed command");
  return run;
}

}  // namespace ljail::child
