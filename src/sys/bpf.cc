#include "sys/bpf.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ljail::sys {

namespace {

long bpf(int cmd, union bpf_attr* attr) {
  return ::syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

uint64_t ptr(const void* p) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p));
}

}  // namespace

Result<UniqueFd> bpf_prog_load(bpf_prog_type type, const std::vector<struct bpf_insn>& insns,
                               const std::string& license, const std::string& name) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  if (name.size() >= sizeof(attr.prog_name)) return Error::sys(EINVAL, "bpf program name " + name);
  std::memcpy(attr.prog_name, name.data(), name.size());
  attr.prog_type = type;
  attr.insns = ptr(insns.data());
  attr.insn_cnt = static_cast<uint32_t>(insns.size());
  attr.license = ptr(license.c_str());
  long fd = bpf(BPF_PROG_LOAD, &attr);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  int err = errno;
  if (err != EINVAL && err != EACCES) return Error::sys(err, "bpf BPF_PROG_LOAD");
  // Refused by the verifier: load again with its log, for the message.
  std::string log(64 * 1024, '\0');
  attr.log_level = 1;
  attr.log_buf = ptr(log.data());
  attr.log_size = static_cast<uint32_t>(log.size());
  fd = bpf(BPF_PROG_LOAD, &attr);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  log.resize(std::strlen(log.c_str()));
  while (!log.empty() && log.back() == '\n') log.pop_back();
  return Error::sys(err, "bpf BPF_PROG_LOAD" + (log.empty() ? "" : " (verifier: " + log + ")"));
}

Result<AttachedPrograms> bpf_prog_query(int cgroup_fd, bpf_attach_type type) {
  AttachedPrograms out;
  out.ids.resize(64);
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.query.attach_type = type;
  attr.query.prog_ids = ptr(out.ids.data());
  attr.query.prog_cnt = static_cast<uint32_t>(out.ids.size());
  if (bpf(BPF_PROG_QUERY, &attr) < 0) return Error::sys(errno, "bpf BPF_PROG_QUERY");
  out.ids.resize(std::min<size_t>(attr.query.prog_cnt, out.ids.size()));
  out.flags = attr.query.attach_flags;
  return out;
}

Result<std::string> bpf_prog_name(uint32_t id) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.prog_id = id;
  long fd = bpf(BPF_PROG_GET_FD_BY_ID, &attr);
  if (fd < 0) return Error::sys(errno, "bpf BPF_PROG_GET_FD_BY_ID");
  UniqueFd prog(static_cast<int>(fd));
  struct bpf_prog_info info;
  std::memset(&info, 0, sizeof(info));
  std::memset(&attr, 0, sizeof(attr));
  attr.info.bpf_fd = static_cast<uint32_t>(prog.get());
  attr.info.info_len = sizeof(info);
  attr.info.info = ptr(&info);
  if (bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) < 0)
    return Error::sys(errno, "bpf BPF_OBJ_GET_INFO_BY_FD");
  return std::string(info.name, strnlen(info.name, sizeof(info.name)));
}

Ok bpf_prog_attach(int prog_fd, int cgroup_fd, bpf_attach_type type, uint32_t flags) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.attach_bpf_fd = static_cast<uint32_t>(prog_fd);
  attr.attach_type = type;
  attr.attach_flags = flags;
  if (bpf(BPF_PROG_ATTACH, &attr) < 0) return Error::sys(errno, "bpf BPF_PROG_ATTACH");
  return {};
}

}  // namespace ljail::sys
