#include "lib/jail.h"

#include "host/children.h"
#include "host/lifecycle.h"
#include "host/registry.h"

namespace ljail::lib {

namespace {

void set_int(params::ParamSet& p, const char* name, int64_t v) {
  p.set(params::find(name), v);
}

JailView view(host::JailState s) {
  JailView v;
  v.jid = s.jid;
  v.name = s.name;
  v.path = s.path;
  v.init_pid = s.init_pid;
  v.params = std::move(s.params);
  return v;
}

// A jail inside a jail, named and placed as the host sees it (FreeBSD: "parent.child", the
// path below the parent's).
JailView child_view(host::ChildJail c, const std::string& parent_path) {
  std::string path = c.state.path == "/"  ? parent_path
                     : parent_path == "/" ? c.state.path
                                          : parent_path + c.state.path;
  JailView v = view(std::move(c.state));
  v.name = c.full_name;
  v.path = path;
  v.init_pid = c.host_init_pid;
  v.params.set(params::find("name"), v.name);
  v.params.set(params::find("path"), v.path);
  v.params.set(params::find("parent"), static_cast<uint64_t>(c.parent_jid));
  return v;
}

// The jail and, after it, every jail beneath it with children.cur counted through every level.
void append_with_children(host::JailState s, std::vector<JailView>& out) {
  auto children = host::child_jails(s);
  size_t first = out.size();
  out.push_back(view(std::move(s)));
  set_int(out[first].params, "children.cur", static_cast<int64_t>(children.size()));
  for (auto& c : children) {
    // Parents come before their children: find this one's parent path by name.
    std::string parent_name = c.full_name.substr(0, c.full_name.rfind('.'));
    std::string parent_path = out[first].path;
    for (size_t i = first; i < out.size(); ++i) {
      if (out[i].name == parent_name) parent_path = out[i].path;
    }
    out.push_back(child_view(std::move(c), parent_path));
  }
  for (size_t i = first + 1; i < out.size(); ++i) {
    int64_t below = 0;
    for (size_t j = first + 1; j < out.size(); ++j) {
      if (out[j].name.rfind(out[i].name + ".", 0) == 0) ++below;
    }
    set_int(out[i].params, "children.cur", below);
  }
}

}  // namespace

Result<std::vector<JailView>> list_jails() {
  auto reg = LJ_TRY(host::Registry::open());
  std::vector<JailView> out;
  for (auto& s : host::running_jails(reg)) append_with_children(std::move(s), out);
  return out;
}

Result<JailView> find_jail(std::string_view key) {
  auto reg = LJ_TRY(host::Registry::open());
  auto found = host::find_running(reg, key);
  if (found || key.find('.') == std::string_view::npos) {
    host::JailState s = LJ_TRY(std::move(found));
    std::vector<JailView> one;
    append_with_children(std::move(s), one);
    return std::move(one.front());
  }
  // "parent.child": look beneath the parent.
  std::string parent(key.substr(0, key.find('.')));
  if (auto p = host::find_running(reg, parent)) {
    std::vector<JailView> all;
    append_with_children(std::move(*p), all);
    for (auto& v : all) {
      if (v.name == key) return std::move(v);
    }
  }
  return found.error();
}

}  // namespace ljail::lib
