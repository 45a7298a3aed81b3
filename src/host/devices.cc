#include "host/devices.h"

#include <cstdio>

#include "base/hash.h"
#include "sys/bpf.h"

namespace ljail::host {

namespace {

// A few instructions, spelled like the kernel's own filter.h macros.
constexpr struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  struct bpf_insn i = {};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}
// dst = *(u32*)(src + off)
constexpr struct bpf_insn load_word(uint8_t dst, uint8_t src, int16_t off) {
  return insn(BPF_LDX | BPF_W | BPF_MEM, dst, src, off, 0);
}
// dst &= imm (32-bit)
constexpr struct bpf_insn and_imm(uint8_t dst, int32_t imm) {
  return insn(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm);
}
// if (dst != imm) skip `off` instructions
constexpr struct bpf_insn jne_imm(uint8_t dst, int32_t imm, int16_t off) {
  return insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm);
}
// r0 = imm
constexpr struct bpf_insn ret_value(int32_t imm) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, imm);
}
constexpr struct bpf_insn exit_insn() {
  return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

// struct bpf_cgroup_dev_ctx: u32 access_type (access << 16 | type), u32 major, u32 minor.
constexpr int16_t kCtxAccessType = 0;
constexpr int16_t kCtxMajor = 4;
constexpr int16_t kCtxMinor = 8;

}  // namespace

bool fuse_allowed(const params::ParamSet& p) {
  return p.get_bool("allow.mount") && p.get_bool("allow.mount.fusefs");
}

std::vector<DeviceRule> jail_devices(bool fuse) {
  std::vector<DeviceRule> out = {
      {'c', 1, 3, "null"},       {'c', 1, 5, "zero"}, {'c', 1, 7, "full"}, {'c', 1, 8, "random"},
      {'c', 1, 9, "urandom"},    {'c', 5, 0, "tty"},  {'c', 5, 2, {}},  // ptmx: a link to pts/ptmx
      {'c', 136, kAnyMinor, {}},                                        // pts/*: the jail's devpts
  };
  if (fuse) out.push_back({'c', 10, 229, "fuse"});
  return out;
}

std::string v1_rule(const DeviceRule& rule) {
  std::string minor = rule.minor == kAnyMinor ? "*" : std::to_string(rule.minor);
  return std::string(1, rule.type) + " " + std::to_string(rule.major) + ":" + minor + " rwm";
}

// The program: r2 = device type, r4 = major, r5 = minor; then one block per rule that jumps
// to the next block on any mismatch and otherwise returns 1; after the last block, return 0.
// Access is not looked at: every rule grants all of it (runc and crun skip the check likewise
// for "rwm" rules).
std::vector<struct bpf_insn> device_program(const std::vector<DeviceRule>& rules) {
  std::vector<struct bpf_insn> p = {
      load_word(BPF_REG_2, BPF_REG_1, kCtxAccessType),
      and_imm(BPF_REG_2, 0xffff),
      load_word(BPF_REG_4, BPF_REG_1, kCtxMajor),
      load_word(BPF_REG_5, BPF_REG_1, kCtxMinor),
  };
  for (const auto& rule : rules) {
    int32_t type = rule.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
    bool any_minor = rule.minor == kAnyMinor;
    // The tests before the accepting pair; each skips what follows it in the block.
    int16_t tests = any_minor ? 2 : 3;
    int16_t left = static_cast<int16_t>(tests + 1);  // the remaining tests, then "r0 = 1"
    p.push_back(jne_imm(BPF_REG_2, type, left--));
    p.push_back(jne_imm(BPF_REG_4, static_cast<int32_t>(rule.major), left--));
    if (!any_minor) p.push_back(jne_imm(BPF_REG_5, static_cast<int32_t>(rule.minor), left--));
    p.push_back(ret_value(1));
    p.push_back(exit_insn());
  }
  p.push_back(ret_value(0));
  p.push_back(exit_insn());
  return p;
}

std::string device_program_name(const std::vector<struct bpf_insn>& program) {
  uint32_t h = fnv1a32(std::string_view(reinterpret_cast<const char*>(program.data()),
                                        program.size() * sizeof(struct bpf_insn)));
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%08x", h);
  return std::string("ljdev_") + hex;
}

Ok share_device_program(int parent_fd, const std::vector<DeviceRule>& rules) {
  auto program = device_program(rules);
  std::string name = device_program_name(program);
  auto attached = LJ_TRY(sys::bpf_prog_query(parent_fd, BPF_CGROUP_DEVICE));
  if (attached.ids.size() == 1 && attached.flags == BPF_F_ALLOW_OVERRIDE) {
    if (auto have = sys::bpf_prog_name(attached.ids[0]); have && *have == name) return {};
  }
  auto prog =
      LJ_TRY_CTX(sys::bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, program, "Dual BSD/GPL", name),
                 "loading the device program");
  // One program, replaced by a new attach (the same flags).
  LJ_TRY_CTX(sys::bpf_prog_attach(prog.get(), parent_fd, BPF_CGROUP_DEVICE, BPF_F_ALLOW_OVERRIDE),
             "attaching the device program");
  return {};
}

Ok attach_device_program(int cgroup_fd, const std::vector<DeviceRule>& rules) {
  // The program calls no kernel helper, so its license string is informational only.
  auto prog = LJ_TRY_CTX(
      sys::bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, device_program(rules), "Dual BSD/GPL"),
      "loading the device program");
  // ALLOW_MULTI: programs attached below (by a nested manager) can only refuse more, never
  // allow what this one refuses. The attachment holds the program; the fd may go.
  LJ_TRY_CTX(sys::bpf_prog_attach(prog.get(), cgroup_fd, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI),
             "attaching the device program");
  return {};
}

}  // namespace ljail::host
