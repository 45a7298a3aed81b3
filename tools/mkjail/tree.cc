#include "tree.h"

#include "inittab.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "sys/file.h"
#include "sys/mount.h"

namespace mkjail {

using ljail::Error;
using ljail::Ok;
using ljail::Result;
using ljail::UniqueFd;

namespace {

// nftw keeps no user pointer: the removal's bookkeeping lives here, set by remove_contents.
std::string g_top;
int g_failures = 0;
std::string g_first_failure;

int remove_entry(const char* path, const struct stat*, int type, struct FTW*) {
  if (g_top == path) return 0;  // the top is handled by the caller
  int r = (type == FTW_DP) ? ::rmdir(path) : ::unlink(path);
  if (r != 0 && errno != ENOENT) {
    if (g_failures++ == 0) g_first_failure = std::string(path) + ": " + std::strerror(errno);
  }
  return 0;
}

// Deletes everything below `dir`, staying on its file system and never following symlinks.
bool remove_contents(const std::string& dir) {
  g_top = dir;
  g_failures = 0;
  g_first_failure.clear();
  ::nftw(dir.c_str(), remove_entry, 64, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  return g_failures == 0;
}

// "\040" and friends in /proc/self/mountinfo fields.
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      int v = 0;
      bool ok = true;
      for (size_t k = 1; k <= 3; ++k) {
        char c = s[i + k];
        if (c < '0' || c > '7') ok = false;
        v = v * 8 + (c - '0');
      }
      if (ok) {
        out += static_cast<char>(v);
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// Mount points at or below `dir`, deepest first.
std::vector<std::string> mounts_under(const std::string& dir) {
  std::vector<std::string> out;
  auto text = ljail::sys::read_file("/proc/self/mountinfo");
  if (!text) return out;
  for (const auto& line : ljail::split(*text, '\n')) {
    auto f = ljail::split(line, ' ');
    if (f.size() < 5) continue;
    std::string mp = unescape(f[4]);
    if (mp == dir || mp.starts_with(dir + "/")) out.push_back(mp);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a > b; });
  return out;
}

bool is_empty_dir(const std::string& dir, bool* empty) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return false;
  *empty = true;
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
      *empty = false;
      break;
    }
  }
  ::closedir(d);
  return true;
}

// Replaces ROOT/rel with a new regular file holding `data`. The path is resolved inside the
// root, and a symlink at the last component is replaced, never followed.
Ok write_in_root(int rootfd, const std::string& rel, const std::string& data, mode_t mode) {
  auto slash = rel.rfind('/');
  auto parent =
      LJ_TRY(ljail::sys::open_in_root(rootfd, rel.substr(0, slash), O_PATH | O_DIRECTORY));
  std::string base = rel.substr(slash + 1);
  if (::unlinkat(parent.get(), base.c_str(), 0) != 0 && errno != ENOENT) {
    return Error::sys(errno, "removing /" + rel);
  }
  auto fd = LJ_TRY_CTX(
      ljail::sys::openat(parent.get(), base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode),
      "writing /" + rel);
  if (::fchmod(fd.get(), mode) != 0) return Error::sys(errno, "chmod /" + rel);
  LJ_TRY_CTX(ljail::sys::write_all(fd.get(), data), "writing /" + rel);
  return {};
}

bool exists_in_root(int rootfd, const std::string& rel, bool regular_only = false) {
  auto fd = ljail::sys::open_in_root(rootfd, rel, O_PATH | O_NOFOLLOW);
  if (!fd) return false;
  if (!regular_only) return true;
  auto st = ljail::sys::fstat(fd->get());
  return st && S_ISREG(st->st_mode);
}

// Deletes the files of directory ROOT/rel whose names pass `pick`.
void remove_matching(int rootfd, const std::string& rel, bool (*pick)(const char*)) {
  auto d = ljail::sys::open_in_root(rootfd, rel, O_RDONLY | O_DIRECTORY);
  if (!d) return;
  DIR* dp = ::fdopendir(::dup(d->get()));
  if (!dp) return;
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(dp)) {
    if (e->d_type != DT_DIR && pick(e->d_name)) names.emplace_back(e->d_name);
  }
  ::closedir(dp);
  for (const auto& n : names) ::unlinkat(d->get(), n.c_str(), 0);
}

