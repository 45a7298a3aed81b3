// The plan and RUN messages on the wire (plan_codec.h), read in place: no allocation, no C
// library, so that ljail-init (which has neither) and jail(8) read them with the same code.
// A message is a flat sequence of fields "<length>:<bytes>"; numbers are decimal fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ljail::child::wire {

inline constexpr std::string_view kPlanMagic = "LJPLAN1";
inline constexpr std::string_view kRunMagic = "LJRUN1";

// Decimal digits only (what encode writes), without overflow.
constexpr bool parse_u64(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

// Takes fields off the front of a message; every length is checked against what is left.
class Reader {
 public:
  constexpr explicit Reader(std::string_view data) : rest_(data) {}

  constexpr bool field(std::string_view& out) {
    size_t colon = rest_.find(':');
    uint64_t len = 0;
    if (colon == std::string_view::npos || !parse_u64(rest_.substr(0, colon), len) ||
        len > rest_.size() - colon - 1) {
      return false;
    }
    out = rest_.substr(colon + 1, static_cast<size_t>(len));
    rest_.remove_prefix(colon + 1 + static_cast<size_t>(len));
    return true;
  }
  constexpr bool num(uint64_t& out) {
    std::string_view f;
    return field(f) && parse_u64(f, out);
  }
  constexpr bool flag(bool& out) {
    uint64_t v = 0;
    if (!num(v) || v > 1) return false;
    out = v == 1;
    return true;
  }
  constexpr bool id(uint32_t& out) {
    uint64_t v = 0;
    if (!num(v) || v > UINT32_MAX) return false;
    out = static_cast<uint32_t>(v);
    return true;
  }
  // `count` fields, skipped; `region` is the part of the message they take (read it again
  // with a Reader of its own).
  constexpr bool skip(uint64_t count, std::string_view& region) {
    const char* begin = rest_.data();
    std::string_view f;
    for (uint64_t i = 0; i < count; ++i) {
      if (!field(f)) return false;
    }
    region = std::string_view(begin, static_cast<size_t>(rest_.data() - begin));
    return true;
  }
  constexpr bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// InitPlan (plan.h) as views into the message; `seccomp` is the raw sock_filter array.
struct PlanView {
  bool set_uts = true;
  std::string_view hostname;
  std::string_view domainname;
  std::string_view ping_groups;
  uint64_t drop_caps = 0;
  std::string_view seccomp;
  bool new_userns = true;
  bool persist = false;
  bool nested = false;
  std::string_view exec_init;
};

enum class PlanFault { None, NotPlan, Malformed, Seccomp };

constexpr PlanFault read_plan(std::string_view data, PlanView& p, size_t filter_size) {
  Reader r(data);
  std::string_view magic;
  if (!r.field(magic) || magic != kPlanMagic) return PlanFault::NotPlan;
  if (!r.flag(p.set_uts) || !r.field(p.hostname) || !r.field(p.domainname) ||
      !r.field(p.ping_groups) || !r.num(p.drop_caps) || !r.field(p.seccomp)) {
    return PlanFault::Malformed;
  }
  if (p.seccomp.size() % filter_size != 0) return PlanFault::Seccomp;
  if (!r.flag(p.new_userns) || !r.flag(p.persist) || !r.flag(p.nested) || !r.field(p.exec_init) ||
      !r.done()) {
    return PlanFault::Malformed;
  }
  return PlanFault::None;
}

// What a plan's fault says (jail(8)'s decoder and ljail-init alike).
constexpr std::string_view fault_text(PlanFault f) {
  switch (f) {
    case PlanFault::None:
      break;
    case PlanFault::NotPlan:
      return "jail init: not a plan";
    case PlanFault::Seccomp:
      return "jail init: malformed seccomp program";
    case PlanFault::Malformed:
      return "jail init: malformed plan";
  }
  return "";
}

// RunSpec (plan.h): the lists stay regions of fields (read them with a Reader of their own).
struct RunView {
  uint64_t argc = 0;
  std::string_view argv;
  uint64_t envc = 0;
  std::string_view env;
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t ngroups = 0;
  std::string_view groups;
  std::string_view cwd;
  bool background = false;
  std::string_view program;
  bool release_after = false;
};

enum class RunFault { None, NotRun, Malformed };

constexpr RunFault read_run(std::string_view data, RunView& run) {
  Reader r(data);
  std::string_view magic;
  if (!r.field(magic) || magic != kRunMagic) return RunFault::NotRun;
  // A count larger than the message cannot be real (each field takes two bytes at least).
  auto list = [&](uint64_t& n, std::string_view& region) {
    return r.num(n) && n <= data.size() && r.skip(n, region);
  };
  if (!list(run.argc, run.argv) || !list(run.envc, run.env) || !r.id(run.uid) || !r.id(run.gid) ||
      !list(run.ngroups, run.groups)) {
    return RunFault::Malformed;
  }
  // Every group is a number that fits a gid_t.
  Reader g(run.groups);
  uint32_t gid = 0;
  for (uint64_t i = 0; i < run.ngroups; ++i) {
    if (!g.id(gid)) return RunFault::Malformed;
  }
  if (!r.field(run.cwd) || !r.flag(run.background) || !r.field(run.program) ||
      !r.flag(run.release_after) || !r.done() || run.argc == 0) {
    return RunFault::Malformed;
  }
  return RunFault::None;
}

// What a command's fault says (jail(8)'s decoder and ljail-init alike).
constexpr std::string_view fault_text(RunFault f) {
  switch (f) {
    case RunFault::None:
      break;
    case RunFault::NotRun:
      return "jail init: not a command";
    case RunFault::Malformed:
      return "jail init: malformed command";
  }
  return "";
}

}  // namespace ljail::child::wire
