#include "host/nesting.h"

#include <cerrno>

#include "base/strings.h"
#include "sys/file.h"

namespace ljail::host {

namespace {

Error prison_limit() {
  return Error::with_code(EPERM, "prison limit exceeded");
}

Error not_permitted() {
  return Error::with_code(EPERM, "jail_set: Operation not permitted");
}

}  // namespace

Nesting parse_nesting(const std::string& uid_map, const std::string& max_user_namespaces) {
  Nesting n;
  uint64_t count = 0;
  bool host = false;
  for (const auto& line : split(uid_map, '\n')) {
    std::vector<std::string> f;
    for (const auto& w : split(line, ' ')) {
      if (!w.empty()) f.push_back(w);
    }
    if (f.size() != 3) continue;
    auto inside = parse_uint(f[0]), outside = parse_uint(f[1]), len = parse_uint(f[2]);
    if (!inside || !outside || !len) continue;
    if (*inside == 0 && *outside == 0 && *len == 4294967295u) host = true;
    if (*inside == 0) count = *len;
  }
  n.inside_jail = !host;
  n.id_count = count;
  if (auto max = parse_int(trim(max_user_namespaces))) n.max_children = *max;
  return n;
}

Result<Nesting> detect_nesting() {
  auto map = LJ_TRY_CTX(sys::read_file("/proc/self/uid_map"), "reading /proc/self/uid_map");
  Nesting n = parse_nesting(map, "");
  // The limit matters inside a jail only (children.max); on the host, one file read fewer.
  if (!n.inside_jail) return n;
  auto max = sys::read_file("/proc/sys/user/max_user_namespaces");
  return parse_nesting(map, max ? *max : "");
}

Ok may_have_children(const Nesting& n) {
  if (n.inside_jail && n.max_children == 0) return not_permitted();
  if (n.inside_jail && n.id_count == 0) return not_permitted();
  return {};
}

Ok below_limit(const Nesting& n, size_t running) {
  if (!n.inside_jail || n.max_children < 0) return {};
  if (running >= static_cast<uint64_t>(n.max_children)) return prison_limit();
  return {};
}

Error clone_error(const Nesting& n, Error e) {
  if (!n.inside_jail) return e;
  // ENOSPC: the user namespace count reached its maximum somewhere above us. ENOSYS and EPERM:
  // the jail's seccomp filter (children.max = 0) refuses new namespaces.
  if (e.code() == ENOSPC || e.code() == EUSERS) return prison_limit();
  if (e.code() == EPERM || e.code() == ENOSYS) return not_permitted();
  return e;
}

}  // namespace ljail::host