bool is_host_key(const char* n) {
  return std::strncmp(n, "ssh_host_", 9) == 0;
}
bool is_deb(const char* n) {
  size_t l = std::strlen(n);
  return l > 4 && std::strcmp(n + l - 4, ".deb") == 0;
}
bool is_apt_list(const char* n) {
  return std::strcmp(n, "lock") != 0;
}

bool is_loopback(const std::string& addr) {
  return addr.starts_with("127.") || addr == "::1";
}

std::vector<std::string> nameservers(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& line : ljail::split(text, '\n')) {
    auto t = std::string(ljail::trim(line));
    if (!t.starts_with("nameserver")) continue;
    auto a = std::string(ljail::trim(t.substr(10)));
    if (!a.empty()) out.push_back(a);
  }
  return out;
}

// The host's resolv.conf with local stub resolvers replaced by their upstream servers.
std::string jail_resolv_conf() {
  auto host = ljail::sys::read_file("/etc/resolv.conf");
  if (!host) {
    std::fprintf(stderr, "mkjail: warning: cannot read /etc/resolv.conf: the jail gets none\n");
    return "";
  }
  std::string out = "# Written by mkjail from the host's /etc/resolv.conf.\n";
  bool upstream_done = false;
  int servers = 0;
  for (const auto& line : ljail::split(*host, '\n')) {
    std::string t(ljail::trim(line));
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (!t.starts_with("nameserver")) {
      out += t + "\n";
      continue;
    }
    std::string addr(ljail::trim(t.substr(10)));
    if (!is_loopback(addr)) {
      out += "nameserver " + addr + "\n";
      ++servers;
      continue;
    }
    // A stub such as systemd-resolved's 127.0.0.53 answers on the host's loopback only; in
    // the jail's own network stack nothing listens there.
    if (upstream_done) continue;
    upstream_done = true;
    std::vector<std::string> up;
    if (auto r = ljail::sys::read_file("/run/systemd/resolve/resolv.conf")) {
      for (const auto& a : nameservers(*r)) {
        if (!is_loopback(a)) up.push_back(a);
      }
    }
    if (up.empty()) {
      std::fprintf(stderr,
                   "mkjail: warning: the host's name server %s is a local stub resolver and "
                   "/run/systemd/resolve/resolv.conf names no upstream server: left out of the "
                   "jail's /etc/resolv.conf\n",
                   addr.c_str());
      continue;
    }
    for (const auto& a : up) {
      out += "nameserver " + a + "\n";
      ++servers;
    }
  }
  if (servers == 0) {
    std::fprintf(stderr, "mkjail: warning: the jail's /etc/resolv.conf names no name server\n");
  }
  return out;
}

std::string new_machine_id() {
  unsigned char b[16];
  ssize_t n = ::getrandom(b, sizeof(b), 0);
  if (n != static_cast<ssize_t>(sizeof(b))) return "";
  std::string out;
  char hex[3];
  for (unsigned char c : b) {
    std::snprintf(hex, sizeof(hex), "%02x", c);
    out += hex;
  }
  return out + "\n";
}

}  // namespace

Result<Claim> claim_dir(const std::string& dir, bool force) {
  struct stat st;
  if (::lstat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) return Error::sys(errno, dir);
    if (::mkdir(dir.c_str(), 0755) != 0) return Error::sys(errno, dir);
    return Claim::kCreated;
  }
  if (!S_ISDIR(st.st_mode)) return Error::with_code(ENOTDIR, dir + ": not a directory");
  bool empty = false;
  if (!is_empty_dir(dir, &empty)) return Error::sys(errno, dir);
  if (empty) return Claim::kWasEmpty;
  if (!force) {
    return Error::with_code(ENOTEMPTY,
                            dir + ": directory not empty (use --force to write into it)");
  }
  return Claim::kForced;
}

