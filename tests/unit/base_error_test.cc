// Error (codes, message rendering, context frames, notes), Result with LJ_TRY / LJ_TRY_CTX, and
// the string helpers of base/strings.h.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/result.h"
#include "base/strings.h"

namespace ljail {
namespace {

using Strings = std::vector<std::string>;

// ---- Error ----

TEST(Error, SysKeepsCodeAndAppendsStrerror) {
  Error e = Error::sys(ENOENT, "opening /etc/jail.conf");
  EXPECT_EQ(e.code(), ENOENT);
  EXPECT_EQ(e.op(), "opening /etc/jail.conf");
  EXPECT_TRUE(e.context().empty());
  EXPECT_EQ(e.message(), std::string("opening /etc/jail.conf: ") + std::strerror(ENOENT));
  EXPECT_EQ(e.message(), "opening /etc/jail.conf: No such file or directory");
}

TEST(Error, SysWithEmptyOpIsJustStrerror) {
  Error e = Error::sys(EPERM, "");
  EXPECT_EQ(e.code(), EPERM);
  EXPECT_EQ(e.message(), "Operation not permitted");
}

TEST(Error, TextErrorsCarryTheirCodesAndNoStrerror) {
  Error inv = Error::invalid("persist: unknown boolean value \"y\"");
  EXPECT_EQ(inv.code(), EINVAL);
  EXPECT_EQ(inv.message(), "persist: unknown boolean value \"y\"");

  Error nf = Error::not_found("jail \"www\" not found");
  EXPECT_EQ(nf.code(), ENOENT);
  EXPECT_EQ(nf.message(), "jail \"www\" not found");

  Error ex = Error::exists("jail 3 already exists");
  EXPECT_EQ(ex.code(), EEXIST);
  EXPECT_EQ(ex.message(), "jail 3 already exists");

  Error wc = Error::with_code(EAGAIN, "no jid available");
  EXPECT_EQ(wc.code(), EAGAIN);
  EXPECT_EQ(wc.op(), "no jid available");
  EXPECT_EQ(wc.message(), "no jid available");
}

TEST(Error, DefaultIsEmpty) {
  Error e;
  EXPECT_EQ(e.code(), 0);
  EXPECT_EQ(e.message(), "");
  EXPECT_TRUE(e.context().empty());
  EXPECT_TRUE(e.notes().empty());
}

TEST(Error, ContextFramesRenderOutermostFirst) {
  Error e = Error::sys(EACCES, "mounting /proc");
  e.add_context("building the root");
  e.add_context("creating jail \"www\"");
  EXPECT_EQ(e.context(), (Strings{"creating jail \"www\"", "building the root"}));
  EXPECT_EQ(e.message(),
            "creating jail \"www\": building the root: mounting /proc: Permission denied");
  EXPECT_EQ(e.code(), EACCES);
  EXPECT_EQ(e.op(), "mounting /proc");
}

TEST(Error, ContextOnTextError) {
  Error e = Error::invalid("bad value");
  e.add_context("jail.conf line 3").add_context("reading jail.conf");
  EXPECT_EQ(e.message(), "reading jail.conf: jail.conf line 3: bad value");
}

TEST(Error, NotesDoNotChangeThePrimaryError) {
  Error e = Error::sys(ENOSPC, "writing state");
  e.add_note(Error::sys(EBUSY, "removing cgroup")).add_note(Error::invalid("second note"));
  EXPECT_EQ(e.code(), ENOSPC);
  EXPECT_EQ(e.message(), "writing state: No space left on device");
  ASSERT_EQ(e.notes().size(), 2u);
  EXPECT_EQ(e.notes()[0].code(), EBUSY);
  EXPECT_EQ(e.notes()[0].message(), "removing cgroup: Device or resource busy");
  EXPECT_EQ(e.notes()[1].code(), EINVAL);
  EXPECT_EQ(e.notes()[1].message(), "second note");
}

// ---- Result, LJ_TRY, LJ_TRY_CTX ----

Result<int> number(bool ok, int v) {
  if (!ok) return Error::sys(EIO, "reading number");
  return v;
}

Ok step(bool ok) {
  if (!ok) return Error::invalid("step failed");
  return {};
}

int g_after_try = 0;

Result<int> doubled(bool ok) {
  int v = LJ_TRY(number(ok, 21));
  ++g_after_try;
  return v * 2;
}

Ok void_try(bool ok) {
  LJ_TRY(step(ok));
  ++g_after_try;
  return {};
}

Result<std::string> ctx_value(bool ok) {
  int v = LJ_TRY_CTX(number(ok, 7), "outer frame");
  ++g_after_try;
  return std::to_string(v);
}

Ok ctx_void(bool ok) {
  LJ_TRY_CTX(step(ok), "doing the step");
  ++g_after_try;
  return {};
}

Ok nested(bool ok) {
  LJ_TRY_CTX(ctx_void(ok), "creating jail \"www\"");
  return {};
}

TEST(Result, LjTryYieldsValue) {
  g_after_try = 0;
  Result<int> r = doubled(true);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(g_after_try, 1);
}

TEST(Result, LjTryPropagatesError) {
  g_after_try = 0;
  Result<int> r = doubled(false);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), EIO);
  EXPECT_EQ(r.error().message(), "reading number: Input/output error");
  EXPECT_EQ(g_after_try, 0);
}

