// .include (reference 3.6): relative names, globs, missing files, depth, position.
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "config/include.h"
#include "config/memory_files.h"

namespace ljail::config {
namespace {

std::string show(const MemoryFiles& fs, const std::string& path = "/etc/jail.conf") {
  auto r = load(path, fs.reader(), fs.globber());
  if (!r) return "error: " + r.error().message();
  std::string out;
  for (const ConfJail& j : *r) {
    if (!out.empty()) out += "\n";
    out += render_e(j, " ");
  }
  return out;
}

TEST(ConfigInclude, RelativeToTheIncludingFile) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = "p = 1;\n.include \"jail.conf.d/*.conf\";\n";
  fs.files["/etc/jail.conf.d/b.conf"] = "b { }";
  fs.files["/etc/jail.conf.d/a.conf"] = "a { .include \"../extra\"; }";
  fs.files["/etc/jail.conf.d/a.txt"] = "ignored { }";
  fs.files["/etc/jail.conf.d/../extra"] = "q = 2;";  // the real filesystem resolves ".."
  EXPECT_EQ(show(fs), "name=a p=1 q=2\nname=b p=1");
}

TEST(ConfigInclude, AbsoluteNamesAndSeveralValues) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = ".include \"/x/a\", \"/x/b\";";
  fs.files["/x/a"] = "a { }";
  fs.files["/x/b"] = "b { }";
  EXPECT_EQ(show(fs), "name=a\nname=b");
}

TEST(ConfigInclude, IncludedTextSitsWhereTheIncludeIs) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = "a { path = /a; }\n.include \"late\";\nb { path = /b; }\n";
  fs.files["/etc/late"] = "\"*\" { path = /w; }";
  EXPECT_EQ(show(fs), "name=a path=/w\nname=b path=/b");
}

TEST(ConfigInclude, IncludeInsideABlockAddsToTheBlock) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = "a { .include \"inner\"; }";
  fs.files["/etc/inner"] = "p; b { q; }";
  EXPECT_EQ(show(fs), "name=a p\nname=a.b q");
}

TEST(ConfigInclude, GlobMatchingNothingIsFine) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] =
      ".include \"/nowhere/*.conf\";\n"
      ".include \"/etc/jail.foo[.]conf\";\na { }";
  EXPECT_EQ(show(fs), "name=a");
  fs.files["/etc/jail.foo.conf"] = "b { }";
  EXPECT_EQ(show(fs), "name=b\nname=a");
}

TEST(ConfigInclude, LiteralNameMustExist) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = ".include \"missing.conf\";";
  EXPECT_EQ(show(fs), "error: /etc/missing.conf: No such file or directory");
}

TEST(ConfigInclude, ErrorsNameTheIncludedFile) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = "a { }\n.include \"bad.conf\";";
  fs.files["/etc/bad.conf"] = "\n\np = ;";
  EXPECT_EQ(show(fs), "error: /etc/bad.conf line 3: ;: syntax error");
  // Each file must close its own blocks.
  fs.files["/etc/bad.conf"] = "b {";
  EXPECT_EQ(show(fs), "error: /etc/bad.conf: unexpected EOF");
  fs.files["/etc/jail.conf"] = "a { .include \"bad.conf\"; }";
  fs.files["/etc/bad.conf"] = "}";
  EXPECT_EQ(show(fs), "error: /etc/bad.conf line 1: }: syntax error");
}

TEST(ConfigInclude, NoVariablesInTheName) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = "$d = x;\n.include \"$d/a.conf\";";
  EXPECT_EQ(show(fs),
            "error: /etc/jail.conf line 2: variables not permitted in '.include' "
            "filename");
}

TEST(ConfigInclude, OnlyTheNameValueFormIncludes) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = "a { .include = \"x\"; }";
  EXPECT_EQ(show(fs), "name=a .include=x");
}

TEST(ConfigInclude, DepthLimit) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = ".include \"f1\";";
  for (int i = 1; i <= 32; ++i) {
    fs.files["/etc/f" + std::to_string(i)] = ".include \"f" + std::to_string(i + 1) + "\";";
  }
  fs.files["/etc/f32"] = "a { }";
  EXPECT_EQ(show(fs), "name=a");
  fs.files["/etc/f32"] = ".include \"f33\";";
  fs.files["/etc/f33"] = "a { }";
  EXPECT_EQ(show(fs), "error: maximum include depth exceeded");
}

TEST(ConfigInclude, CycleStopsAtTheDepthLimit) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = ".include \"jail.conf\";";
  EXPECT_EQ(show(fs), "error: maximum include depth exceeded");
}

TEST(ConfigInclude, FanOutIsBounded) {
  MemoryFiles fs;
  std::string many = ".include \"a\"";
  for (int i = 0; i < 30; ++i) many += ", \"a\"";
  fs.files["/etc/jail.conf"] = many + ";";
  fs.files["/etc/a"] = "p;";
  Limits limits;
  limits.max_files = 20;
  auto r = load("/etc/jail.conf", fs.reader(), fs.globber(), limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "maximum number of configuration files exceeded");
}

TEST(ConfigInclude, FromStdinNamesAreTakenAsIs) {
  MemoryFiles fs;
  fs.stdin_text = ".include \"rel.conf\";";
  fs.files["rel.conf"] = "a { }";
  EXPECT_EQ(show(fs, "-"), "name=a");
}

TEST(ConfigInclude, Helpers) {
  EXPECT_TRUE(has_glob_magic("/etc/*.conf"));
  EXPECT_TRUE(has_glob_magic("a?"));
  EXPECT_TRUE(has_glob_magic("jail.foo[.]conf"));
  EXPECT_FALSE(has_glob_magic("a[b"));
  EXPECT_FALSE(has_glob_magic("a\\*b"));
  EXPECT_FALSE(has_glob_magic("/etc/jail.conf"));
  EXPECT_EQ(include_path("/etc/jail.conf", "x.conf"), "/etc/x.conf");
  EXPECT_EQ(include_path("/etc/jail.conf", "/abs"), "/abs");
  EXPECT_EQ(include_path("jail.conf", "x.conf"), "x.conf");
  EXPECT_EQ(include_path("STDIN", "x.conf"), "x.conf");
}

}  // namespace
}  // namespace ljail::config
