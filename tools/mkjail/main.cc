// mkjail(8): bootstrap a Debian system into a directory with debootstrap, ready to run as a
// jail, and print (or write) the jail.conf block that boots it.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "base/result.h"
#include "bootstrap.h"
#include "cache.h"
#include "conf.h"
#include "options.h"
#include "spawn.h"
#include "sys/file.h"
#include "tree.h"

namespace {

using Clock = std::chrono::steady_clock;
using mkjail::Options;

Clock::time_point g_start = Clock::now();

int warn(const std::string& msg) {
  std::fprintf(stderr, "mkjail: %s\n", msg.c_str());
  return 1;
}

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void note(const Options& o, const std::string& msg) {
  if (!o.quiet) std::fprintf(stderr, "mkjail: %s\n", msg.c_str());
}

std::string megabytes(long long bytes) {
  return std::to_string((bytes + (1 << 19)) >> 20) + " MB";
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f s", s);
  return buf;
}

// Programs run by debootstrap (chroot, mount) live in sbin; dpkg's scripts in the new tree
// should not see the caller's locale, which the tree does not have.
void prepare_environment() {
  const char* path = std::getenv("PATH");
  std::string p = path && *path ? path : "/usr/bin:/bin";
  for (const char* d : {"/usr/sbin", "/sbin"}) {
    if ((":" + p + ":").find(std::string(":") + d + ":") == std::string::npos)
      p += ":" + std::string(d);
  }
  ::setenv("PATH", p.c_str(), 1);
  ::setenv("LC_ALL", "C", 1);
  ::unsetenv("LANGUAGE");
  ::setenv("DEBIAN_FRONTEND", "noninteractive", 1);
}

// Fills o.dir from the tarball, the cache or debootstrap.
ljail::Ok make_tree(const Options& o, const std::string& debootstrap_prog, bool cache_ok) {
  if (!o.from_tarball.empty()) {
    note(o, "unpacking " + o.from_tarball + " into " + o.dir);
    auto t = Clock::now();
    LJ_TRY(mkjail::unpack(o.from_tarball, o.dir));
    note(o, "unpacked in " + seconds(since(t)));
    return {};
  }
  std::string cache = mkjail::cache_path(o);
  ljail::UniqueFd lock;
  if (cache_ok) {
    auto l = mkjail::lock_cache_entry(cache, o.quiet);
    if (l) {
      lock = std::move(*l);
    } else {
      warn("warning: " + l.error().message() + ": not using the cache");
      cache_ok = false;
    }
  }
  if (cache_ok && !o.refresh_cache && mkjail::file_size(cache) > 0) {
    note(o, "unpacking the cached " + o.suite + " tree " + cache + " into " + o.dir);
    auto t = Clock::now();
    LJ_TRY(mkjail::unpack(cache, o.dir));
    note(o, "unpacked in " + seconds(since(t)));
    return {};
  }
  note(o, "bootstrapping " + o.suite + " (" + o.variant + ") from " + o.mirror + " into " + o.dir);
  auto t = Clock::now();
  LJ_TRY(mkjail::debootstrap(o, debootstrap_prog));
  note(o, "debootstrap done in " + seconds(since(t)));
  LJ_TRY_CTX(mkjail::scrub_tree(o.dir), "cleaning " + o.dir);
  if (cache_ok) {
    note(o, "saving the tree to the cache " + cache);
    t = Clock::now();
    auto p = mkjail::pack(o.dir, cache, mkjail::cache_description(o));
    if (!p) {
      if (mkjail::interrupted()) return ljail::fail(std::move(p.error()));
      warn("warning: " + p.error().message() + ": the tree is not cached");
    } else {
      note(o, "cached (" + megabytes(mkjail::file_size(cache)) + ") in " + seconds(since(t)));
    }
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = mkjail::parse_options(argc, argv);
  if (!parsed) return warn(parsed.error().message());
  Options o = std::move(*parsed);
  if (::geteuid() != 0) return warn("must be run as root");
  mkjail::install_interrupt_handlers();
  prepare_environment();

  // Everything that can be checked is checked before the directory is touched.
  std::string debootstrap_prog;
  bool cache_ok = o.use_cache && o.from_tarball.empty();
  if (o.from_tarball.empty()) {
    bool cached = cache_ok && !o.refresh_cache && mkjail::file_size(mkjail::cache_path(o)) > 0;
    if (!cached) {
      auto p = mkjail::find_program("debootstrap");
      if (!p) {
        return warn(
            "debootstrap not found: install it (apt-get install debootstrap), or give "
            "--from-tarball");
      }
      debootstrap_prog = *p;
    }
  } else {
    auto st = ljail::sys::stat(o.from_tarball);
    if (!st) return warn(o.from_tarball + ": " + std::strerror(st.error().code()));
    if (!S_ISREG(st->st_mode)) return warn(o.from_tarball + ": not a regular file");
  }
  for (const char* prog : {"tar", "zstd"}) {
    if (!mkjail::find_program(prog)) {
      return warn(std::string(prog) + " not found: install it (apt-get install " + prog + ")");
    }
  }
  std::string parent = std::filesystem::path(o.dir).parent_path().string();
  if (auto st = ljail::sys::stat(parent); !st || !S_ISDIR(st->st_mode)) {
    return warn(parent + ": no such directory");
  }
  if (cache_ok) {
    std::error_code ec;
    std::filesystem::create_directories(o.cache_dir, ec);
    if (ec) {
      warn("warning: cannot create the cache directory " + o.cache_dir + ": " + ec.message() +
           ": not using the cache");
      cache_ok = false;
    }
  }
  if (o.write_conf && !o.force && ljail::sys::stat(o.conf_file)) {
    return warn(o.conf_file + ": already exists (use --force to replace it)");
  }

  auto claim = mkjail::claim_dir(o.dir, o.force);
  if (!claim) return warn(claim.error().message());
  auto undo = [&](const ljail::Error& e) {
    warn(e.message());
    std::string left = mkjail::release_dir(o.dir, *claim);
    if (!left.empty()) return warn(left);
    if (*claim == mkjail::Claim::kCreated) note(o, "removed " + o.dir);
    if (*claim == mkjail::Claim::kWasEmpty) note(o, "emptied " + o.dir + " again");
    return 1;
  };

  if (auto r = make_tree(o, debootstrap_prog, cache_ok); !r) return undo(r.error());
  if (mkjail::interrupted()) return undo(ljail::Error::with_code(EINTR, "interrupted"));

  mkjail::Personal p{o.hostname, o.ip4};
  if (auto r = mkjail::personalize(o.dir, p); !r) {
    r.error().add_context("configuring " + o.dir);
    return undo(r.error());
  }
  bool sshd = mkjail::has_sshd(o.dir);
  if (o.init == mkjail::Init::kSystemd) {
    warn(
        "warning: ljail cannot boot systemd yet; the jail.conf block only makes a persistent "
        "jail");
  }
  std::string block = mkjail::conf_block(o, sshd);
  if (o.write_conf) {
    if (auto r = mkjail::write_conf(o, block); !r) return undo(r.error());
    note(o, "wrote " + o.conf_file);
    if (o.conf_file.starts_with("/etc/jail.conf.d/") && !mkjail::jail_conf_includes_dir()) {
      note(o,
           "/etc/jail.conf does not include /etc/jail.conf.d/*.conf: start the jail with "
           "\"jail -f " +
               o.conf_file + " -c " + o.name + "\"");
    }
  } else {
    std::fputs(block.c_str(), stdout);
    std::fflush(stdout);
  }
  note(o, o.dir + ": ready in " + seconds(since(g_start)));
  return 0;
}
