#include "host/fstab.h"

#include <sys/mount.h>

#include "base/strings.h"

namespace ljail::host {

namespace {

std::vector<std::string> fields(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.emplace_back(line.substr(start, i - start));
  }
  return out;
}

// "/a/./b//c" -> "a/b/c"; ".." refused (the target must stay inside the root).
Result<std::string> clean_relative(std::string_view path, std::string_view line) {
  std::vector<std::string> parts;
  for (const auto& p : split(path, '/')) {
    if (p.empty() || p == ".") continue;
    if (p == "..") return Error::invalid("mount: " + std::string(line) + ": \"..\" in mount point");
    parts.push_back(p);
  }
  return join(parts, "/");
}

}  // namespace

Result<child::MountEntry> parse_fstab_line(std::string_view line, const std::string& jail_path) {
  using Kind = child::MountEntry::Kind;
  auto f = fields(line);
  std::string text(trim(line));
  if (f.size() < 3) return Error::invalid("mount: " + text + ": malformed fstab line");
  child::MountEntry m;
  m.line = text;
  const std::string& type = f[2];
  if (type == "nullfs" || type == "bind") {
    m.kind = Kind::Bind;
  } else if (type == "procfs" || type == "linprocfs" || type == "proc") {
    m.kind = Kind::Proc;
  } else if (type == "linsysfs" || type == "sysfs") {
    m.kind = Kind::Sysfs;
  } else if (type == "tmpfs") {
    m.kind = Kind::Tmpfs;
  } else if (type == "devfs") {
    m.kind = Kind::Devfs;
  } else {
    return Error::invalid("mount: " + text + ": unsupported file system type " + type);
  }
  if (m.kind == Kind::Bind) {
    if (f[0].empty() || f[0][0] != '/') {
      return Error::invalid("mount: " + text + ": " + f[0] + ": not an absolute pathname");
    }
    m.source = f[0];
  }
  // The mount point: FreeBSD writes the host path of the jail's directory.
  std::string_view point = f[1];
  std::string root = jail_path;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (!point.empty() && point[0] == '/') {
    if (point != root && !starts_with(point, root == "/" ? "/" : root + "/")) {
      return Error::invalid("mount: " + text + ": " + std::string(point) +
                            " is not under the jail path " + root);
    }
    point.remove_prefix(root == "/" ? 0 : root.size());
  }
  m.target = LJ_TRY(clean_relative(point, text));
  if (m.target.empty())
    return Error::invalid("mount: " + text + ": cannot mount over the jail root");
  if (f.size() > 3) {
    for (const auto& o : split(f[3], ',')) {
      if (o == "ro" || o == "rdonly") {
        m.readonly = true;
      } else if (o == "rw" || o == "defaults" || o == "auto" || o == "noauto" || o == "late" ||
                 o.empty()) {
        continue;
      } else if (o == "nosuid") {
        m.attrs |= MOUNT_ATTR_NOSUID;
      } else if (o == "nodev") {
        m.attrs |= MOUNT_ATTR_NODEV;
      } else if (o == "noexec") {
        m.attrs |= MOUNT_ATTR_NOEXEC;
      } else if (o == "noatime") {
        m.attrs |= MOUNT_ATTR_NOATIME;
      } else if (m.kind == Kind::Tmpfs) {
        auto eq = o.find('=');
        m.fs_options.emplace_back(o.substr(0, eq), eq == std::string::npos ? "" : o.substr(eq + 1));
      } else {
        return Error::invalid("mount: " + text + ": unsupported option " + o);
      }
    }
  }
  return m;
}

std::vector<std::string> fstab_lines(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& raw : split(text, '\n')) {
    std::string_view l = raw;
    if (auto hash = l.find('#'); hash != std::string_view::npos) l = l.substr(0, hash);
    l = trim(l);
    if (!l.empty()) out.emplace_back(l);
  }
  return out;
}

}  // namespace ljail::host
