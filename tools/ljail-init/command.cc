#include "command.h"

#include <fcntl.h>         // F_DUPFD_CLOEXEC: constants only
#include <linux/limits.h>  // PATH_MAX, NAME_MAX
#include <signal.h>        // SIG_SETMASK
#include <sys/ioctl.h>     // TCGETS

#include "channel.h"

namespace ljail::init {

namespace raw = sys::raw;

namespace {

// Every field of a RUN message is two bytes at least ("0:"), so a message of kMaxMessage bytes
// has fewer than kMaxMessage / 2 of them: argv, envp and the script's argv, each with its null,
// fit in kMaxPointers, the strings with their NULs in kMaxStrings. Static and untouched until
// used: a page costs only once a command's fields reach it.
constexpr size_t kMaxPointers = kMaxMessage + 8;
constexpr size_t kMaxStrings = kMaxMessage + kMaxMessage / 2;
char* g_pointers[kMaxPointers];
char g_strings[kMaxStrings];
uint32_t g_groups[kMaxMessage / 2];

class Arena {
 public:
  char* string(std::string_view s) {
    char* out = g_strings + used_;
    for (size_t i = 0; i < s.size(); ++i) out[i] = s[i];
    out[s.size()] = '\0';
    used_ += s.size() + 1;
    return out;
  }
  char** list(size_t n, std::string_view region) {
    char** out = g_pointers + pointers_;
    child::wire::Reader r(region);
    std::string_view f;
    for (size_t i = 0; i < n && r.field(f); ++i) out[i] = string(f);
    out[n] = nullptr;
    pointers_ += n + 1;
    return out;
  }
  char** reserve(size_t n) {
    char** out = g_pointers + pointers_;
    pointers_ += n;
    return out;
  }

 private:
  size_t used_ = 0;
  size_t pointers_ = 0;
};

[[noreturn]] void die(const Command& c, const Status& s) {
  Text<600> m;
  m << c.program << ": " << s.text() << "\n";
  (void)write_all(2, m.view());
  raw::exit(126);
}

std::string_view env_path(char* const* envp) {
  for (; *envp != nullptr; ++envp) {
    std::string_view e(*envp);
    if (e.starts_with("PATH=")) return e.substr(5);
  }
  return "/bin:/usr/bin";  // glibc's default (confstr _CS_PATH)
}

// execve(), and a file the kernel cannot execute (no #!) given to /bin/sh, as execvp(3) does.
long try_exec(const Command& c, const char* file) {
  long r = raw::execve(file, c.argv, c.envp);
  if (r != -ENOEXEC) return r;
  c.script_argv[0] = const_cast<char*>("/bin/sh");
  c.script_argv[1] = const_cast<char*>(file);
  for (size_t i = 1; i <= c.argc; ++i) c.script_argv[i + 1] = c.argv[i];
  raw::execve(c.script_argv[0], c.script_argv, c.envp);
  return r;
}

// execvp(3)'s search: the first PATH entry that executes; EACCES if any entry refused it,
// otherwise the last error of a missing entry; any other error at once.
long exec_search(const Command& c) {
  std::string_view file(c.argv[0]);
  if (file.empty()) return -ENOENT;
  if (file.find('/') != std::string_view::npos) return try_exec(c, c.argv[0]);
  if (file.size() > NAME_MAX) return -ENAMETOOLONG;
  std::string_view path = env_path(c.envp);
  bool eacces = false;
  long last = -ENOENT;
  while (true) {
    size_t colon = path.find(':');
    std::string_view dir = path.substr(0, colon);
    Text<PATH_MAX + NAME_MAX + 2> full;
    if (!dir.empty()) full << dir << "/";
    full << file;
    if (!full.full()) {
      last = try_exec(c, full.c_str());
      if (last == -EACCES) {
        eacces = true;
      } else if (last != -ENOENT && last != -ESTALE && last != -ENOTDIR && last != -ENODEV &&
                 last != -ETIMEDOUT) {
        return last;
      }
    }
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return eacces ? -EACCES : last;
}

}  // namespace

Command prepare(const child::wire::RunView& run) {
  Arena a;
  Command c;
  c.argc = run.argc;
  c.argv = a.list(run.argc, run.argv);
  c.envp = a.list(run.envc, run.env);
  c.script_argv = a.reserve(run.argc + 2);
  c.uid = run.uid;
  c.gid = run.gid;
  child::wire::Reader g(run.groups);
  for (size_t i = 0; i < run.ngroups && g.id(g_groups[i]); ++i) {
  }
  c.groups = g_groups;
  c.ngroups = run.ngroups;
  c.cwd = a.string(run.cwd);
  c.program = std::string_view(a.string(run.program), run.program.size());
  c.background = run.background;
  return c;
}

void exec_command(const Command& c, const int fds[3]) {
  const uint64_t none = 0;
  raw::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Moved up out of the way first: the init has no stdio, so they may arrive as 0-2 in any
  // order.
  int high[3];
  for (int i = 0; i < 3; ++i) {
    long r = raw::fcntl(fds[i], F_DUPFD_CLOEXEC, 10);
    if (r < 0) die(c, Status::sys(r, "F_DUPFD"));
    high[i] = static_cast<int>(r);
  }
  for (int i = 0; i < 3; ++i) {
    if (long r = raw::dup3(high[i], i); r < 0) die(c, Status::sys(r, "dup2"));
  }
  char termios[64];
  if (c.background || raw::ioctl(0, TCGETS, termios) < 0) raw::setsid();
  if (long r = raw::setgroups(c.ngroups, c.groups); r < 0) die(c, Status::sys(r, "setgroups"));
  if (long r = raw::setresgid(c.gid); r < 0) die(c, Status::sys(r, "setresgid"));
  if (long r = raw::setresuid(c.uid); r < 0) die(c, Status::sys(r, "setresuid"));
  raw::close_range(3, ~0U);
  if (long r = raw::chdir(c.cwd); r < 0) die(c, Status::sys(r, c.cwd));
  Text<PATH_MAX + 8> op;
  op << "exec " << c.argv[0];
  die(c, Status::sys(exec_search(c), op.view()));
}

}  // namespace ljail::init
