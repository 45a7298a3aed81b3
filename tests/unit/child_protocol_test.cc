// The host <-> jail init protocol: encoding, decoding, errors as messages, and the transport
// (a SOCK_SEQPACKET pair passing descriptors with SCM_RIGHTS).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

#include "base/error.h"
#include "child/protocol.h"
#include "sys/proc.h"

namespace ljail::child {
namespace {

struct Case {
  Msg kind;
  long value;
  const char* wire;
};

TEST(ChildProtocol, EncodeIsNameSpaceValue) {
  EXPECT_EQ(encode(Msg::Go), "GO 0");
  EXPECT_EQ(encode(Msg::Ready, 1234), "READY 1234");
  EXPECT_EQ(encode(Msg::Release), "RELEASE 0");
  EXPECT_EQ(encode(Msg::Bye, 1), "BYE 1");
  EXPECT_EQ(encode(Msg::Err, EPERM), "ERR 1");
}

TEST(ChildProtocol, RoundTripEveryKind) {
  const Case cases[] = {
      {Msg::Go, 0, "GO 0"},           {Msg::Ready, 0, "READY 0"}, {Msg::Ready, 4242, "READY 4242"},
      {Msg::Release, 0, "RELEASE 0"}, {Msg::Bye, 0, "BYE 0"},     {Msg::Bye, 1, "BYE 1"},
      {Msg::Err, 13, "ERR 13"},       {Msg::Net, 0, "NET 0"},     {Msg::Run, 7, "RUN 7"},
      {Msg::Exit, 256, "EXIT 256"},
  };
  for (const Case& c : cases) {
    std::string wire = encode(c.kind, c.value);
    EXPECT_EQ(wire, c.wire);
    std::optional<Parsed> p = decode(wire);
    ASSERT_TRUE(p.has_value()) << wire;
    EXPECT_EQ(p->kind, c.kind) << wire;
    EXPECT_EQ(p->value, c.value) << wire;
    EXPECT_EQ(p->text, "") << wire;
  }
}

TEST(ChildProtocol, NegativeAndLargeValues) {
  std::optional<Parsed> p = decode(encode(Msg::Err, -1));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->kind, Msg::Err);
  EXPECT_EQ(p->value, -1);
  p = decode(encode(Msg::Ready, 4194304));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->value, 4194304);
}

TEST(ChildProtocol, ErrorKeepsErrnoAndText) {
  Error e = Error::sys(EACCES, "mounting /proc");
  e.add_context("building the root");
  std::string wire = encode_error(e);
  EXPECT_EQ(wire, "ERR 13 building the root: mounting /proc: Permission denied");

  std::optional<Parsed> p = decode(wire);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->kind, Msg::Err);
  EXPECT_EQ(p->value, EACCES);
  EXPECT_EQ(p->text, "building the root: mounting /proc: Permission denied");

  Error back = to_error(*p);
  EXPECT_EQ(back.code(), EACCES);
  // The child's text is rendered as is: no second strerror.
  EXPECT_EQ(back.message(), "building the root: mounting /proc: Permission denied");
  back.add_context("creating jail \"www\"");
  EXPECT_EQ(back.message(),
            "creating jail \"www\": building the root: mounting /proc: Permission denied");
}

TEST(ChildProtocol, ErrorTextWithSpacesAndColons) {
  Error e = Error::with_code(ENOENT, "exec: /bin/sh -c 'a b': not found");
  std::optional<Parsed> p = decode(encode_error(e));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->kind, Msg::Err);
  EXPECT_EQ(p->value, ENOENT);
  EXPECT_EQ(p->text, "exec: /bin/sh -c 'a b': not found");
  Error back = to_error(*p);
  EXPECT_EQ(back.code(), ENOENT);
  EXPECT_EQ(back.message(), "exec: /bin/sh -c 'a b': not found");
}

TEST(ChildProtocol, InvalidErrorRoundTrip) {
  Error e = Error::invalid("exec.jail_user: unknown user \"nobody2\"");
  std::optional<Parsed> p = decode(encode_error(e));
  ASSERT_TRUE(p.has_value());
  Error back = to_error(*p);
  EXPECT_EQ(back.code(), EINVAL);
  EXPECT_EQ(back.message(), "exec.jail_user: unknown user \"nobody2\"");
}

TEST(ChildProtocol, MalformedRejected) {
  const char* bad[] = {
      "",          // nothing
      "GO",        // no value
      "READY",     // no value
      "READY ",    // empty value
      "READY  1",  // empty value, then text
      "READY x",   // not a number
      "READY 1x",  // trailing garbage in the number
      "READY 0x1",
      "ERR",
      "ERR abc text",
      "ERR  text",
      "FOO 1",    // unknown kind
      "ready 1",  // kinds are upper case
      "GOO 0",
      " GO 0",                       // leading space
      "READY 99999999999999999999",  // overflow
  };
  for (const char* s : bad) {
    EXPECT_FALSE(decode(s).has_value()) << '"' << s << '"';
  }
}