TEST(Result, LjTryOnVoid) {
  g_after_try = 0;
  EXPECT_TRUE(void_try(true).has_value());
  EXPECT_EQ(g_after_try, 1);
  Ok r = void_try(false);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), EINVAL);
  EXPECT_EQ(r.error().message(), "step failed");
  EXPECT_EQ(g_after_try, 1);
}

TEST(Result, LjTryCtxOnValue) {
  g_after_try = 0;
  Result<std::string> ok = ctx_value(true);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, "7");
  EXPECT_EQ(g_after_try, 1);

  Result<std::string> bad = ctx_value(false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), EIO);
  EXPECT_EQ(bad.error().context(), (Strings{"outer frame"}));
  EXPECT_EQ(bad.error().message(), "outer frame: reading number: Input/output error");
  EXPECT_EQ(g_after_try, 1);
}

TEST(Result, LjTryCtxOnVoid) {
  g_after_try = 0;
  EXPECT_TRUE(ctx_void(true).has_value());
  EXPECT_EQ(g_after_try, 1);
  Ok bad = ctx_void(false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "doing the step: step failed");
  EXPECT_EQ(g_after_try, 1);
}

TEST(Result, NestedLjTryCtxRendersOutermostFirst) {
  Ok bad = nested(false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), EINVAL);
  EXPECT_EQ(bad.error().context(), (Strings{"creating jail \"www\"", "doing the step"}));
  EXPECT_EQ(bad.error().message(), "creating jail \"www\": doing the step: step failed");
  EXPECT_TRUE(nested(true).has_value());
}

TEST(Result, FailAndErrorConversion) {
  Result<int> a = fail(Error::not_found("x"));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code(), ENOENT);
  Result<int> b = Error::exists("y");
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code(), EEXIST);
  Ok c;
  EXPECT_TRUE(c.has_value());
}

// ---- strings ----

TEST(Strings, Split) {
  EXPECT_EQ(split("a,b,c", ','), (Strings{"a", "b", "c"}));
  EXPECT_EQ(split("abc", ','), (Strings{"abc"}));
  EXPECT_EQ(split("", ','), (Strings{""}));
  EXPECT_EQ(split(",", ','), (Strings{"", ""}));
  EXPECT_EQ(split("a,,b", ','), (Strings{"a", "", "b"}));
  EXPECT_EQ(split(",a,", ','), (Strings{"", "a", ""}));
  EXPECT_EQ(split("root:x:0:0", ':'), (Strings{"root", "x", "0", "0"}));
}

