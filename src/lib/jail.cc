#include "lib/jail.h"

#include "host/lifecycle.h"
#include "host/registry.h"

namespace ljail::lib {

namespace {

JailView view(host::JailState s) {
  JailView v;
  v.jid = s.jid;
  v.name = s.name;
  v.path = s.path;
  v.init_pid = s.init_pid;
  v.params = std::move(s.params);
  return v;
}

}  // namespace

Result<std::vector<JailView>> list_jails() {
  auto reg = LJ_TRY(host::Registry::open());
  std::vector<JailView> out;
  for (auto& s : host::running_jails(reg)) out.push_back(view(std::move(s)));
  return out;
}

Result<JailView> find_jail(std::string_view key) {
  auto reg = LJ_TRY(host::Registry::open());
  return view(LJ_TRY(host::find_running(reg, key)));
}

}  // namespace ljail::lib