// ---- transport ----

TEST(ChildProtocolTransport, MessagesDescriptorsAndEof) {
  auto pair = sys::socketpair_seqpacket();
  ASSERT_TRUE(pair.has_value()) << pair.error().message();
  UniqueFd host = std::move(pair->first);
  UniqueFd init = std::move(pair->second);

  // A pipe whose write end travels over the socket.
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  UniqueFd pipe_r(p[0]);
  UniqueFd pipe_w(p[1]);
  struct stat sent_st;
  ASSERT_EQ(::fstat(pipe_w.get(), &sent_st), 0);

  ASSERT_TRUE(sys::send_msg(host.get(), encode(Msg::Go), {pipe_w.get()}).has_value());
  pipe_w.reset();  // the only copy is now in flight

  auto m = sys::recv_msg(init.get());
  ASSERT_TRUE(m.has_value()) << m.error().message();
  EXPECT_FALSE(m->eof);
  EXPECT_EQ(m->data, "GO 0");
  ASSERT_EQ(m->fds.size(), 1u);
  ASSERT_TRUE(m->fds[0].valid());
  struct stat got_st;
  ASSERT_EQ(::fstat(m->fds[0].get(), &got_st), 0);
  EXPECT_EQ(got_st.st_ino, sent_st.st_ino);
  EXPECT_EQ(got_st.st_dev, sent_st.st_dev);
  // Received descriptors are close-on-exec.
  EXPECT_TRUE(::fcntl(m->fds[0].get(), F_GETFD) & FD_CLOEXEC);

  // The received descriptor is the pipe's write end.
  ASSERT_EQ(::write(m->fds[0].get(), "x", 1), 1);
  char c = 0;
  ASSERT_EQ(::read(pipe_r.get(), &c, 1), 1);
  EXPECT_EQ(c, 'x');
  m->fds.clear();

  // Message boundaries are kept: two sends, two receives.
  Error e = Error::sys(ENOENT, "opening /bin/sh");
  ASSERT_TRUE(sys::send_msg(init.get(), encode(Msg::Ready, 77)).has_value());
  ASSERT_TRUE(sys::send_msg(init.get(), encode_error(e)).has_value());
  auto r1 = sys::recv_msg(host.get());
  ASSERT_TRUE(r1.has_value());
  EXPECT_EQ(r1->data, "READY 77");
  EXPECT_TRUE(r1->fds.empty());
  auto d1 = decode(r1->data);
  ASSERT_TRUE(d1.has_value());
  EXPECT_EQ(d1->kind, Msg::Ready);
  EXPECT_EQ(d1->value, 77);
  auto r2 = sys::recv_msg(host.get());
  ASSERT_TRUE(r2.has_value());
  auto d2 = decode(r2->data);
  ASSERT_TRUE(d2.has_value());
  EXPECT_EQ(d2->kind, Msg::Err);
  Error back = to_error(*d2);
  EXPECT_EQ(back.code(), ENOENT);
  EXPECT_EQ(back.message(), "opening /bin/sh: No such file or directory");

  // The peer closes: EOF, no data, no descriptors.
  init.reset();
  auto end = sys::recv_msg(host.get());
  ASSERT_TRUE(end.has_value()) << end.error().message();
  EXPECT_TRUE(end->eof);
  EXPECT_EQ(end->data, "");
  EXPECT_TRUE(end->fds.empty());

  // And sending to a closed peer is an error (EPIPE, no SIGPIPE).
  Ok s = sys::send_msg(host.get(), encode(Msg::Release));
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), EPIPE);
}

TEST(ChildProtocolTransport, SeveralDescriptorsInOneMessage) {
  auto pair = sys::socketpair_seqpacket();
  ASSERT_TRUE(pair.has_value());
  UniqueFd null1(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  UniqueFd null2(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  ASSERT_TRUE(null1.valid());
  ASSERT_TRUE(null2.valid());
  ASSERT_TRUE(
      sys::send_msg(pair->first.get(), encode(Msg::Go), {null1.get(), null2.get()}).has_value());
  auto m = sys::recv_msg(pair->second.get());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->data, "GO 0");
  ASSERT_EQ(m->fds.size(), 2u);
  EXPECT_EQ(::fcntl(m->fds[0].get(), F_GETFL) & O_ACCMODE, O_RDONLY);
  EXPECT_EQ(::fcntl(m->fds[1].get(), F_GETFL) & O_ACCMODE, O_WRONLY);
  EXPECT_NE(m->fds[0].get(), null1.get());
  EXPECT_NE(m->fds[1].get(), null2.get());
}

}  // namespace
}  // namespace ljail::child
