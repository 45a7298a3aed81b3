// bpf(2) for cgroup programs: load a program and attach it to a cgroup directory. Only what
// the host needs for the jail's device program (host/devices.h).
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace ljail::sys {

// BPF_PROG_LOAD of `insns` as a program of `type` (BPF_PROG_TYPE_*), named `name` (up to 15
// characters). A program the verifier refuses is reported with the verifier's log.
Result<UniqueFd> bpf_prog_load(bpf_prog_type type, const std::vector<struct bpf_insn>& insns,
                               const std::string& license, const std::string& name = "");
// BPF_PROG_QUERY: the ids of the programs attached to the cgroup directory `cgroup_fd` itself
// (not inherited ones), and the flags they were attached with.
struct AttachedPrograms {
  std::vector<uint32_t> ids;
  uint32_t flags = 0;
};
Result<AttachedPrograms> bpf_prog_query(int cgroup_fd, bpf_attach_type type);
// The name a loaded program was given (BPF_PROG_GET_FD_BY_ID, BPF_OBJ_GET_INFO_BY_FD).
Result<std::string> bpf_prog_name(uint32_t id);
// BPF_PROG_ATTACH of `prog_fd` to the cgroup directory `cgroup_fd` (BPF_F_* `flags`).
Ok bpf_prog_attach(int prog_fd, int cgroup_fd, bpf_attach_type type, uint32_t flags);

}  // namespace ljail::sys
