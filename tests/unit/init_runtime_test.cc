// ljail-init's parts without a C library (tools/ljail-init), run here with one: its failures
// must read as ljail's Error does, its channel must carry what sys/proc.h's does, and a RUN
// message must become the argv and environment jail(8) encoded.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/error.h"
#include "channel.h"
#include "child/plan_codec.h"
#include "child/wire.h"
#include "command.h"
#include "rt.h"
#include "sys/proc.h"

namespace ljail::init {
namespace {

TEST(InitRuntime, ErrorTextIsTheCLibrarys) {
  for (int code = 0; code < 134; ++code) {
    EXPECT_EQ(error_text(code), std::strerror(code)) << code;
  }
  EXPECT_EQ(error_text(4095), "Unknown error 4095");
  EXPECT_EQ(error_text(-3), "Unknown error -3");
}

TEST(InitRuntime, StatusRendersLikeError) {
  for (int code : {EPERM, ENOENT, EACCES, ENOEXEC, EMSGSIZE}) {
    Status s = Status::sys(-code, "open /dev/console");
    s.context("opening the console pty").context("exec.init");
    Error e = Error::sys(code, "open /dev/console");
    e.add_context("opening the console pty");
    e.add_context("exec.init");
    EXPECT_EQ(s.text(), e.message());
    EXPECT_EQ(s.code(), code);
    EXPECT_FALSE(s.ok());
  }
  Status v = Status::invalid("jail init: not a plan");
  EXPECT_EQ(v.code(), Error::invalid("x").code());
  EXPECT_EQ(v.text(), "jail init: not a plan");
  EXPECT_TRUE(Status().ok());
}

TEST(InitRuntime, TextCutsWhatDoesNotFit) {
  Text<8> t;
  t << "EXIT " << int64_t{-12345};
  EXPECT_EQ(t.view(), "EXIT -1");
  EXPECT_TRUE(t.full());
  EXPECT_EQ(std::strlen(t.c_str()), 7u);
  Text<16> p;
  p << "b";
  p.prepend("a: ");
  EXPECT_EQ(p.view(), "a: b");
  p.prepend("far too long to fit");
  EXPECT_EQ(p.view(), "a: b");
  Text<32> n;
  n << int64_t{0} << " " << uint64_t{18446744073709551615ull} << " " << -1;
  EXPECT_EQ(n.view(), "0 18446744073709551615 -1");
}

TEST(InitChannel, ParsesWords) {
  Word w;
  ASSERT_TRUE(parse_word("RUN 7 7:LJRUN1...", w));
  EXPECT_EQ(w.kind, "RUN");
  EXPECT_EQ(w.value, 7);
  EXPECT_EQ(w.text, "7:LJRUN1...");
  ASSERT_TRUE(parse_word("ERR -22", w));
  EXPECT_EQ(w.value, -22);
  EXPECT_EQ(w.text, "");
  EXPECT_FALSE(parse_word("RELEASE", w));
  EXPECT_FALSE(parse_word("RELEASE x", w));
  EXPECT_FALSE(parse_word("RELEASE -", w));
  EXPECT_FALSE(parse_word("RELEASE 99999999999999999999", w));
}

class InitChannelPair : public ::testing::Test {
 protected:
  void SetUp() override {
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    host_ = sv[0];
    init_ = sv[1];
  }
  void TearDown() override {
    ::close(host_);
    ::close(init_);
  }
  int host_ = -1;
  int init_ = -1;
  char buf_[kMaxMessage];
};

TEST_F(InitChannelPair, ReceivesWhatTheHostSends) {
  int pipefd[2];
  ASSERT_EQ(::pipe2(pipefd, O_CLOEXEC), 0);
  ASSERT_TRUE(sys::send_msg(host_, "RUN 3 x", {pipefd[0], pipefd[1]}).has_value());
  ::close(pipefd[0]);
  ::close(pipefd[1]);
  Received m;
  ASSERT_TRUE(receive(init_, buf_, m).ok());
  EXPECT_EQ(m.data, "RUN 3 x");
  ASSERT_EQ(m.nfds, 2u);
  EXPECT_FALSE(m.eof);
  // The descriptors work and are close-on-exec.
  EXPECT_EQ(::write(m.fds[1].get(), "z", 1), 1);
  char c = 0;
  EXPECT_EQ(::read(m.fds[0].get(), &c, 1), 1);
  EXPECT_EQ(c, 'z');
  EXPECT_EQ(::fcntl(m.fds[0].get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

TEST_F(InitChannelPair, SendsWhatTheHostReceives) {
  int pipefd[2];
  ASSERT_EQ(::pipe2(pipefd, O_CLOEXEC), 0);
  ASSERT_EQ(send(init_, "READY 0", {pipefd[1]}), 0);
  ::close(pipefd[1]);
  auto m = sys::recv_msg(host_);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->data, "READY 0");
  ASSERT_EQ(m->fds.size(), 1u);
  ::close(pipefd[0]);
  send_error(init_, Status::sys(-EPERM, "setns").context("entering the jail's mounts"));
  m = sys::recv_msg(host_);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->data, "ERR 1 entering the jail's mounts: setns: Operation not permitted");
}

TEST_F(InitChannelPair, RefusesAMessageCutShortAndSeesEof) {
  std::string big(kMaxMessage + 1, 'x');
  ASSERT_EQ(::send(host_, big.data(), big.size(), 0), static_cast<ssize_t>(big.size()));
  Received m;
  Status s = receive(init_, buf_, m);
  EXPECT_EQ(s.code(), EMSGSIZE);
  ::close(host_);
  host_ = -1;
  Received e;
  ASSERT_TRUE(receive(init_, buf_, e).ok());
  EXPECT_TRUE(e.eof);
}

TEST(InitCommand, PreparesTheEncodedCommand) {
  child::RunSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo 'a b'", ""};
  spec.env = {"PATH=/bin", "X=1:2"};
  spec.uid = 1000;
  spec.gid = 100;
  spec.groups = {100, 4294967294u};
  spec.cwd = "/home/user name";
  spec.background = true;
  spec.program = "jexec";
  std::string wire_text = child::encode_run(spec);
  child::wire::RunView run;
  ASSERT_EQ(child::wire::read_run(wire_text, run), child::wire::RunFault::None);
  Command c = prepare(run);
  ASSERT_EQ(c.argc, 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_STREQ(c.argv[i], spec.argv[i].c_str());
  EXPECT_EQ(c.argv[4], nullptr);
  EXPECT_STREQ(c.envp[0], "PATH=/bin");
  EXPECT_STREQ(c.envp[1], "X=1:2");
  EXPECT_EQ(c.envp[2], nullptr);
  EXPECT_EQ(c.uid, 1000u);
  EXPECT_EQ(c.gid, 100u);
  ASSERT_EQ(c.ngroups, 2u);
  EXPECT_EQ(c.groups[1], 4294967294u);
  EXPECT_STREQ(c.cwd, "/home/user name");
  EXPECT_EQ(c.program, "jexec");
  EXPECT_TRUE(c.background);
  // The script's argv is apart from both lists.
  EXPECT_TRUE(c.script_argv > c.envp + 2 || c.script_argv + 6 <= c.argv);
}

TEST(Wire, NumbersAreDigitsWithoutOverflow) {
  uint64_t v = 0;
  EXPECT_TRUE(child::wire::parse_u64("18446744073709551615", v));
  EXPECT_EQ(v, UINT64_MAX);
  EXPECT_FALSE(child::wire::parse_u64("18446744073709551616", v));
  EXPECT_FALSE(child::wire::parse_u64("", v));
  EXPECT_FALSE(child::wire::parse_u64("+1", v));
  EXPECT_FALSE(child::wire::parse_u64("1 ", v));
}

// A RUN message of the given fields (each "<length>:<bytes>").
std::string fields(std::initializer_list<std::string_view> list) {
  std::string out;
  for (auto f : list) out += std::to_string(f.size()) + ":" + std::string(f);
  return out;
}

TEST(Wire, RefusesBadCounts) {
  using child::wire::read_run;
  using child::wire::RunFault;
  child::wire::RunView run;
  // magic, argc, argv..., envc, env..., uid, gid, ngroups, groups..., cwd, background,
  // program, release_after
  EXPECT_EQ(
      read_run(fields({"LJRUN1", "1", "x", "0", "0", "0", "1", "7", "/", "0", "x", "0"}), run),
      RunFault::None);
  EXPECT_EQ(run.ngroups, 1u);
  // a group past gid_t
  EXPECT_EQ(
      read_run(fields({"LJRUN1", "1", "x", "0", "0", "0", "1", "4294967296", "/", "0", "x", "0"}),
               run),
      RunFault::Malformed);
  // a count beyond the message
  EXPECT_EQ(read_run(fields({"LJRUN1", "99", "x"}), run), RunFault::Malformed);
  // no argv
  EXPECT_EQ(read_run(fields({"LJRUN1", "0", "0", "0", "0", "0", "/", "0", "x", "0"}), run),
            RunFault::Malformed);
  EXPECT_EQ(read_run(fields({"LJPLAN1"}), run), RunFault::NotRun);
}

}  // namespace
}  // namespace ljail::init
