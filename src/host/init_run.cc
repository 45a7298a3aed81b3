#include "host/init_run.h"

#include <fcntl.h>

#include <cerrno>
#include <chrono>

#include "child/plan_codec.h"
#include "child/protocol.h"
#include "sys/file.h"
#include "sys/proc.h"

namespace ljail::host {

using Clock = std::chrono::steady_clock;

bool init_runs_commands(const Running& r) {
  return r.sock.valid() && r.state.params.get_string("exec.init").empty();
}

Result<long> send_run(Running& r, const AttachSpec& spec, bool then_release) {
  child::RunSpec run;
  run.argv = spec.argv;
  run.env = spec.env;
  run.uid = spec.id.uid;
  run.gid = spec.id.gid;
  run.groups = spec.id.groups;
  run.cwd = spec.cwd;
  run.background = spec.background;
  run.program = spec.program;
  run.release_after = then_release;
  // The command's stdio: ours (a closed one becomes /dev/null), stdout and stderr to the
  // console log when there is one.
  std::vector<UniqueFd> opened;
  std::vector<int> stdio;
  for (int fd = 0; fd < 3; ++fd) {
    int use = fd > 0 && spec.output_fd >= 0 ? spec.output_fd : fd;
    if (!sys::fstat(use)) {
      opened.push_back(LJ_TRY(sys::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)));
      use = opened.back().get();
    }
    stdio.push_back(use);
  }
  long tag = r.commands + 1;
  std::string message = child::encode(child::Msg::Run, tag) + " " + child::encode_run(run);
  if (message.size() > sys::kMaxMessage) {
    return Error::with_code(E2BIG, "the command and its environment: too long for the init");
  }
  ++r.commands;
  LJ_TRY(sys::send_msg(r.sock.get(), message, stdio));
  r.released = then_release;
  return tag;
}

Result<int> await_exit(const Registry& reg, Running& r, long tag, int timeout) {
  LJ_TRY(record_jail(reg, r));
  std::string text = std::to_string(tag);
  auto deadline = Clock::now() + std::chrono::seconds(timeout);
  while (true) {
    if (timeout > 0) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0 || !sys::wait_readable(r.sock.get(), static_cast<int>(left))) {
        return Error::with_code(ETIMEDOUT, "timed out");
      }
    }
    auto m = LJ_TRY(sys::recv_msg(r.sock.get()));
    if (m.eof) return Error::invalid("the jail init died");
    auto p = child::decode(m.data);
    if (!p) return Error::invalid("jail init: protocol error");
    if (p->kind == child::Msg::Err) return child::to_error(*p);
    // An EXIT of a command that timed out before is skipped.
    if (p->kind == child::Msg::Exit && p->text == text) return static_cast<int>(p->value);
    if (p->kind != child::Msg::Exit) return Error::invalid("jail init: protocol error");
  }
}

Result<int> run_through_init(const Registry& reg, Running& r, const AttachSpec& spec, int timeout,
                             bool then_release) {
  long tag = LJ_TRY(send_run(r, spec, then_release));
  return await_exit(reg, r, tag, timeout);
}

}  // namespace ljail::host
