#include "host/passwd.h"

#include <algorithm>

#include "base/strings.h"

namespace ljail::host {

namespace {

std::optional<Account> parse_line(const std::string& line) {
  auto f = split(line, ':');
  if (f.size() < 7 || f[0].empty()) return std::nullopt;
  auto uid = parse_uint(f[2]);
  auto gid = parse_uint(f[3]);
  if (!uid || !gid) return std::nullopt;
  return Account{f[0], static_cast<uid_t>(*uid), static_cast<gid_t>(*gid), f[5], f[6], {}};
}

}  // namespace

std::optional<Account> find_account(const std::string& passwd, const std::string& name) {
  for (const auto& line : split(passwd, '\n')) {
    auto a = parse_line(line);
    if (a && a->name == name) return a;
  }
  return std::nullopt;
}

std::optional<Account> find_account_by_uid(const std::string& passwd, uid_t uid) {
  for (const auto& line : split(passwd, '\n')) {
    auto a = parse_line(line);
    if (a && a->uid == uid) return a;
  }
  return std::nullopt;
}

std::vector<gid_t> groups_of(const std::string& group_text, const std::string& user,
                             gid_t primary) {
  std::vector<gid_t> out = {primary};
  for (const auto& line : split(group_text, '\n')) {
    auto f = split(line, ':');
    if (f.size() < 4) continue;
    auto gid = parse_uint(f[2]);
    if (!gid) continue;
    auto members = split(f[3], ',');
    if (std::find(members.begin(), members.end(), user) != members.end() &&
        std::find(out.begin(), out.end(), *gid) == out.end()) {
      out.push_back(static_cast<gid_t>(*gid));
    }
  }
  return out;
}

}  // namespace ljail::host
