// The jail's device allow list and its cgroup device program (host/devices.h). The program is
// checked by running it: a small interpreter of the few instructions it may contain evaluates
// it for the listed devices and for others, without root. As root, the kernel's verifier must
// also accept it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "host/devices.h"
#include "host/plan.h"
#include "sys/bpf.h"

namespace ljail::host {
namespace {

using Program = std::vector<struct bpf_insn>;

struct Access {
  char type;  // 'c' or 'b'
  uint32_t major;
  uint32_t minor;
  uint32_t access = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
};

// Runs `p` on a bpf_cgroup_dev_ctx for `a`. Returns r0, or -1 for an instruction the device
// program must not contain, a jump out of the program or a run that does not end.
int64_t run(const Program& p, const Access& a) {
  uint32_t ctx[3] = {(a.access << 16) | (a.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR),
                     a.major, a.minor};
  uint64_t reg[11] = {};
  for (size_t pc = 0, steps = 0; pc < p.size() && steps < 10000; ++pc, ++steps) {
    const auto& i = p[pc];
    switch (i.code) {
      case BPF_LDX | BPF_W | BPF_MEM:
        if (i.src_reg != BPF_REG_1 || i.off < 0 || i.off > 8 || i.off % 4) return -1;
        reg[i.dst_reg] = ctx[i.off / 4];
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        reg[i.dst_reg] = static_cast<uint32_t>(reg[i.dst_reg] & static_cast<uint32_t>(i.imm));
        break;
      case BPF_ALU64 | BPF_MOV | BPF_K:
        reg[i.dst_reg] = static_cast<uint64_t>(static_cast<int64_t>(i.imm));
        break;
      case BPF_JMP | BPF_JNE | BPF_K:
        if (reg[i.dst_reg] != static_cast<uint64_t>(static_cast<int64_t>(i.imm))) {
          if (i.off < 0) return -1;
          pc += static_cast<size_t>(i.off);
        }
        break;
      case BPF_JMP | BPF_EXIT:
        return static_cast<int64_t>(reg[BPF_REG_0]);
      default:
        return -1;
    }
  }
  return -1;
}

TEST(HostDevices, ListIsTheJailDev) {
  std::vector<std::string> v1;
  for (const auto& r : jail_devices(false)) v1.push_back(v1_rule(r));
  EXPECT_EQ(v1, (std::vector<std::string>{"c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
                                          "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm"}));
  auto fuse = jail_devices(true);
  ASSERT_EQ(fuse.size(), 9u);
  EXPECT_EQ(v1_rule(fuse.back()), "c 10:229 rwm");
}

TEST(HostDevices, ProgramShape) {
  auto p = device_program(jail_devices(false));
  // 4 loads; 5 instructions per rule with a minor, 4 for 136:*; the final "return 0".
  ASSERT_EQ(p.size(), 4u + 7 * 5 + 4 + 2);
  EXPECT_EQ(p[0].code, BPF_LDX | BPF_W | BPF_MEM);
  EXPECT_EQ(p[0].off, 0);
  EXPECT_EQ(p[2].off, 4);
  EXPECT_EQ(p[3].off, 8);
  EXPECT_EQ(p[p.size() - 2].code, BPF_ALU64 | BPF_MOV | BPF_K);
  EXPECT_EQ(p[p.size() - 2].imm, 0);
  EXPECT_EQ(p.back().code, BPF_JMP | BPF_EXIT);
  EXPECT_EQ(device_program(jail_devices(true)).size(), p.size() + 5);
  EXPECT_EQ(device_program({}).size(), 6u);
}

TEST(HostDevices, ProgramAllowsTheListOnly) {
  auto p = device_program(jail_devices(false));
  for (auto [maj, min] : {std::pair{1u, 3u},
                          {1u, 5u},
                          {1u, 7u},
                          {1u, 8u},
                          {1u, 9u},
                          {5u, 0u},
                          {5u, 2u},
                          {136u, 0u},
                          {136u, 7u},
                          {136u, 1048575u}}) {
    EXPECT_EQ(run(p, {'c', maj, min}), 1) << maj << ":" << min;
    EXPECT_EQ(run(p, {'c', maj, min, BPF_DEVCG_ACC_READ}), 1) << maj << ":" << min;
    EXPECT_EQ(run(p, {'c', maj, min, BPF_DEVCG_ACC_MKNOD}), 1) << maj << ":" << min;
    // The same numbers as a block device: refused.
    EXPECT_EQ(run(p, {'b', maj, min}), 0) << "b " << maj << ":" << min;
  }
  for (auto [maj, min] : {std::pair{1u, 1u},
                          {1u, 2u},
                          {1u, 4u},
                          {1u, 11u},
                          {10u, 200u},
                          {10u, 229u},
                          {5u, 1u},
                          {4u, 0u},
                          {3u, 5u},
                          {8u, 0u},
                          {137u, 0u},
                          {0x10001u, 3u}}) {
    EXPECT_EQ(run(p, {'c', maj, min}), 0) << maj << ":" << min;
  }
  EXPECT_EQ(run(p, {'b', 8, 0}), 0);
}

TEST(HostDevices, FuseOnlyWhenAsked) {
  EXPECT_EQ(run(device_program(jail_devices(false)), {'c', 10, 229}), 0);
  auto p = device_program(jail_devices(true));
  EXPECT_EQ(run(p, {'c', 10, 229}), 1);
  EXPECT_EQ(run(p, {'c', 10, 200}), 0);
  EXPECT_EQ(run(p, {'c', 1, 3}), 1);
}

TEST(HostDevices, EmptyListRefusesAll) {
  auto p = device_program({});
  EXPECT_EQ(run(p, {'c', 1, 3}), 0);
  EXPECT_EQ(run(p, {'b', 8, 0}), 0);
}

TEST(HostDevices, BlockRule) {
  auto p = device_program({{'b', 7, kAnyMinor, {}}});
  EXPECT_EQ(run(p, {'b', 7, 3}), 1);
  EXPECT_EQ(run(p, {'c', 7, 3}), 0);
}

// /dev/fuse and its rule need both allow.mount and allow.mount.fusefs; the builder's plan
// follows the same rule.
TEST(HostDevices, FuseNeedsAllowMountToo) {
  struct Case {
    std::vector<const char*> args;
    bool fuse;
  };
  const Case cases[] = {{{}, false},
                        {{"allow.mount"}, false},
                        {{"allow.mount.fusefs"}, false},
                        {{"allow.mount", "allow.mount.tmpfs"}, false},
                        {{"allow.mount", "allow.mount.fusefs"}, true}};
  for (const auto& c : cases) {
    params::ParamSet set;
    ASSERT_TRUE(set.set_arg("path=/j"));
    for (const char* a : c.args) ASSERT_TRUE(set.set_arg(a)) << a;
    EXPECT_EQ(fuse_allowed(set), c.fuse) << c.args.size();
    PlanInputs in;
    in.params = &set;
    auto plan = make_plan(in);
    ASSERT_TRUE(plan) << plan.error().message();
    bool has_fuse = false;
    for (const auto& n : plan->rootfs.dev_nodes) {
      if (n.name == "fuse") has_fuse = n.major == 10 && n.minor == 229;
    }
    EXPECT_EQ(has_fuse, c.fuse) << c.args.size();
    EXPECT_EQ(plan->rootfs.dev_nodes.size(), c.fuse ? 7u : 6u);
  }
}

// The kernel's verifier accepts the program (needs root: CAP_BPF and CAP_SYS_ADMIN).
TEST(HostDevices, KernelLoadsTheProgram) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  for (bool fuse : {false, true}) {
    auto fd =
        sys::bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, device_program(jail_devices(fuse)), "GPL");
    ASSERT_TRUE(fd) << fd.error().message();
    EXPECT_TRUE(fd->valid());
  }
  // A broken program is refused, with the verifier's words in the message.
  auto bad = sys::bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, {device_program({}).back()}, "GPL");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), EACCES);
  EXPECT_NE(bad.error().message().find("verifier"), std::string::npos) << bad.error().message();
}

}  // namespace
}  // namespace ljail::host
