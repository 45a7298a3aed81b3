// Merging (reference 3.5), wildcards, the implied name/jid and variable substitution (3.4).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "config/memory_files.h"

namespace ljail::config {
namespace {

// Every jail as its `jail -e " "` line, followed by its errors.
std::string show(std::string_view text) {
  MemoryFiles fs;
  auto r = load_text(text, "/etc/jail.conf", fs.reader(), fs.globber());
  if (!r) return "error: " + r.error().message();
  std::string out;
  for (const ConfJail& j : *r) {
    if (!out.empty()) out += "\n";
    out += render_e(j, " ");
    for (const Error& e : j.errors) out += "\n! " + e.message();
  }
  return out;
}

TEST(ConfigResolve, GlobalsApplyToEveryJail) {
  EXPECT_EQ(show("p = 1; a { } b { q; }"), "name=a p=1\nname=b p=1 q");
}

TEST(ConfigResolve, PrecedenceByPosition) {
  // Globals above a jail are defaults; the jail overrides them.
  EXPECT_EQ(show("path = /g; a { path = /a; }"), "name=a path=/a");
  // The global block sits where the first top-level parameter is: here after the jail.
  EXPECT_EQ(show("a { path = /a; } path = /g;"), "name=a path=/g");
  // All top-level parameters belong to that one global block.
  EXPECT_EQ(show("x; a { path = /a; } path = /g;"), "name=a x path=/a");
  // A `*` block after every jail always wins.
  EXPECT_EQ(show("a { path = /a; } * { path = /w; }"), "name=a path=/w");
  EXPECT_EQ(show("* { path = /w; } a { path = /a; }"), "name=a path=/a");
}

TEST(ConfigResolve, AppendAcrossBlocks) {
  EXPECT_EQ(show("ip4.addr = 10.0.0.1; a { ip4.addr += 10.0.0.2; }"),
            "name=a ip4.addr=10.0.0.1,10.0.0.2");
  EXPECT_EQ(show("a { ip4.addr = 10.0.0.1; } * { ip4.addr += 10.0.0.9; }"),
            "name=a ip4.addr=10.0.0.1,10.0.0.9");
}

TEST(ConfigResolve, PartialWildcards) {
  EXPECT_EQ(show("\"foo.*\" { p; } foo { } foo.bar { } foo.bar.baz { } other.x { }"),
            "name=foo\nname=foo.bar p\nname=foo.bar.baz p\nname=other.x");
  EXPECT_EQ(show("\"*.b\" { p; } a.b { } a.c { } x.b { } a.b.c { }"),
            "name=a.b p\nname=a.c\nname=x.b p\nname=a.b.c");
  EXPECT_EQ(show("a { \"*\" { p; } } a.b { } c { }"), "name=a\nname=a.b p\nname=c");
}

TEST(ConfigResolve, WildcardFunctions) {
  EXPECT_TRUE(is_wildcard("*"));
  EXPECT_TRUE(is_wildcard("foo.*"));
  EXPECT_TRUE(is_wildcard("*.bar"));
  EXPECT_TRUE(is_wildcard("a.*.c"));
  EXPECT_FALSE(is_wildcard("a*"));
  EXPECT_FALSE(is_wildcard("a.b*"));
  EXPECT_TRUE(wildcard_match("anything.at.all", "*"));
  EXPECT_TRUE(wildcard_match("foo.bar.baz", "foo.*"));
  EXPECT_FALSE(wildcard_match("foo", "foo.*"));
  EXPECT_TRUE(wildcard_match("a.x.c", "a.*.c"));
  EXPECT_FALSE(wildcard_match("a.x.y.c", "a.*.c"));
  EXPECT_FALSE(wildcard_match("foobar.x", "foo.*"));
}

TEST(ConfigResolve, NoPrefixNamesOneParameter) {
  EXPECT_EQ(show("a { persist; nopersist; allow.mount; allow.nomount = 1; }"),
            "name=a nopersist allow.nomount=1");
  EXPECT_EQ(show("mount.devfs; a { mount.nodevfs; }"), "name=a mount.nodevfs");
}

TEST(ConfigResolve, ARenameThatNamesAnotherEntryLeavesOneEntry) {
  // "nomount.nodevfs" is not the same name as "mount.devfs" (two "no"s), but is the same as
  // "mount.nodevfs", the name mount.devfs takes here: one entry stays, with the last value
  // (the fuzzer's round trip through to_conf found two).
  EXPECT_EQ(show("mount.devfs; a { nomount.nodevfs; mount.nodevfs; }"), "name=a mount.nodevfs");
  EXPECT_EQ(show("x = 1; a { nonox = 2; nox = 3; }"), "name=a nox=3");
  MemoryFiles fs;
  auto first = load_text("mount.devfs; a { nomount.nodevfs; mount.nodevfs; }", "/etc/jail.conf",
                         fs.reader(), fs.globber());
  ASSERT_TRUE(first.has_value());
  auto again = load_text(to_conf(*first), "/rt", fs.reader(), fs.globber());
  ASSERT_TRUE(again.has_value());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(render_e(again->front(), " "), render_e(first->front(), " "));
}

TEST(ConfigResolve, NumericBlockNames) {
  // jid is implied (and not shown by -e); name is filled in last unless set.
  EXPECT_EQ(show("5309 { host.hostname = \"${name}\"; persist; }"),
            "host.hostname=5309 persist name=5309");
  EXPECT_EQ(show("5309 { name = basejail; persist; }"), "name=basejail persist");
  EXPECT_EQ(show("basejail { jid = 5309; persist; }"), "name=basejail persist");
  MemoryFiles fs;
  auto r = load_text("5309 { persist; }", "f", fs.reader(), fs.globber());
  ASSERT_TRUE(r);
  ASSERT_EQ((*r)[0].params.size(), 3u);
  EXPECT_EQ((*r)[0].params[0].name, "jid");
  EXPECT_EQ((*r)[0].params[0].values, std::vector<std::string>{"5309"});
  // strtol rules: "0" is not a jid, "007" and "-5" are.
  EXPECT_EQ(show("0 { } 007 { } -5 { }"), "name=0\nname=007\nname=-5");
}

TEST(ConfigResolve, ImmutableNameAndJid) {
  EXPECT_EQ(show("a { name = b; }"), "name=a\n! a: cannot redefine parameter \"name\".");
  EXPECT_EQ(show("5309 { jid = 1; }"), "name=5309\n! 5309: cannot redefine parameter \"jid\".");
  EXPECT_EQ(show("5309 { name = a; name = b; }"),
            "name=a\n! 5309: cannot redefine parameter \"name\".");
  EXPECT_EQ(show("a { jid = 1; jid = 2; }"), "name=a\n! a: cannot redefine parameter \"jid\".");
  // Through a wildcard too; only the jails it reaches fail.
  EXPECT_EQ(show("a { } \"b.*\" { name = x; } b.c { }"),
            "name=a\nname=b.c\n! b.c: cannot redefine parameter \"name\".");
}

TEST(ConfigResolve, Variables) {
  EXPECT_EQ(show("$dir = /var/jail; a { path = \"$dir/$name\"; }"), "name=a path=/var/jail/a");
  EXPECT_EQ(show("path = \"/var/jail/$name\"; a { } b { }"),
            "name=a path=/var/jail/a\nname=b path=/var/jail/b");
  EXPECT_EQ(show("a { host.hostname = h; path = \"/j/${host.hostname}\"; }"),
            "name=a host.hostname=h path=/j/h");
  EXPECT_EQ(show("a { p = $name$name; q = x${name}y; }"), "name=a p=aa q=xay");
  // `$host.hostname` is `$host` followed by ".hostname".
  EXPECT_EQ(show("a { $host = H; p = $host.hostname; }"), "name=a p=H.hostname");
  // Single quotes keep `$` literal.
  EXPECT_EQ(show("a { p = '$name'; q = \"\\$name\"; }"), "name=a p=$name q=$name");
  // Variables are not parameters.
  EXPECT_EQ(show("$v = 1; a { }"), "name=a");
}

TEST(ConfigResolve, VariablesFromVariables) {
  EXPECT_EQ(show("$id = \"100\"; $ip = \"10.0.2.${id}/24\"; $epair = \"epair${id}\";\n"
                 "j { ip4.addr = $ip; vnet.interface = \"${epair}b\";\n"
                 "    exec.consolelog = \"/var/log/jail_console_${name}.log\"; }"),
            "name=j ip4.addr=10.0.2.100/24 vnet.interface=epair100b "
            "exec.consolelog=/var/log/jail_console_j.log");
}

TEST(ConfigResolve, SubstitutionReordersLikeJail8) {
  // `a` needs `b`, which still has references: `b` moves in front of `a`.
  EXPECT_EQ(show("j { a = \"$b\"; b = \"${name}x\"; }"), "name=j b=jx a=jx");
}

TEST(ConfigResolve, ListVariables) {
  EXPECT_EQ(show("$l = a, b; j { p = $l; q = \"$l\"; r = x, $l, y; }"),
            "name=j p=a,b q=a,b r=x,a,b,y");
  EXPECT_EQ(show("$l = a, b; j { p = \"x$l\"; }"),
            "name=j p=x\n! j: p: array cannot be substituted inline");
  EXPECT_EQ(show("$l = a, b; j { p = \"${l}x\"; }"),
            "name=j p=x\n! j: p: array cannot be substituted inline");
  EXPECT_EQ(show("$l = a, b; j { p = \"$l$name\"; }"),
            "name=j p=j\n! j: p: array cannot be substituted inline");
  EXPECT_EQ(show("j { ip4.addr = 1.1.1.1, 2.2.2.2; p = \"${ip4.addr}\"; }"),
            "name=j ip4.addr=1.1.1.1,2.2.2.2 p=1.1.1.1,2.2.2.2");
}

TEST(ConfigResolve, VariableErrors) {
  EXPECT_EQ(show("j { p = \"/a/$x/b\"; }"), "name=j p=/a//b\n! j: p: variable \"x\" not found");
  // A parameter without a value counts as not found.
  EXPECT_EQ(show("j { q; p = $q; }"), "name=j q p=\"\"\n! j: p: variable \"q\" not found");
  EXPECT_EQ(show("j { p = \"${}\"; }"), "name=j p=\"\"\n! j: p: variable \"\" not found");
  EXPECT_EQ(show("j { $a = \"$a\"; }"), "name=j\n! j: a: variable loop");
  EXPECT_EQ(show("j { p = \"$q\"; $q = \"$r\"; $r = \"$q\"; }"),
            "name=j p=\"\"\n! j: q: variable loop");
  // Only the failing jail is marked.
  EXPECT_EQ(show("a { p = $x; } b { p = ok; }"),
            "name=a p=\"\"\n! a: p: variable \"x\" not found\nname=b p=ok");
}

TEST(ConfigResolve, VariableNamedLikeAParameter) {
  EXPECT_EQ(show("$path = /x; j { }"),
            "name=j\n! j: variable \"$path\" cannot have the same name as a parameter.");
  EXPECT_EQ(show("j { foo = 1; $foo = 2; }"),
            "name=j foo=1\n! j: variable \"$foo\" cannot have the same name as a parameter.");
  EXPECT_EQ(show("$name = x; j { }"),
            "name=j\n! j: variable \"$name\" cannot have the same name as a parameter.");
  // A name jail(8) does not know is free for a variable.
  EXPECT_EQ(show("$host = x; $ip = y; j { }"), "name=j");
}

TEST(ConfigResolve, ExpansionIsBounded) {
  std::string text = "$v0 = \"xxxxxxxxxxxxxxxx\";\n";
  for (int i = 1; i < 64; ++i) {
    text += "$v" + std::to_string(i) + " = \"$v" + std::to_string(i - 1) + "$v" +
            std::to_string(i - 1) + "\";\n";
  }
  text += "j { p = $v63; }";
  MemoryFiles fs;
  Limits limits;
  limits.max_expansion_bytes = 1 << 20;
  auto r = load_text(text, "f", fs.reader(), fs.globber(), limits);
  ASSERT_TRUE(r);
  ASSERT_TRUE((*r)[0].failed());
  EXPECT_NE((*r)[0].errors[0].message().find("variable expansion too large"), std::string::npos);
}

TEST(ConfigResolve, MergingIsBounded) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "p" + std::to_string(i) + " = 0123456789;\n";
  for (int i = 0; i < 200; ++i) text += "j" + std::to_string(i) + " { }\n";
  MemoryFiles fs;
  Limits limits;
  limits.max_merged_bytes = 100000;
  auto r = load_text(text, "f", fs.reader(), fs.globber(), limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "configuration too large");
}

TEST(ConfigResolve, FirstError) {
  MemoryFiles fs;
  auto r = load_text("a { } b { name = c; }", "f", fs.reader(), fs.globber());
  ASSERT_TRUE(r);
  Ok ok = first_error(*r);
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().message(), "b: cannot redefine parameter \"name\".");
}

}  // namespace
}  // namespace ljail::config
