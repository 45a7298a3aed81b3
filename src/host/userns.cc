#include "host/userns.h"

#include "base/strings.h"
#include "sys/file.h"

namespace ljail::host {

namespace {

bool overlaps(uint64_t first, uint64_t count, const std::vector<IdRange>& taken) {
  for (const auto& [f, c] : taken) {
    if (first < f + c && f < first + count) return true;
  }
  return false;
}

}  // namespace

Result<uint64_t> choose_id_base(uint64_t requested, uint64_t size,
                                const std::vector<IdRange>& taken) {
  if (requested != 0) {
    if (requested + size - 1 > kUidCeiling) {
      return Error::invalid("userns.uid: range does not fit below 4294967295");
    }
    if (overlaps(requested, size, taken)) {
      return Error::exists("userns.uid: ids " + std::to_string(requested) + "-" +
                           std::to_string(requested + size - 1) + " are already in use");
    }
    return requested;
  }
  for (uint64_t base = kUidFloor; base + size - 1 <= kUidCeiling; base += 65536) {
    if (!overlaps(base, size, taken)) return base;
  }
  return Error::with_code(EAGAIN, "no free user id range for the jail");
}

std::vector<IdRange> parse_subid(const std::string& text) {
  std::vector<IdRange> out;
  for (const auto& line : split(text, '\n')) {
    auto f = split(line, ':');
    if (f.size() < 3) continue;
    auto first = parse_uint(f[1]);
    auto count = parse_uint(f[2]);
    if (first && count) out.emplace_back(*first, *count);
  }
  return out;
}

Ok write_id_maps(pid_t pid, uint64_t base, uint64_t size) {
  std::string map = "0 " + std::to_string(base) + " " + std::to_string(size) + "\n";
  std::string proc = "/proc/" + std::to_string(pid);
  LJ_TRY_CTX(sys::write_file(proc + "/uid_map", map), "writing uid_map");
  LJ_TRY_CTX(sys::write_file(proc + "/gid_map", map), "writing gid_map");
  return {};
}

}  // namespace ljail::host
