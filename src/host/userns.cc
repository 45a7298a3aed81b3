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

// The first three ':'-separated fields of each line of `text` that has three or more, read in
// place (jail(8) reads four such files before every start: splitting them into strings cost a
// third of its work there).
template <typename F>
void for_three_fields(std::string_view text, F&& f) {
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    std::string_view field[3];
    size_t n = 0;
    for (; n < 3; ++n) {
      size_t colon = line.find(':');
      field[n] = line.substr(0, colon);
      if (colon == std::string_view::npos) {
        ++n;
        break;
      }
      line.remove_prefix(colon + 1);
    }
    if (n == 3) f(field[0], field[1], field[2]);
  }
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

std::vector<IdRange> parse_subid(std::string_view text) {
  std::vector<IdRange> out;
  for_three_fields(text, [&](std::string_view, std::string_view first, std::string_view count) {
    auto f = parse_uint(first);
    auto c = parse_uint(count);
    if (f && c) out.emplace_back(*f, *c);
  });
  return out;
}

std::vector<IdRange> parse_account_ids(std::string_view text) {
  std::vector<IdRange> out;
  for_three_fields(text, [&](std::string_view, std::string_view, std::string_view id) {
    if (auto i = parse_uint(id)) out.emplace_back(*i, 1);
  });
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
