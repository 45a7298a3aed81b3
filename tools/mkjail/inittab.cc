#include "inittab.h"

#include "base/strings.h"

namespace {

constexpr std::string_view kMark = "#ljail# ";

// The fields of an inittab line "id:runlevels:action:process".
struct Entry {
  std::string id, levels, action, process;
};

bool parse(std::string_view line, Entry& e) {
  if (line.empty() || line[0] == '#') return false;
  auto f = ljail::split(line, ':');
  if (f.size() < 4) return false;
  e.id = f[0];
  e.levels = f[1];
  e.action = f[2];
  e.process = std::string(line.substr(f[0].size() + f[1].size() + f[2].size() + 3));
  return true;
}

bool on_virtual_console(const Entry& e) {
  if (e.action != "respawn" || e.process.find("getty") == std::string::npos) return false;
  auto tty = e.process.rfind(" tty");
  return tty != std::string::npos && tty + 4 < e.process.size() && e.process[tty + 4] >= '0' &&
         e.process[tty + 4] <= '9';
}

}  // namespace

namespace mkjail {

std::string jail_inittab(std::string_view text) {
  std::string out;
  bool has_console = false, has_powerwait = false, has_keys = false;
  for (const auto& line : ljail::split(text, '\n')) {
    Entry e;
    bool ours = parse(line, e) && (e.id == "co" || e.id == "lj" || e.id == "lk");
    if (!ours && parse(line, e) && on_virtual_console(e)) {
      out += std::string(kMark) + line + "\n";
      continue;
    }
    if (!ours && parse(line, e) && e.action == "powerwait") {
      out += std::string(kMark) + line + "\n";
      continue;
    }
    if (parse(line, e) && e.id == "co") has_console = true;
    if (parse(line, e) && e.id == "lj") has_powerwait = true;
    if (parse(line, e) && e.id == "lk") has_keys = true;
    out += line + "\n";
  }
  while (out.size() >= 2 && out.substr(out.size() - 2) == "\n\n") out.pop_back();
  if (!has_console || !has_powerwait || !has_keys)
    out += "\n# Added by mkjail for ljail (exec.init=/sbin/init):\n";
  if (!has_console) out += "co:2345:respawn:/sbin/getty --noclear 38400 console\n";
  if (!has_powerwait) out += "lj::powerwait:/sbin/shutdown -h now\n";
  // mkjail removes the tree's ssh host keys: each jail makes its own at its first boot.
  if (!has_keys)
    out +=
        "lk::sysinit:/bin/sh -c 'test -x /usr/bin/ssh-keygen && /usr/bin/ssh-keygen -A || true'\n";
  return out;
}

}  // namespace mkjail
