#include "host/command.h"

#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "base/strings.h"
#include "host/passwd.h"
#include "sys/file.h"
#include "sys/ids.h"
#include "sys/proc.h"

namespace ljail::host {

namespace {

constexpr std::string_view kShellChars = "!\"$&'()*;<>?[\\]`{|}~";

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

}  // namespace

CommandLine parse_command(std::string_view text) {
  CommandLine out;
  std::string_view body = trim(text);
  size_t special = body.find_first_of(kShellChars);
  if (special == body.size() - 1 && body.back() == '&') {
    out.background = true;
    out.argv = words(body.substr(0, body.size() - 1));
    return out;
  }
  if (special != std::string_view::npos) {
    out.argv = {"/bin/sh", "-c", std::string(text)};
    return out;
  }
  out.argv = words(body);
  return out;
}

std::string describe_status(int status) {
  if (WIFSIGNALED(status)) return "exited on signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  return "failed";
}

Result<int> run_host_command(const CommandLine& cmd, const std::vector<std::string>& env,
                             const std::string& user, int timeout, const std::string& cwd) {
  if (cmd.argv.empty()) return 0;
  std::optional<Account> account;
  std::vector<gid_t> groups;
  if (!user.empty()) {
    account = find_account(LJ_TRY(sys::read_file("/etc/passwd")), user);
    if (!account) return Error::not_found("unknown user " + user);
    groups = groups_of(sys::read_file("/etc/group").value_or(""), user, account->gid);
  }
  auto child = LJ_TRY(sys::clone3(0));
  if (child.pid == 0) {
    if (cmd.background) ::setsid();
    if (account && !sys::set_credentials(account->uid, account->gid, groups)) ::_exit(126);
    if (!cwd.empty() && ::chdir(cwd.c_str()) < 0) ::_exit(126);
    (void)sys::close_range_from(3);
    Error failed = sys::exec_with_env(cmd.argv, env);
    std::string msg = "jail: " + failed.message() + "\n";
    (void)!::write(2, msg.data(), msg.size());
    ::_exit(127);
  }
  if (cmd.background) return 0;
  if (!sys::wait_exit(child.pidfd.get(), timeout > 0 ? timeout * 1000 : -1)) {
    return Error::with_code(ETIMEDOUT, "timed out");
  }
  return sys::waitpid(child.pid);
}

}  // namespace ljail::host