TEST(Strings, Join) {
  EXPECT_EQ(join({}, ","), "");
  EXPECT_EQ(join({"a"}, ","), "a");
  EXPECT_EQ(join({"a", "b", "c"}, ","), "a,b,c");
  EXPECT_EQ(join({"a", "", "c"}, ", "), "a, , c");
  EXPECT_EQ(join({"x", "y"}, ""), "xy");
  EXPECT_EQ(join(split("a,,b", ','), ","), "a,,b");
}

TEST(Strings, StartsWith) {
  EXPECT_TRUE(starts_with("allow.mount", "allow."));
  EXPECT_TRUE(starts_with("abc", ""));
  EXPECT_TRUE(starts_with("abc", "abc"));
  EXPECT_FALSE(starts_with("ab", "abc"));
  EXPECT_FALSE(starts_with("xabc", "abc"));
}

TEST(Strings, Trim) {
  EXPECT_EQ(trim("  a b \t\n"), "a b");
  EXPECT_EQ(trim("\t\nx"), "x");
  EXPECT_EQ(trim("x"), "x");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\n "), "");
  EXPECT_EQ(trim("12\n"), "12");
}

TEST(Strings, ParseInt) {
  EXPECT_EQ(parse_int("0"), 0);
  EXPECT_EQ(parse_int("42"), 42);
  EXPECT_EQ(parse_int("-17"), -17);
  EXPECT_EQ(parse_int("+5"), 5);
  EXPECT_EQ(parse_int("007"), 7);
  EXPECT_EQ(parse_int("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(parse_int("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(parse_int("9223372036854775808"), std::nullopt);
  EXPECT_EQ(parse_int("-9223372036854775809"), std::nullopt);
  EXPECT_EQ(parse_int(""), std::nullopt);
  EXPECT_EQ(parse_int("+"), std::nullopt);
  EXPECT_EQ(parse_int("-"), std::nullopt);
  EXPECT_EQ(parse_int(" 1"), std::nullopt);
  EXPECT_EQ(parse_int("1 "), std::nullopt);
  EXPECT_EQ(parse_int("1x"), std::nullopt);
  EXPECT_EQ(parse_int("0x10"), std::nullopt);
  EXPECT_EQ(parse_int("1.5"), std::nullopt);
  EXPECT_EQ(parse_int("++1"), std::nullopt);
  EXPECT_EQ(parse_int("--1"), std::nullopt);
}

// A sign is one character: "+-5" is not a decimal integer.
TEST(Strings, ParseIntRejectsPlusMinus) {
  EXPECT_EQ(parse_int("+-5"), std::nullopt);
}

TEST(Strings, ParseUint) {
  EXPECT_EQ(parse_uint("0"), 0u);
  EXPECT_EQ(parse_uint("65536"), 65536u);
  EXPECT_EQ(parse_uint("+3"), 3u);
  EXPECT_EQ(parse_uint("18446744073709551615"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(parse_uint("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parse_uint("-1"), std::nullopt);
  EXPECT_EQ(parse_uint("-0"), std::nullopt);
  EXPECT_EQ(parse_uint("+-1"), std::nullopt);
  EXPECT_EQ(parse_uint(""), std::nullopt);
  EXPECT_EQ(parse_uint("+"), std::nullopt);
  EXPECT_EQ(parse_uint("12a"), std::nullopt);
  EXPECT_EQ(parse_uint(" 12"), std::nullopt);
  EXPECT_EQ(parse_uint("12\n"), std::nullopt);
}

TEST(Strings, Iequals) {
  EXPECT_TRUE(iequals("", ""));
  EXPECT_TRUE(iequals("TRUE", "true"));
  EXPECT_TRUE(iequals("Inherit", "iNHERIT"));
  EXPECT_TRUE(iequals("a.B-1", "A.b-1"));
  EXPECT_FALSE(iequals("true", "truee"));
  EXPECT_FALSE(iequals("true", "tru"));
  EXPECT_FALSE(iequals("true", "trUx"));
  // Only ASCII letters fold: '@' (0x40) and '`' (0x60) differ by the case bit but are not letters.
  EXPECT_FALSE(iequals("@", "`"));
  EXPECT_FALSE(iequals("[", "{"));
}

}  // namespace
}  // namespace ljail
