// passwd(5) and group(5) parsed directly: a jail's databases are read as text, never through
// NSS modules that the jail could supply.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace ljail::host {

struct Account {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
  std::string shell;
  std::vector<gid_t> groups;  // supplementary groups, from group(5)
};

std::optional<Account> find_account(const std::string& passwd, const std::string& name);
std::optional<Account> find_account_by_uid(const std::string& passwd, uid_t uid);
// The primary group plus every group of `group_text` listing the user as a member.
std::vector<gid_t> groups_of(const std::string& group_text, const std::string& user, gid_t primary);

}  // namespace ljail::host
