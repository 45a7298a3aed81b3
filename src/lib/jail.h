// libljail: the libjail(3)-like API every tool uses. Running jails live in the registry
// (design.md 2); every call that reads it treats a jail whose init died as gone and cleans up
// what it left.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "params/params.h"

namespace ljail::lib {

// What jls and friends see of one running jail.
struct JailView {
  // The jail's full parameter set as created (jid, name and path always set), with the values
  // ljail maintains itself (parent, children.cur, dying) filled in.
  params::ParamSet params;
  int jid = 0;
  std::string name;
  std::string path;
  bool dying = false;
  pid_t init_pid = 0;
};

// Every running jail by increasing jid.
Result<std::vector<JailView>> list_jails();
// One running jail by jid (all digits) or name. Missing: Error::not_found(`"KEY" not found`).
Result<JailView> find_jail(std::string_view key);

}  // namespace ljail::lib
