#include "base/signals.h"

#include <signal.h>

#include <array>
#include <tuple>
#include <utility>

#include "base/strings.h"

namespace ljail {

namespace {

constexpr std::array<std::pair<std::string_view, int>, 31> kNames = {{
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
}};

}  // namespace

std::optional<int> parse_signal(std::string_view text) {
  if (auto n = parse_int(text)) {
    if (*n > 0 && *n <= SIGRTMAX) return static_cast<int>(*n);
    return std::nullopt;
  }
  if (text.substr(0, 3) == "SIG") text.remove_prefix(3);
  for (const auto& [name, sig] : kNames) {
    if (text == name) return sig;
  }
  for (auto [prefix, base, dir] : {std::tuple{std::string_view("RTMIN"), SIGRTMIN, 1},
                                   std::tuple{std::string_view("RTMAX"), SIGRTMAX, -1}}) {
    if (text.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = text.substr(prefix.size());
    int64_t offset = 0;
    if (!rest.empty()) {
      if (rest[0] != (dir > 0 ? '+' : '-')) return std::nullopt;
      auto n = parse_int(rest.substr(1));
      if (!n || *n < 0) return std::nullopt;
      offset = *n;
    }
    int sig = base + dir * static_cast<int>(offset);
    if (sig < SIGRTMIN || sig > SIGRTMAX) return std::nullopt;
    return sig;
  }
  return std::nullopt;
}

}  // namespace ljail
