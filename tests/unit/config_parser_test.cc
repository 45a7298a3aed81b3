// jail.conf grammar (reference 3.1, 3.3): blocks, nesting, statements and syntax errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "config/memory_files.h"

namespace ljail::config {
namespace {

// Every jail as its `jail -e " "` line.
std::string show(std::string_view text) {
  MemoryFiles fs;
  auto r = load_text(text, "/etc/jail.conf", fs.reader(), fs.globber());
  if (!r) return "error: " + r.error().message();
  std::string out;
  for (const ConfJail& j : *r) {
    if (!out.empty()) out += "\n";
    out += render_e(j, " ");
  }
  return out;
}

std::string error_of(std::string_view text) {
  MemoryFiles fs;
  auto r = load_text(text, "/etc/jail.conf", fs.reader(), fs.globber());
  return r ? "(no error)" : r.error().message();
}

TEST(ConfigParser, Statements) {
  EXPECT_EQ(show("j { p; q = v; r = a, b; s += c; t u; }"), "name=j p q=v r=a,b s=c t=u");
  EXPECT_EQ(show("j { r = a; r += b, c; r += d; }"), "name=j r=a,b,c,d");
  EXPECT_EQ(show("j { r = a, b; r = c; }"), "name=j r=c");
  EXPECT_EQ(show("j { r = a; r; }"), "name=j r");
  EXPECT_EQ(show("j { p = \"\"; }"), "name=j p=\"\"");
}

TEST(ConfigParser, EmptyStatementsAnywhere) {
  EXPECT_EQ(show(";;a = 1;; j { ;; p;; } ; k {};"), "name=j a=1 p\nname=k a=1");
}

TEST(ConfigParser, StringsJoinPieces) {
  EXPECT_EQ(show("j { p = /a/'b c'\"d\"e; }"), "name=j p=\"/a/b cde\"");
  EXPECT_EQ(show("j { p = a\\ b; }"), "name=j p=\"a b\"");
}

TEST(ConfigParser, QuotedBlockAndParameterNames) {
  EXPECT_EQ(show("\"my jail\" { 'odd name' = 1; }"), "name=\"my jail\" odd name=1");
}

TEST(ConfigParser, NestedBlocksGetDottedNames) {
  EXPECT_EQ(show("a { p; b { q; c { r; } } d; }"), "name=a p d\nname=a.b q\nname=a.b.c r");
}

TEST(ConfigParser, BlocksAreListedInOrderTheyStart) {
  EXPECT_EQ(show("b { } a { } c { }"), "name=b\nname=a\nname=c");
  // A block defined twice is two jails, as in jail(8).
  EXPECT_EQ(show("a { p; } a { q; }"), "name=a p\nname=a q");
}

TEST(ConfigParser, UnquotedWildcardBlockName) {
  // jaillex.l splits `foo.*` into two pieces; ljail accepts it as a block name.
  EXPECT_EQ(show("foo.* { p; } foo.bar { }"), "name=foo.bar p");
  EXPECT_EQ(error_of("foo.* = 1;"), "/etc/jail.conf line 1: *: syntax error");
}

TEST(ConfigParser, SyntaxErrors) {
  EXPECT_EQ(error_of("foo = ;"), "/etc/jail.conf line 1: ;: syntax error");
  EXPECT_EQ(error_of("a;\nfoo = a b;"), "/etc/jail.conf line 2: b: syntax error");
  EXPECT_EQ(error_of("}"), "/etc/jail.conf line 1: }: syntax error");
  EXPECT_EQ(error_of("j {\n p;\n"), "/etc/jail.conf: unexpected EOF");
  EXPECT_EQ(error_of("p = 1"), "/etc/jail.conf: unexpected EOF");
  EXPECT_EQ(error_of("$x { }"), "/etc/jail.conf line 1: {: syntax error");
  EXPECT_EQ(error_of("a b {"), "/etc/jail.conf line 1: {: syntax error");
  EXPECT_EQ(error_of("= 1;"), "/etc/jail.conf line 1: =: syntax error");
  EXPECT_EQ(error_of("p = a,;"), "/etc/jail.conf line 1: ;: syntax error");
  EXPECT_EQ(error_of("p += ;"), "/etc/jail.conf line 1: ;: syntax error");
  EXPECT_EQ(error_of("p\"q\" = 1;"), "/etc/jail.conf line 1: \"q\": syntax error");
  EXPECT_EQ(error_of("p = \"a\nb\" c;"), "/etc/jail.conf line 2: c: syntax error");
  EXPECT_EQ(error_of("p = \x01;"), "/etc/jail.conf line 1: \x01: syntax error");
  EXPECT_EQ(error_of("p = 1;\n\n q = \xc3\xa9;"), "/etc/jail.conf line 3: \xc3: syntax error");
}

TEST(ConfigParser, LexicalErrors) {
  EXPECT_EQ(error_of("p = \"abc;\n"), "/etc/jail.conf line 1: unterminated string");
  EXPECT_EQ(error_of("\np = 'abc;"), "/etc/jail.conf line 2: unterminated string");
  EXPECT_EQ(error_of("p = 1; /* x\n\n"), "/etc/jail.conf line 3: unterminated comment");
  EXPECT_EQ(error_of("p = ${x;"), "/etc/jail.conf line 1: unterminated variable");
  EXPECT_EQ(error_of("p = \"${x\";"), "/etc/jail.conf line 1: unterminated variable");
  EXPECT_EQ(error_of(std::string_view("p = 1;\0q;", 10)),
            "/etc/jail.conf line 1: unexpected NUL byte");
  // The first error in reading order wins, as with jail(8)'s on-demand scanner.
  EXPECT_EQ(error_of("} \"abc"), "/etc/jail.conf line 1: }: syntax error");
}

TEST(ConfigParser, NestingIsBounded) {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "a {";
  EXPECT_EQ(error_of(deep), "/etc/jail.conf line 1: blocks nested too deeply");
  std::string ok;
  for (int i = 0; i < 100; ++i) ok += "a {";
  for (int i = 0; i < 100; ++i) ok += "}";
  EXPECT_NE(show(ok).find("name=a.a.a"), std::string::npos);
}

TEST(ConfigParser, StdinIsCalledStdin) {
  MemoryFiles fs;
  fs.stdin_text = "p = ;";
  auto r = load("-", fs.reader(), fs.globber());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "STDIN line 1: ;: syntax error");
}

TEST(ConfigParser, MissingMainFile) {
  MemoryFiles fs;
  auto r = load("/etc/jail.conf", fs.reader(), fs.globber());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "/etc/jail.conf: No such file or directory");
}

TEST(ConfigParser, ParamLocations) {
  MemoryFiles fs;
  auto r = load_text("a = 1;\n\nj {\n  p = x;\n}\n", "/etc/jail.conf", fs.reader(), fs.globber());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  const ConfJail& j = (*r)[0];
  EXPECT_EQ(j.line, 3);
  EXPECT_EQ(j.file, "/etc/jail.conf");
  ASSERT_NE(j.find("p"), nullptr);
  EXPECT_EQ(j.find("p")->line, 4);
  EXPECT_EQ(j.find("a")->line, 1);
  EXPECT_EQ(j.find("name")->line, 3);
}

}  // namespace
}  // namespace ljail::config
