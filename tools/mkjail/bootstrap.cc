#include "bootstrap.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <deque>
#include <map>

#include "base/strings.h"
#include "spawn.h"
#include "sys/file.h"

namespace mkjail {

using ljail::Error;
using ljail::Ok;

namespace {

using Clock = std::chrono::steady_clock;

// debootstrap prints one "I: Verb package ..." line per package and step. On a terminal the
// latest is shown on one rewritten line with a count; otherwise one line per phase.
class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet), tty_(::isatty(STDERR_FILENO) == 1) {}

  void line(std::string_view l) {
    tail_.emplace_back(l);
    if (tail_.size() > 12) tail_.pop_front();
    if (l.starts_with("E: ") || l.starts_with("W: ")) {
      clear();
      std::fprintf(stderr, "mkjail: debootstrap: %.*s\n", static_cast<int>(l.size()), l.data());
      return;
    }
    if (quiet_ || !l.starts_with("I: ")) return;
    std::string_view text = l.substr(3);
    std::string verb(text.substr(0, text.find(' ')));
    if (verb == "Validating") verb = "Retrieving";  // one download phase, not two
    int n = ++counts_[verb];
    long secs = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start_).count();
    if (tty_) {
      std::string shown(text.substr(0, 60));
      std::fprintf(stderr, "\r\033[Kmkjail: [%3lds] %s%s", secs, shown.c_str(),
                   n > 1 ? (" (" + std::to_string(n) + ")").c_str() : "");
      std::fflush(stderr);
      dirty_ = true;
    } else if (verb != last_verb_) {
      std::fprintf(stderr, "mkjail: [%3lds] %.*s\n", secs, static_cast<int>(text.size()),
                   text.data());
      last_print_ = secs;
    } else if (secs - last_print_ >= 10) {
      // A long phase still shows that it moves.
      std::fprintf(stderr, "mkjail: [%3lds] %s: %d so far\n", secs, verb.c_str(), n);
      last_print_ = secs;
    }
    last_verb_ = verb;
  }

  void clear() {
    if (dirty_) std::fputs("\r\033[K", stderr);
    dirty_ = false;
  }

  const std::deque<std::string>& tail() const { return tail_; }

 private:
  bool quiet_;
  bool tty_;
  bool dirty_ = false;
  Clock::time_point start_ = Clock::now();
  std::string last_verb_;
  long last_print_ = 0;
  std::map<std::string, int> counts_;
  std::deque<std::string> tail_;
};

// The last lines of debootstrap's own log in the target (it has dpkg's messages).
std::string log_tail(const std::string& dir, size_t lines) {
  auto text = ljail::sys::read_file(dir + "/debootstrap/debootstrap.log");
  if (!text) return "";
  auto all = ljail::split(*text, '\n');
  while (!all.empty() && all.back().empty()) all.pop_back();
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    out += "    " + all[i] + "\n";
  }
  return out;
}

}  // namespace

Ok debootstrap(const Options& o, const std::string& program) {
  Command c;
  c.argv = {program, "--variant=" + o.variant};
  if (!o.include.empty()) c.argv.push_back("--include=" + ljail::join(o.include, ","));
  if (!o.exclude.empty()) c.argv.push_back("--exclude=" + ljail::join(o.exclude, ","));
  c.argv.insert(c.argv.end(), {o.suite, o.dir, o.mirror});
  Progress progress(o.quiet);
  c.on_line = [&progress](std::string_view l) { progress.line(l); };
  auto rc = run(c);
  progress.clear();
  if (!rc) return ljail::fail(std::move(rc.error()));
  if (interrupted()) return Error::with_code(EINTR, "interrupted");
  if (*rc == 0) return {};
  std::string detail = log_tail(o.dir, 8);
  if (detail.empty()) {
    for (const auto& l : progress.tail()) detail += "    " + l + "\n";
  }
  std::fprintf(stderr, "mkjail: debootstrap exited %d; its last output:\n%s", *rc, detail.c_str());
  return Error::with_code(EIO, "debootstrap " + o.suite + " from " + o.mirror + " failed");
}

}  // namespace mkjail
