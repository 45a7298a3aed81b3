#include "host/policy_cache.h"

#include <fcntl.h>
#include <linux/filter.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "base/hash.h"
#include "host/built_policy.h"
#include "sys/file.h"

namespace ljail::host {

namespace {

constexpr std::string_view kMagic = "ljail-policy 1\n";

// What compiled the policy: the running program's file (device, inode, size, mtime) and the
// libseccomp it runs with, so that an upgraded ljail or library never takes a policy an older
// one compiled.
std::string compiler_identity() {
  static const std::string id = [] {
    auto st = sys::stat("/proc/self/exe");
    std::string exe = !st ? std::string("unknown")
                          : std::to_string(st->st_dev) + ":" + std::to_string(st->st_ino) + ":" +
                                std::to_string(st->st_size) + ":" +
                                std::to_string(st->st_mtim.tv_sec) + "." +
                                std::to_string(st->st_mtim.tv_nsec);
    return exe + " " + seccomp_library_version();
  }();
  return id;
}

// What the cache file of `p` is for: its compiler and its policy parameters.
std::string params_key(const params::ParamSet& p) {
  std::string id = compiler_identity();
  return std::to_string(id.size()) + ':' + id + policy_fields(p);
}

}  // namespace

std::string policy_file_text(const params::ParamSet& p, const Policy& policy) {
  std::string key = params_key(p);
  std::string out(kMagic);
  out += std::to_string(policy.drop_caps) + " " + std::to_string(key.size()) + " " +
         std::to_string(policy.bpf.size()) + "\n";
  out += key;
  out.append(reinterpret_cast<const char*>(policy.bpf.data()),
             policy.bpf.size() * sizeof(struct sock_filter));
  return out;
}

std::optional<Policy> policy_from_text(const params::ParamSet& p, std::string_view text) {
  if (text.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  text.remove_prefix(kMagic.size());
  auto eol = text.find('\n');
  if (eol == std::string_view::npos) return std::nullopt;
  unsigned long long caps = 0, key_size = 0, insns = 0;
  char extra = 0;
  std::string header(text.substr(0, eol));
  if (std::sscanf(header.c_str(), "%llu %llu %llu%c", &caps, &key_size, &insns, &extra) != 3)
    return std::nullopt;
  text.remove_prefix(eol + 1);
  if (insns == 0 || insns > BPF_MAXINSNS || key_size > text.size() ||
      text.size() - key_size != insns * sizeof(struct sock_filter)) {
    return std::nullopt;
  }
  if (text.substr(0, key_size) != params_key(p)) return std::nullopt;
  text.remove_prefix(key_size);
  Policy out;
  out.drop_caps = caps;
  out.bpf.resize(insns);
  std::memcpy(out.bpf.data(), text.data(), text.size());
  return out;
}

std::string policy_file_name(const params::ParamSet& p) {
  // A file name, not a check: the file holds the key itself.
  uint64_t h = fnv1a64(params_key(p));
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
  return std::string("policy.") + hex;
}

Result<Policy> cached_policy(const Registry& reg, const params::ParamSet& p) {
  if (auto built = built_policy_for(p)) return std::move(*built);
  std::string name = policy_file_name(p);
  if (auto fd = sys::openat(reg.dir_fd(), name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)) {
    auto st = sys::fstat(fd->get());
    // Only a file nobody but us could have written.
    if (st && S_ISREG(st->st_mode) && st->st_uid == ::geteuid() && (st->st_mode & 022) == 0) {
      if (auto text = sys::read_all(fd->get())) {
        if (auto policy = policy_from_text(p, *text)) return std::move(*policy);
      }
    }
  }
  Policy policy = LJ_TRY(make_policy(p));
  // Written whole by rename(2), so a reader never sees half a file; two writers write the
  // same text.
  reg.store_cache(name, policy_file_text(p, policy));
  return policy;
}

}  // namespace ljail::host