std::string release_dir(const std::string& dir, Claim claim) {
  if (claim == Claim::kForced) {
    return dir +
           " was not empty before (--force): it is left as it is; check it, or remove it "
           "with: rm -rf --one-file-system " +
           dir;
  }
  std::string stuck;
  for (const auto& m : mounts_under(dir)) {
    if (m == dir) continue;
    if (!ljail::sys::umount2(m, MNT_DETACH)) stuck += " " + m;
  }
  if (!stuck.empty()) {
    return dir + " is left: mounts under it could not be detached:" + stuck;
  }
  bool ok = remove_contents(dir);
  if (!ok) {
    return dir + " is left partly removed (" + g_first_failure + "); remove it with: rm -rf " +
           "--one-file-system " + dir;
  }
  if (claim == Claim::kCreated && ::rmdir(dir.c_str()) != 0 && errno != ENOENT) {
    return dir + " is left (empty): " + std::strerror(errno);
  }
  return "";
}

Ok scrub_tree(const std::string& dir) {
  auto root = LJ_TRY(ljail::sys::open(dir, O_PATH | O_DIRECTORY));
  remove_matching(root.get(), "var/cache/apt/archives", is_deb);
  remove_matching(root.get(), "var/cache/apt", is_deb);  // pkgcache.bin is not a .deb: kept
  remove_matching(root.get(), "var/lib/apt/lists", is_apt_list);
  remove_matching(root.get(), "etc/ssh", is_host_key);
  return {};
}

bool has_sshd(const std::string& dir) {
  auto root = ljail::sys::open(dir, O_PATH | O_DIRECTORY);
  return root && exists_in_root(root->get(), "usr/sbin/sshd");
}

long long file_size(const std::string& path) {
  auto st = ljail::sys::stat(path);
  return st ? static_cast<long long>(st->st_size) : -1;
}

Ok personalize(const std::string& dir, const Personal& p) {
  auto root = LJ_TRY(ljail::sys::open(dir, O_PATH | O_DIRECTORY));
  int r = root.get();
  LJ_TRY(write_in_root(r, "etc/hostname", p.hostname + "\n", 0644));

  std::string shortname = p.hostname.substr(0, p.hostname.find('.'));
  std::string names = p.hostname == shortname ? p.hostname : p.hostname + " " + shortname;
  std::string hosts = "127.0.0.1\tlocalhost\n";
  if (p.ip4.empty()) {
    hosts += "127.0.1.1\t" + names + "\n";
  } else {
    for (const auto& spec : p.ip4) {
      std::string a = spec.substr(spec.find('|') == std::string::npos ? 0 : spec.find('|') + 1);
      hosts += a.substr(0, a.find('/')) + "\t" + names + "\n";
    }
  }
  hosts +=
      "\n# The following lines are desirable for IPv6 capable hosts\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "ff02::1\tip6-allnodes\n"
      "ff02::2\tip6-allrouters\n";
  LJ_TRY(write_in_root(r, "etc/hosts", hosts, 0644));

  std::string resolv = jail_resolv_conf();
  if (!resolv.empty()) LJ_TRY(write_in_root(r, "etc/resolv.conf", resolv, 0644));

  // One machine id per jail, not the one baked into the cache.
  for (const char* f : {"etc/machine-id", "var/lib/dbus/machine-id"}) {
    if (!exists_in_root(r, f, true)) continue;
    std::string id = new_machine_id();
    if (!id.empty()) LJ_TRY(write_in_root(r, f, id, 0444));
  }
  remove_matching(r, "etc/ssh", is_host_key);
  if (exists_in_root(r, "etc/inittab", true)) {
    auto f = LJ_TRY(ljail::sys::open_in_root(r, "etc/inittab", O_RDONLY | O_NOFOLLOW));
    auto text = LJ_TRY(ljail::sys::read_all(f.get()));
    LJ_TRY(write_in_root(r, "etc/inittab", jail_inittab(text), 0644));
  }
  return {};
}

}  // namespace mkjail
