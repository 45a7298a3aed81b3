#include "cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>

#include "base/strings.h"
#include "spawn.h"
#include "sys/file.h"

namespace mkjail {

using ljail::Error;
using ljail::Ok;
using ljail::Result;

namespace {

std::string arch() {
  struct utsname u;
  if (::uname(&u) != 0) return "unknown";
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m == "i686" || m == "i586" || m == "i386") return "i386";
  if (m == "ppc64le") return "ppc64el";
  if (m.starts_with("armv7")) return "armhf";
  return m;
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

const char* const kTarFlags[] = {"--numeric-owner", "--xattrs", "--xattrs-include=*", "--acls"};

Result<std::string> need(const char* prog) {
  auto p = find_program(prog);
  if (!p) {
    return Error::not_found(std::string(prog) + " not found: install it (apt-get install " + prog +
                            ")");
  }
  return *p;
}

}  // namespace

std::string cache_description(const Options& o) {
  return "suite=" + o.suite + "\nmirror=" + o.mirror + "\nvariant=" + o.variant +
         "\narch=" + arch() + "\ninclude=" + ljail::join(o.include, ",") +
         "\nexclude=" + ljail::join(o.exclude, ",") + "\n";
}

std::string cache_path(const Options& o) {
  char hash[17];
  std::snprintf(hash, sizeof(hash), "%016" PRIx64, fnv1a(cache_description(o)));
  return o.cache_dir + "/" + o.suite + "-" + o.variant + "-" + arch() + "-" +
         std::string(hash, 12) + ".tar.zst";
}

Result<ljail::UniqueFd> lock_cache_entry(const std::string& path, bool quiet) {
  // One lock for the directory: builds of different entries wait for each other too, but no
  // lock file per entry is left behind.
  std::string lock = path.substr(0, path.rfind('/')) + "/.lock";
  auto fd = LJ_TRY(ljail::sys::open(lock, O_RDWR | O_CREAT, 0644));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return fd;
  if (!quiet) {
    std::fprintf(stderr, "mkjail: waiting for another mkjail using the cache %s\n", lock.c_str());
  }
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR || interrupted()) return Error::sys(errno, "locking " + lock);
  }
  return fd;
}

Ok pack(const std::string& dir, const std::string& path, const std::string& description) {
  std::string tar = LJ_TRY(need("tar"));
  LJ_TRY(need("zstd"));
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  Command c;
  c.argv = {tar, "-C", dir};
  for (const char* f : kTarFlags) c.argv.emplace_back(f);
  // zstd on all cores, level 3: about 2 s for a 550 MB tree.
  c.argv.insert(c.argv.end(), {"--use-compress-program=zstd -T0 -3 -q", "-cf", tmp, "."});
  auto rc = run(c);
  if (!rc || *rc != 0) {
    ::unlink(tmp.c_str());
    if (!rc) return ljail::fail(std::move(rc.error()));
    return Error::with_code(
        EIO, "tar of " + dir + " into " + tmp + " failed (exit " + std::to_string(*rc) + ")");
  }
  if (interrupted()) {
    ::unlink(tmp.c_str());
    return Error::with_code(EINTR, "interrupted");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error::sys(e, "renaming " + tmp);
  }
  std::string txt = path.substr(0, path.size() - 8) + ".txt";
  (void)ljail::sys::write_file_atomic(txt, description, 0644);
  return {};
}

Ok unpack(const std::string& path, const std::string& dir) {
  std::string tar = LJ_TRY(need("tar"));
  if (path.ends_with(".zst")) LJ_TRY(need("zstd"));
  Command c;
  c.argv = {tar, "-C", dir};
  for (const char* f : kTarFlags) c.argv.emplace_back(f);
  c.argv.insert(c.argv.end(), {"-xpf", path});
  auto rc = LJ_TRY(run(c));
  if (interrupted()) return Error::with_code(EINTR, "interrupted");
  if (rc != 0) {
    return Error::with_code(EIO,
                            "unpacking " + path + " failed (tar exit " + std::to_string(rc) + ")");
  }
  return {};
}

}  // namespace mkjail
