// Private id ranges for userns=new (design.md 2.1): each jail gets its own range of host ids,
// at or above kUidFloor, overlapping no running jail and no /etc/subuid or /etc/subgid entry.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace ljail::host {

constexpr uint64_t kUidFloor = 1073741824;  // 2^30: far above any ordinary host id
constexpr uint64_t kUidCeiling = 4294967294;

using IdRange = std::pair<uint64_t, uint64_t>;  // [first, first + count)

// Chooses a base: `requested` when non-zero (it must not overlap `taken`), else the lowest
// multiple of 65536 above kUidFloor whose range is free.
Result<uint64_t> choose_id_base(uint64_t requested, uint64_t size,
                                const std::vector<IdRange>& taken);
// Ranges listed in a subuid/subgid style file ("name:first:count" lines).
std::vector<IdRange> parse_subid(std::string_view text);
// The ids of a passwd or group file (the third field of each line), as ranges of one.
std::vector<IdRange> parse_account_ids(std::string_view text);
// Writes "0 base size" to uid_map and gid_map of `pid`.
Ok write_id_maps(pid_t pid, uint64_t base, uint64_t size);

}  // namespace ljail::host
