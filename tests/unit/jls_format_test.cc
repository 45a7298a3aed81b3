// jls output, byte for byte (freebsd-jail.md section 4).
#include "lib/jls_format.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "params/params.h"

namespace ljail::lib {
namespace {

using Libxo = JlsOptions::Libxo;

JailView make_jail(int jid, const std::string& name, const std::string& path,
                   std::initializer_list<std::string> args = {}, bool dying = false) {
  JailView j;
  j.jid = jid;
  j.name = name;
  j.path = path;
  j.dying = dying;
  EXPECT_TRUE(j.params.set_arg("jid=" + std::to_string(jid)).has_value());
  EXPECT_TRUE(j.params.set_arg("name=" + name).has_value());
  EXPECT_TRUE(j.params.set_arg("path=" + path).has_value());
  if (dying) {
    EXPECT_TRUE(j.params.set_arg("dying").has_value());
  }
  for (const std::string& a : args) EXPECT_TRUE(j.params.set_arg(a).has_value()) << a;
  return j;
}

std::string run(const std::vector<JailView>& jails, const JlsOptions& opts) {
  Result<std::string> out = format_jls(jails, opts);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message());
  return out ? *out : std::string("<error>");
}

JlsOptions named(std::initializer_list<std::string> params) {
  JlsOptions o;
  o.params = params;
  return o;
}

// Two jails as the tests below use them.
std::vector<JailView> www_and_db() {
  return {make_jail(1, "www", "/jails/www",
                    {"host.hostname=www.example.org", "ip4.addr=em0|192.0.2.10/24,192.0.2.11",
                     "ip6.addr=2001:db8::10/64", "cpuset.id=3", "persist"}),
          make_jail(12, "db", "/jails/db")};
}

constexpr char kHeader[] = "   JID  IP Address      Hostname                      Path\n";

// ---- default table ----

TEST(JlsDefault, TableWithAndWithoutAddresses) {
  EXPECT_EQ(run(www_and_db(), {}),
            std::string(kHeader) +
                "     1  192.0.2.10      www.example.org               /jails/www\n"
                "    12                                                /jails/db\n");
}

TEST(JlsDefault, NoJailsIsTheHeaderOnly) {
  EXPECT_EQ(run({}, {}), kHeader);
}

TEST(JlsDefault, HostnameAndPathAreTruncated) {
  std::string host(40, 'h');
  std::string path = "/" + std::string(99, 'p');
  std::vector<JailView> jails{make_jail(3, "t", path, {"host.hostname=" + host})};
  EXPECT_EQ(run(jails, {}), std::string(kHeader) + "     3                  " +
                                std::string(29, 'h') + " /" + std::string(73, 'p') + "\n");
}

TEST(JlsDefault, NameColumn) {
  JlsOptions o;
  o.name_column = true;
  std::vector<JailView> jails = www_and_db();
  jails.push_back(make_jail(13, "a-very-long-jail-name", "/j"));
  EXPECT_EQ(run(jails, o),
            " JID             IP Address      Hostname                      Path\n"
            " www             192.0.2.10      www.example.org               /jails/www\n"
            " db                                                            /jails/db\n"
            " a-very-long-jail-name                                               /j\n");
}

TEST(JlsDefault, DyingJailsOnlyWithD) {
  std::vector<JailView> jails{make_jail(1, "a", "/a"), make_jail(2, "b", "/b", {}, true)};
  EXPECT_EQ(run(jails, {}),
            std::string(kHeader) + "     1                                                /a\n");
  JlsOptions o;
  o.dying = true;
  EXPECT_EQ(run(jails, o), std::string(kHeader) +
                               "     1                                                /a\n"
                               "     2                                                /b\n");
}

// ---- -v ----

TEST(JlsVerbose, Format) {
  JlsOptions o;
  o.verbose = true;
  std::vector<JailView> jails = www_and_db();
  jails.push_back(make_jail(14, "gone", "/g", {}, true));
  o.dying = true;
  EXPECT_EQ(run(jails, o),
            "   JID  Hostname                      Path\n"
            "        Name                          State\n"
            "        CPUSetID\n"
            "        IP Address(es)\n"
            "     1  www.example.org               /jails/www\n"
            "        www                           ACTIVE\n"
            "        3\n"
            "        192.0.2.10\n"
            "        192.0.2.11\n"
            "        2001:db8::10\n"
            "    12                                /jails/db\n"
            "        db                            ACTIVE\n"
            "        0\n"
            "    14                                /g\n"
            "        gone                          DYING\n"
            "        0\n");
}

TEST(JlsVerbose, IgnoredWhenParametersAreNamed) {
  JlsOptions o = named({"jid", "name"});
  o.verbose = true;
  EXPECT_EQ(run(www_and_db(), o), "1 www\n12 db\n");
}

TEST(JlsVerbose, CancelledByN) {
  JlsOptions o = named({"name"});
  o.verbose = o.name_value = true;
  EXPECT_EQ(run(www_and_db(), o), "name=www\nname=db\n");
}

// ---- parameter mode ----

TEST(JlsParams, PlainValuesInRequestOrder) {
  EXPECT_EQ(run(www_and_db(), named({"name", "jid", "persist", "ip4", "ip4.addr", "securelevel"})),
            "www 1 true new em0|192.0.2.10/24,192.0.2.11 -1\n"
            "db 12 false new - -1\n");
}

TEST(JlsParams, RepeatedParametersPrintOnce) {
  EXPECT_EQ(run(www_and_db(), named({"name", "jid", "name"})), "www 1\ndb 12\n");
}

TEST(JlsParams, NameValue) {
  JlsOptions o = named({"jid", "name", "persist", "allow.mount", "ip4.addr", "host.hostname"});
  o.name_value = true;
  EXPECT_EQ(run(www_and_db(), o),
            "jid=1 name=www persist allow.nomount ip4.addr=em0|192.0.2.10/24,192.0.2.11 "
            "host.hostname=www.example.org\n"
            "jid=12 name=db nopersist allow.nomount ip4.addr= host.hostname=\"\"\n");
}

TEST(JlsParams, NegatedBooleanNames) {
  JlsOptions o = named({"nopersist", "allow.nomount"});
  EXPECT_EQ(run(www_and_db(), o), "false true\ntrue true\n");
  o.name_value = true;
  EXPECT_EQ(run(www_and_db(), o), "persist allow.nomount\nnopersist allow.nomount\n");
}

TEST(JlsParams, EmptyStringAndEmptyList) {
  std::vector<JailView> jails{make_jail(5, "e", "/e")};
  JlsOptions o = named({"host.hostname", "ip4.addr"});
  EXPECT_EQ(run(jails, o), "\"\" -\n");
  o.name_value = true;
  EXPECT_EQ(run(jails, o), "host.hostname=\"\" ip4.addr=\n");
  o.quote = true;
  EXPECT_EQ(run(jails, o), "host.hostname=\"\" ip4.addr=\"\"\n");
  o.name_value = false;
  EXPECT_EQ(run(jails, o), "\"\" \"\"\n");
}

TEST(JlsParams, Quoting) {
  std::vector<JailView> jails{
      make_jail(1, "q", "/q",
                {"host.hostname=it's", "host.domainname=say \"hi\"", "osrelease=a b",
                 "host.hostuuid=back\\slash", "meta=tab\there", "env=both ' and \""})};
  JlsOptions o = named(
      {"host.hostname", "host.domainname", "osrelease", "host.hostuuid", "meta", "env", "name"});
  EXPECT_EQ(run(jails, o), "it's say \"hi\" a b back\\slash tab\there both ' and \" q\n");
  o.quote = true;
  EXPECT_EQ(run(jails, o),
            "\"it's\" 'say \"hi\"' \"a b\" back\\\\slash \"tab\there\" \"both ' and \\\"\" q\n");
  o.name_value = true;
  o.params = {"host.hostname", "host.domainname"};
  EXPECT_EQ(run(jails, o), "host.hostname=\"it's\" host.domainname='say \"hi\"'\n");
}

TEST(JlsParams, HeaderLine) {
  JlsOptions o = named({"jid", "name", "path"});
  o.header = true;
  EXPECT_EQ(run(www_and_db(), o), "jid name path\n1 www /jails/www\n12 db /jails/db\n");
  EXPECT_EQ(run({}, o), "jid name path\n");
}

TEST(JlsParams, AllIsEveryKernelParameterInTableOrder) {
  std::string names;
  size_t count = 0;
  for (const params::Spec& spec : params::table()) {
    if (!spec.has(params::kKernel)) continue;
    names += (count++ ? " " : "") + std::string(spec.name);
  }
  JlsOptions o;
  o.header = true;  // -h alone assumes `all`
  std::string out = run({}, o);
  EXPECT_EQ(out, names + "\n");
  EXPECT_EQ(out.rfind("devfs_ruleset dying ", 0), 0u) << out;
  EXPECT_EQ(out.find("exec.start"), std::string::npos);
  EXPECT_NE(out.find(" allow.mount "), std::string::npos);

  // -n alone prints every one of them as name=value.
  JlsOptions n;
  n.name_value = true;
  std::string line = run({make_jail(1, "a", "/a")}, n);
  EXPECT_EQ(line.rfind("devfs_ruleset=0 nodying enforce_statfs=2 env=\"\" host=new ", 0), 0u)
      << line;
  EXPECT_NE(line.find(" jid=1 "), std::string::npos);
  EXPECT_NE(line.find(" allow.noraw_sockets "), std::string::npos);
  EXPECT_NE(line.find(" allow.reserved_ports "), std::string::npos);

  // `all` next to named parameters: expanded in place, repeats dropped.
  JlsOptions mixed = named({"path", "all"});
  mixed.header = true;
  EXPECT_EQ(run({}, mixed).rfind("path devfs_ruleset dying ", 0), 0u);
}

TEST(JlsParams, SaveSkipsReadOnlyAndUnusedParameters) {
  std::vector<JailView> jails{
      make_jail(1, "s", "/s",
                {"host=inherit", "host.hostname=ignored", "ip4=inherit", "ip6.addr=2001:db8::1",
                 "cpuset.id=7", "osrelease=my release", "persist"})};
  JlsOptions o = named({"jid", "name", "dying", "parent", "children.cur", "cpuset.id", "host",
                        "host.hostname", "ip4", "ip4.addr", "ip4.saddrsel", "ip6.addr",
                        "ip6.saddrsel", "osrelease", "persist", "allow.mount"});
  o.save = true;
  EXPECT_EQ(run(jails, o),
            "jid=1 name=s host=inherit ip4=inherit ip6.addr=2001:db8::1 ip6.saddrsel "
            "osrelease=\"my release\" persist allow.nomount\n");
}

TEST(JlsParams, SaveAloneAssumesAll) {
  JlsOptions o;
  o.save = true;
  std::string line = run({make_jail(1, "a", "/a")}, o);
  EXPECT_EQ(line.rfind("devfs_ruleset=0 enforce_statfs=2 env=\"\" host=new ", 0), 0u) << line;
  EXPECT_EQ(line.find("dying"), std::string::npos);
  EXPECT_EQ(line.find("cpuset.id"), std::string::npos);
  EXPECT_EQ(line.find("children.cur"), std::string::npos);
  EXPECT_NE(line.find(" ip4.addr=\"\" "), std::string::npos);
}

TEST(JlsParams, HeaderCancelsSave) {
  JlsOptions o = named({"jid", "dying"});
  o.header = o.save = true;
  EXPECT_EQ(run(www_and_db(), o), "jid dying\n1 false\n12 false\n");
}

TEST(JlsParams, UnknownParameter) {
  for (const char* name : {"nosuch", "exec.start", "mount.devfs", "allow.nosuch", "nojid"}) {
    Result<std::string> out = format_jls(www_and_db(), named({"jid", name}));
    ASSERT_FALSE(out.has_value()) << name;
    EXPECT_EQ(out.error().message(), std::string("unknown parameter: ") + name);
  }
  // Also with no jails to print.
  EXPECT_FALSE(format_jls({}, named({"nosuch"})).has_value());
}

TEST(JlsParams, MetaKeys) {
  std::vector<JailView> jails{make_jail(1, "j", "/j", {"meta=a=2\nb=3"})};
  EXPECT_EQ(run(jails, named({"meta.b", "meta", "meta.a"})), "3 a=2\nb=3 2\n");
  EXPECT_EQ(run(jails, named({"meta.missing", "name"})), " j\n");
  JlsOptions o = named({"meta.missing", "meta.a"});
  o.save = true;
  EXPECT_EQ(run(jails, o), "meta.missing meta.a=2\n");
}

// ---- libxo JSON ----

JlsOptions json(JlsOptions o = {}) {
  o.libxo = Libxo::Json;
  return o;
}

TEST(JlsJson, ReferenceExamples) {
  std::vector<JailView> jails{make_jail(1, "j", "/j", {"meta=a b c"})};
  EXPECT_EQ(run(jails, json(named({"name", "meta"}))),
            "{\"__version\": \"2\", \"jail-information\": {\"jail\": "
            "[{\"name\":\"j\",\"meta\":\"a b c\"}]}}\n");
  EXPECT_EQ(run(jails, json(named({"meta.c", "meta.d"}))),
            "{\"__version\": \"2\", \"jail-information\": {\"jail\": [{}]}}\n");
}

TEST(JlsJson, NoJails) {
  EXPECT_EQ(run({}, json()), "{\"__version\": \"2\", \"jail-information\": {\"jail\": []}}\n");
}

TEST(JlsJson, DefaultTable) {
  EXPECT_EQ(run(www_and_db(), json()),
            "{\"__version\": \"2\", \"jail-information\": {\"jail\": ["
            "{\"jid\":1,\"ipv4\":\"192.0.2.10\",\"hostname\":\"www.example.org\","
            "\"path\":\"/jails/www\"}, "
            "{\"jid\":12,\"ipv4\":\"\",\"hostname\":\"\",\"path\":\"/jails/db\"}]}}\n");
  JlsOptions o;
  o.name_column = true;
  EXPECT_EQ(run({make_jail(2, "n", "/n")}, json(o)),
            "{\"__version\": \"2\", \"jail-information\": {\"jail\": ["
            "{\"name\":\"n\",\"ipv4\":\"\",\"hostname\":\"\",\"path\":\"/n\"}]}}\n");
}

TEST(JlsJson, Verbose) {
  JlsOptions o;
  o.verbose = true;
  EXPECT_EQ(run(www_and_db(), json(o)),
            "{\"__version\": \"2\", \"jail-information\": {\"jail\": ["
            "{\"jid\":1,\"hostname\":\"www.example.org\",\"path\":\"/jails/www\","
            "\"name\":\"www\",\"state\":\"ACTIVE\",\"cpusetid\":3, "
            "\"ipv4_addrs\": [\"192.0.2.10\",\"192.0.2.11\"], \"ipv6_addrs\": [\"2001:db8::10\"]}, "
            "{\"jid\":12,\"hostname\":\"\",\"path\":\"/jails/db\",\"name\":\"db\","
            "\"state\":\"ACTIVE\",\"cpusetid\":0, \"ipv4_addrs\": [], \"ipv6_addrs\": []}]}}\n");
}

TEST(JlsJson, ParameterModeValues) {
  // Values are strings as jls exports them, booleans JSON booleans (reference 4.5); address
  // lists are arrays; the header is text only.
  JlsOptions o = json(named({"jid", "persist", "ip4.addr", "host.hostname", "path"}));
  o.header = true;
  EXPECT_EQ(run(www_and_db(), o),
            "{\"__version\": \"2\", \"jail-information\": {\"jail\": ["
            "{\"jid\":\"1\",\"persist\":true, \"ip4.addr\": "
            "[\"em0|192.0.2.10/24\",\"192.0.2.11\"],\"host.hostname\":\"www.example.org\","
            "\"path\":\"/jails/www\"}, "
            "{\"jid\":\"12\",\"persist\":false, \"ip4.addr\": [],\"host.hostname\":\"\","
            "\"path\":\"/jails/db\"}]}}\n");
}

TEST(JlsJson, NameValueBooleansUnderThePositiveName) {
  JlsOptions o = json(named({"persist", "allow.nomount", "nopersist", "name"}));
  o.name_value = true;
  EXPECT_EQ(run({make_jail(1, "j", "/j", {"persist"})}, o),
            "{\"__version\": \"2\", \"jail-information\": {\"jail\": ["
            "{\"persist\":true,\"allow.mount\":false,\"persist\":true,\"name\":\"j\"}]}}\n");
}

TEST(JlsJson, SaveSkipsAndEscapes) {
  JlsOptions o = json(named({"jid", "dying", "host.hostname", "osrelease"}));
  o.save = true;
  EXPECT_EQ(run({make_jail(1, "j", "/j", {"osrelease=a \"b\"\\c\n\x01"})}, o),
            "{\"__version\": \"2\", \"jail-information\": {\"jail\": ["
            "{\"jid\":\"1\",\"host.hostname\":\"\",\"osrelease\":\"a \\\"b\\\"\\\\c\\n\\u0001\"}"
            "]}}\n");
}

// ---- libxo XML ----

TEST(JlsXml, DefaultVerboseAndParameters) {
  JlsOptions o;
  o.libxo = Libxo::Xml;
  EXPECT_EQ(run(www_and_db(), o),
            "<jail-information __version=\"2\">"
            "<jail><jid>1</jid><ipv4>192.0.2.10</ipv4><hostname>www.example.org</hostname>"
            "<path>/jails/www</path></jail>"
            "<jail><jid>12</jid><ipv4></ipv4><hostname></hostname><path>/jails/db</path></jail>"
            "</jail-information>\n");
  o.verbose = true;
  EXPECT_EQ(run({www_and_db()[0]}, o),
            "<jail-information __version=\"2\"><jail><jid>1</jid>"
            "<hostname>www.example.org</hostname><path>/jails/www</path><name>www</name>"
            "<state>ACTIVE</state><cpusetid>3</cpusetid><ipv4_addr>192.0.2.10</ipv4_addr>"
            "<ipv4_addr>192.0.2.11</ipv4_addr><ipv6_addr>2001:db8::10</ipv6_addr></jail>"
            "</jail-information>\n");
  JlsOptions p = named({"name", "persist", "ip4.addr", "host.domainname"});
  p.libxo = Libxo::Xml;
  p.name_value = true;
  std::vector<JailView> jails{
      make_jail(1, "x", "/x", {"ip4.addr=192.0.2.1", "host.domainname=a<b>&c"})};
  EXPECT_EQ(run(jails, p),
            "<jail-information __version=\"2\"><jail><name>x</name><persist>false</persist>"
            "<ipv4_addr>192.0.2.1</ipv4_addr><host.domainname>a&lt;b&gt;&amp;c</host.domainname>"
            "</jail></jail-information>\n");
  EXPECT_EQ(run({}, p), "<jail-information __version=\"2\"></jail-information>\n");
}

}  // namespace
}  // namespace ljail::lib
