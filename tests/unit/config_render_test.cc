// `jail -e` output, the worked examples of reference 3.7, and to_conf round trips.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "config/memory_files.h"

namespace ljail::config {
namespace {

std::vector<ConfJail> must_load(const MemoryFiles& fs, const std::string& path) {
  auto r = load(path, fs.reader(), fs.globber());
  EXPECT_TRUE(r) << (r ? "" : r.error().message());
  return r ? *r : std::vector<ConfJail>{};
}

std::string show_e(const std::vector<ConfJail>& jails, std::string_view sep) {
  std::string out;
  for (const ConfJail& j : jails) out += render_e(j, sep) + "\n";
  return out;
}

TEST(ConfigRender, QuoteValueLikeJail8) {
  EXPECT_EQ(quote_value(""), "\"\"");
  EXPECT_EQ(quote_value("plain"), "plain");
  EXPECT_EQ(quote_value("a b"), "\"a b\"");
  EXPECT_EQ(quote_value("a\tb"), "\"a\tb\"");
  EXPECT_EQ(quote_value("it's"), "\"it's\"");
  EXPECT_EQ(quote_value("say \"hi\""), "'say \"hi\"'");
  EXPECT_EQ(quote_value("both ' and \""), "\"both ' and \\\"\"");
  EXPECT_EQ(quote_value("back\\slash"), "back\\\\slash");
}

TEST(ConfigRender, SeparatorAndJidSkipped) {
  MemoryFiles fs;
  fs.files["/j"] = "5309 { name = basejail; ip4.addr = 1.1.1.1, 2.2.2.2; persist; }";
  EXPECT_EQ(show_e(must_load(fs, "/j"), ","), "name=basejail,ip4.addr=1.1.1.1,2.2.2.2,persist\n");
  EXPECT_EQ(show_e(must_load(fs, "/j"), "\t"),
            "name=basejail\tip4.addr=1.1.1.1,2.2.2.2\tpersist\n");
}

// Reference 3.7 example 1 (jail.conf.5 EXAMPLES).
constexpr const char* kExample1 = R"(exec.start = "/bin/sh /etc/rc";
exec.stop = "/bin/sh /etc/rc.shutdown jail";
exec.clean;
mount.devfs;
path = "/var/jail/$name";        # wildcard-style global, resolved per jail
foo {
    host.hostname = "foo.com";
    ip4.addr = 10.1.1.1, 10.1.1.2, 10.1.1.3;
}
bar {
    exec.start = '';             # override: no start command
    exec.stop = '';
    path = /;
    mount.nodevfs;
    persist;                     // needed because no processes will run
}
.include "/etc/jail.conf.d/*.conf";
)";

TEST(ConfigExamples, DefaultsPlusTypicalJail) {
  MemoryFiles fs;
  fs.files["/etc/jail.conf"] = kExample1;
  fs.files["/etc/jail.conf.d/www.conf"] = "www { ip4.addr = 10.1.1.9; }";
  EXPECT_EQ(show_e(must_load(fs, "/etc/jail.conf"), " "),
            "name=foo exec.start=\"/bin/sh /etc/rc\" exec.stop=\"/bin/sh /etc/rc.shutdown jail\" "
            "exec.clean mount.devfs path=/var/jail/foo host.hostname=foo.com "
            "ip4.addr=10.1.1.1,10.1.1.2,10.1.1.3\n"
            "name=bar exec.start=\"\" exec.stop=\"\" exec.clean mount.nodevfs path=/ persist\n"
            "name=www exec.start=\"/bin/sh /etc/rc\" exec.stop=\"/bin/sh /etc/rc.shutdown jail\" "
            "exec.clean mount.devfs path=/var/jail/www ip4.addr=10.1.1.9\n");
}

TEST(ConfigExamples, ListBuilding) {
  MemoryFiles fs;
  fs.files["/a"] = "j { ip4.addr = 10.1.1.1; ip4.addr += 10.1.1.2; }";
  fs.files["/b"] = "j { ip4.addr = 10.1.1.1, 10.1.1.2; }";
  EXPECT_EQ(show_e(must_load(fs, "/a"), " "), show_e(must_load(fs, "/b"), " "));
}

TEST(ConfigExamples, BooleanForms) {
  MemoryFiles fs;
  fs.files["/a"] = "j { allow.mount = \"false\"; }";
  fs.files["/b"] = "j { allow.nomount; }";
  EXPECT_EQ(show_e(must_load(fs, "/a"), " "), "name=j allow.mount=false\n");
  EXPECT_EQ(show_e(must_load(fs, "/b"), " "), "name=j allow.nomount\n");
}

TEST(ConfigExamples, NumericBlockName) {
  MemoryFiles fs;
  fs.files["/a"] = "5309 { name = basejail; persist; }";
  fs.files["/b"] = "5309 { host.hostname = \"${name}\"; persist; }";
  std::vector<ConfJail> a = must_load(fs, "/a");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].name, "5309");
  EXPECT_EQ(a[0].find("jid")->values, std::vector<std::string>{"5309"});
  EXPECT_EQ(a[0].find("name")->values, std::vector<std::string>{"basejail"});
  std::vector<ConfJail> b = must_load(fs, "/b");
  EXPECT_EQ(b[0].find("host.hostname")->values, std::vector<std::string>{"5309"});
}

TEST(ConfigExamples, InterfaceAlias) {
  MemoryFiles fs;
  fs.files["/a"] = "j { ip4.addr = \"em0|192.0.2.10/24\"; }";
  EXPECT_EQ(show_e(must_load(fs, "/a"), " "), "name=j ip4.addr=em0|192.0.2.10/24\n");
}

TEST(ConfigExamples, HierarchicalNames) {
  MemoryFiles fs;
  fs.files["/a"] = "foo { } foo.bar { } foo { baz { } }";
  std::vector<ConfJail> j = must_load(fs, "/a");
  ASSERT_EQ(j.size(), 4u);
  EXPECT_EQ(j[1].name, "foo.bar");
  EXPECT_EQ(j[3].name, "foo.baz");
}

void expect_round_trip(const std::string& text) {
  MemoryFiles fs;
  fs.files["/c"] = text;
  std::vector<ConfJail> first = must_load(fs, "/c");
  fs.files["/d"] = to_conf(first);
  std::vector<ConfJail> second = must_load(fs, "/d");
  ASSERT_EQ(first.size(), second.size()) << fs.files["/d"];
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].name, second[i].name);
    ASSERT_EQ(first[i].params.size(), second[i].params.size()) << fs.files["/d"];
    for (size_t k = 0; k < first[i].params.size(); ++k) {
      EXPECT_EQ(first[i].params[k].name, second[i].params[k].name) << fs.files["/d"];
      EXPECT_EQ(first[i].params[k].values, second[i].params[k].values) << fs.files["/d"];
    }
  }
}

TEST(ConfigRender, RoundTrips) {
  expect_round_trip(kExample1);
  expect_round_trip("5309 { name = basejail; persist; } 5310 { persist; } 7 { name = \"7\"; p; }");
  expect_round_trip("\"a b\" { 'odd name' = 'it\\'s', \"x\\\\y\"; p = \"$name\\n\"; q; }");
  expect_round_trip("$l = a, b; j { p = $l; q = '$x'; r = \"\"; } k.l { nopersist; }");
  expect_round_trip("a { b { c { p = \"{;}#//\"; } } }");
}

}  // namespace
}  // namespace ljail::config
