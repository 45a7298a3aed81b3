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

// BPF_PROG_LOAD of `insns` as a program of `type` (BPF_PROG_TYPE_*). A program the verifier
// refuses is reported with the verifier's log.
Result<UniqueFd> bpf_prog_load(bpf_prog_type type, const std::vector<struct bpf_insn>& insns,
                               const std::string& license);
// BPF_PROG_ATTACH of `prog_fd` to the cgroup directory `cgroup_fd` (BPF_F_* `flags`).
Ok bpf_prog_attach(int prog_fd, int cgroup_fd, bpf_attach_type type, uint32_t flags);

}  // namespace ljail::sys
