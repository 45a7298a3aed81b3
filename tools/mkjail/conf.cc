#include "conf.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "base/strings.h"
#include "sys/file.h"

namespace mkjail {

using ljail::Error;
using ljail::Ok;

namespace {

// A jail.conf string: the values mkjail writes are validated words, paths and addresses, but a
// path may hold anything.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\' || c == '$') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string conf_block(const Options& o, bool sshd) {
  std::string b = "# Made by mkjail: " + o.suite + " (" + o.variant + ") in " + o.dir + ".\n";
  b += o.name + " {\n";
  b += "\tpath = " + quote(o.dir) + ";\n";
  b += "\thost.hostname = " + quote(o.hostname) + ";\n";
  if (!o.ip4.empty()) b += "\tip4.addr = " + quote(ljail::join(o.ip4, ",")) + ";\n";
  b += "\tmount.devfs;\n";
  b += "\texec.clean;\n";
  if (o.init == Init::kSysvinit) {
    std::string start = "/etc/init.d/rc S && /etc/init.d/rc 2";
    // Each jail makes its own ssh host keys; the cache holds none. ssh-keygen -A only makes
    // the missing ones, so this costs nothing after the first boot.
    if (sshd) start = "/usr/bin/ssh-keygen -A; " + start;
    b += "\texec.start = " + quote(start) + ";\n";
    b += "\texec.stop = " + quote("/etc/init.d/rc 0") + ";\n";
  } else {
    b += "\t# systemd needs to run as the jail's PID 1, which ljail's rc-style boot does not do;\n";
    b += "\t# until ljail can boot a distribution's own init, this jail only persists.\n";
    b += "\tpersist;\n";
  }
  b += "\tstop.timeout = 30;\n";
  b += "}\n";
  return b;
}

Ok write_conf(const Options& o, const std::string& block) {
  std::error_code ec;
  std::filesystem::path p(o.conf_file);
  if (std::filesystem::exists(p, ec) && !o.force) {
    return Error::exists(o.conf_file + ": already exists (use --force to replace it)");
  }
  if (p.has_parent_path()) {
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) return Error::sys(ec.value(), "creating " + p.parent_path().string());
  }
  LJ_TRY_CTX(ljail::sys::write_file_atomic(o.conf_file, block, 0644), "writing " + o.conf_file);
  return {};
}

bool jail_conf_includes_dir() {
  auto text = ljail::sys::read_file("/etc/jail.conf");
  if (!text) return false;
  for (const auto& line : ljail::split(*text, '\n')) {
    auto t = ljail::trim(line);
    if (t.starts_with(".include") && t.find("/etc/jail.conf.d/") != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace mkjail
