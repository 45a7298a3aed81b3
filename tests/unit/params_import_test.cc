// The parameter table, import (text to typed values, with FreeBSD's error texts) and ParamSet.
#include <gtest/gtest.h>

#include <cerrno>
#include <set>

#include "params/params.h"

namespace ljail::params {
namespace {

using List = std::vector<std::string>;

Value imported(std::string_view arg) {
  Result<Assignment> a = import_arg(arg);
  EXPECT_TRUE(a.has_value()) << arg << ": " << (a ? "" : a.error().message());
  return a ? a->value : Value{};
}

std::string error_of(std::string_view arg) {
  Result<Assignment> a = import_arg(arg);
  if (a) return "(no error)";
  EXPECT_EQ(a.error().code(), EINVAL) << arg;
  return a.error().message();
}

// ---- the table ----

TEST(ParamsTable, SortedAsJlsAll) {
  auto t = table();
  ASSERT_FALSE(t.empty());
  bool seen_dotted = false;
  for (size_t i = 0; i < t.size(); ++i) {
    bool dotted = t[i].name.find('.') != std::string_view::npos;
    EXPECT_FALSE(seen_dotted && !dotted) << t[i].name << " comes after a dotted name";
    seen_dotted = seen_dotted || dotted;
    if (i > 0 && (t[i - 1].name.find('.') != std::string_view::npos) == dotted) {
      EXPECT_LT(t[i - 1].name, t[i].name);
    }
  }
  EXPECT_EQ(t.front().name, "command");
  EXPECT_EQ(t.back().name, "zfs.mount_snapshot");
}

TEST(ParamsTable, FindEveryRow) {
  for (const Spec& s : table()) {
    EXPECT_EQ(find(s.name), &s) << s.name;
  }
  EXPECT_EQ(find(""), nullptr);
  EXPECT_EQ(find("nopersist"), nullptr);
  EXPECT_EQ(find("allow"), nullptr);
  EXPECT_EQ(find("allow.mount.nosuch"), nullptr);
  EXPECT_EQ(find("zzz"), nullptr);
  EXPECT_EQ(find("aaa"), nullptr);
}

TEST(ParamsTable, KernelOrPseudo) {
  size_t kernel = 0, pseudo = 0;
  for (const Spec& s : table()) {
    kernel += s.has(kKernel);
    pseudo += s.has(kPseudo);
    EXPECT_NE(s.has(kKernel), s.has(kPseudo)) << s.name;
    if (!s.jailsys_parent.empty()) {
      ASSERT_NE(find(s.jailsys_parent), nullptr) << s.name;
      EXPECT_EQ(find(s.jailsys_parent)->type, Type::JailSys) << s.name;
    }
  }
  // 64 FreeBSD kernel parameters plus userns, userns.uid, userns.size; 32 pseudo-parameters
  // plus ljail's exec.runlevel, exec.init, ip4.nat and stop.signal.
  EXPECT_EQ(kernel, 67u);
  EXPECT_EQ(pseudo, 36u);
}

TEST(ParamsTable, Rows) {
  struct Row {
    const char* name;
    Type type;
    unsigned flags;
    const char* def;
  };
  const Row rows[] = {
      {"jid", Type::UInt, kKernel | kCreateOnly, ""},
      {"name", Type::String, kKernel, ""},
      {"path", Type::String, kKernel | kCreateOnly, ""},
      {"parent", Type::UInt, kKernel | kReadOnly, "0"},
      {"dying", Type::Bool, kKernel | kReadOnly, "false"},
      {"cpuset.id", Type::Int, kKernel | kReadOnly, "0"},
      {"children.max", Type::Int, kKernel, "0"},
      {"children.cur", Type::Int, kKernel | kReadOnly, "0"},
      {"meta", Type::String, kKernel, ""},
      {"env", Type::String, kKernel, ""},
      {"host", Type::JailSys, kKernel, "new"},
      {"host.hostid", Type::ULong, kKernel, "0"},
      {"ip4", Type::JailSys, kKernel | kCreateOnly, "new"},
      {"ip4.addr", Type::Ip4List, kKernel, ""},
      {"ip6.addr", Type::Ip6List, kKernel, ""},
      {"ip6.saddrsel", Type::Bool, kKernel, "true"},
      {"vnet", Type::JailSys, kKernel | kCreateOnly, "inherit"},
      {"securelevel", Type::Int, kKernel, "-1"},
      {"enforce_statfs", Type::Int, kKernel, "2"},
      {"osreldate", Type::Int, kKernel | kCreateOnly, "0"},
      {"allow.set_hostname", Type::Bool, kKernel, "true"},
      {"allow.chflags", Type::Bool, kKernel | kNoGrant, "false"},
      {"allow.mount.zfs", Type::Bool, kKernel | kNoGrant, "false"},
      {"allow.mount.tmpfs", Type::Bool, kKernel, "false"},
      {"allow.suser", Type::Bool, kKernel, "true"},
      {"sysvshm", Type::JailSys, kKernel, "new"},
      {"zfs.mount_snapshot", Type::Int, kKernel, "0"},
      {"userns", Type::JailSys, kKernel | kLinux | kCreateOnly, "new"},
      {"userns.size", Type::UInt, kKernel | kLinux | kCreateOnly, "65536"},
      {"exec.start", Type::StringList, kPseudo, ""},
      {"stop.timeout", Type::Int, kPseudo, "10"},
      {"mount.devfs", Type::Bool, kPseudo, "true"},
      {"mount.tmpfs", Type::Bool, kPseudo | kLinux, "true"},
      {"rctl", Type::StringList, kPseudo | kLinux, ""},
  };
  for (const Row& r : rows) {
    const Spec* s = find(r.name);
    ASSERT_NE(s, nullptr) << r.name;
    EXPECT_EQ(s->type, r.type) << r.name;
    EXPECT_EQ(s->flags, r.flags) << r.name;
    EXPECT_EQ(s->default_value, r.def) << r.name;
  }
  EXPECT_EQ(find("host.hostname")->jailsys_parent, "host");
  EXPECT_EQ(find("ip6.addr")->jailsys_parent, "ip6");

  std::set<std::string_view> no_grant;
  for (const Spec& s : table()) {
    if (s.has(kNoGrant)) no_grant.insert(s.name);
  }
  EXPECT_EQ(no_grant,
            (std::set<std::string_view>{"allow.adjtime", "allow.chflags", "allow.mount.zfs",
                                        "allow.nfsd", "allow.quotas", "allow.read_msgbuf",
                                        "allow.setaudit", "allow.settime", "allow.vmm"}));
}

TEST(ParamsTable, EveryDefaultImports) {
  ParamSet empty;
  for (const Spec& s : table()) {
    if (s.default_value.empty()) continue;
    Result<Assignment> a = import(s.name, s.default_value);
    ASSERT_TRUE(a.has_value()) << s.name;
    EXPECT_EQ(effective(empty, s), a->value) << s.name;
  }
}

// ---- names and the `no` form ----

TEST(ParamsImport, UnknownParameter) {
  for (std::string_view arg : {"bogus", "bogus=1", "nohost.hostname", "host.nohostname=x", "noname",
                               "allow.nosuch", "Persist", "=x", "meta.key=v"}) {
    Result<Assignment> a = import_arg(arg);
    ASSERT_FALSE(a.has_value()) << arg;
    EXPECT_EQ(a.error().code(), ENOENT);
    std::string name(arg.substr(0, arg.find('=')));
    EXPECT_EQ(a.error().message(), "unknown parameter: " + name);
  }
}

TEST(ParamsImport, BoolForms) {
  EXPECT_EQ(imported("persist"), Value(true));
  EXPECT_EQ(imported("nopersist"), Value(false));
  EXPECT_EQ(imported("persist=true"), Value(true));
  EXPECT_EQ(imported("persist=TRUE"), Value(true));
  EXPECT_EQ(imported("persist=False"), Value(false));
  EXPECT_EQ(imported("persist=0"), Value(false));
  EXPECT_EQ(imported("persist=1"), Value(true));
  EXPECT_EQ(imported("persist=-7"), Value(true));
  EXPECT_EQ(imported("persist=+2"), Value(true));
  EXPECT_EQ(imported("allow.nomount"), Value(false));
  EXPECT_EQ(imported("allow.mount.notmpfs"), Value(false));
  EXPECT_EQ(imported("mount.nodevfs"), Value(false));
  EXPECT_EQ(imported("ip4.nosaddrsel"), Value(false));
  EXPECT_EQ(imported("exec.noclean"), Value(false));
  EXPECT_EQ(import_arg("allow.nomount")->spec, find("allow.mount"));
  EXPECT_EQ(import("persist", std::nullopt)->value, Value(true));
}

TEST(ParamsImport, BoolErrors) {
  EXPECT_EQ(error_of("persist=yes"), "persist: unknown boolean value \"yes\"");
  EXPECT_EQ(error_of("persist="), "persist: unknown boolean value \"\"");
  EXPECT_EQ(error_of("persist=1x"), "persist: unknown boolean value \"1x\"");
  EXPECT_EQ(error_of("persist=truex"), "persist: unknown boolean value \"truex\"");
  EXPECT_EQ(error_of("allow.mount=on"), "allow.mount: unknown boolean value \"on\"");
  EXPECT_EQ(error_of("nopersist=1"), "nopersist: value not allowed");
  EXPECT_EQ(error_of("nopersist="), "nopersist: value not allowed");
  EXPECT_EQ(error_of("allow.nomount=false"), "allow.nomount: value not allowed");
}

// ---- integers ----

TEST(ParamsImport, Int) {
  EXPECT_EQ(imported("securelevel=-1"), Value(int64_t{-1}));
  EXPECT_EQ(imported("securelevel=3"), Value(int64_t{3}));
  EXPECT_EQ(imported("securelevel=+3"), Value(int64_t{3}));
  EXPECT_EQ(imported("osreldate=2147483647"), Value(int64_t{2147483647}));
  EXPECT_EQ(imported("osreldate=-2147483648"), Value(int64_t{-2147483648LL}));
  EXPECT_EQ(imported("osreldate=007"), Value(int64_t{7}));
}

TEST(ParamsImport, IntErrors) {
  EXPECT_EQ(error_of("securelevel=abc"), "securelevel: non-integer value \"abc\"");
  EXPECT_EQ(error_of("securelevel="), "securelevel: non-integer value \"\"");
  EXPECT_EQ(error_of("securelevel"), "securelevel: non-integer value \"\"");
  EXPECT_EQ(error_of("securelevel=1.5"), "securelevel: non-integer value \"1.5\"");
  EXPECT_EQ(error_of("securelevel= 1"), "securelevel: non-integer value \" 1\"");
  EXPECT_EQ(error_of("securelevel=0x10"), "securelevel: non-integer value \"0x10\"");
  EXPECT_EQ(error_of("securelevel=-"), "securelevel: non-integer value \"-\"");
  EXPECT_EQ(error_of("osreldate=2147483648"), "osreldate: value out of range: 2147483648");
  EXPECT_EQ(error_of("osreldate=-2147483649"), "osreldate: value out of range: -2147483649");
  EXPECT_EQ(error_of("osreldate=99999999999999999999"),
            "osreldate: value out of range: 99999999999999999999");
}

TEST(ParamsImport, UInt) {
  EXPECT_EQ(imported("jid=5"), Value(uint64_t{5}));
  EXPECT_EQ(imported("jid=4294967295"), Value(uint64_t{4294967295u}));
  EXPECT_EQ(imported("jid=-0"), Value(uint64_t{0}));
  EXPECT_EQ(error_of("jid=4294967296"), "jid: value out of range: 4294967296");
  EXPECT_EQ(error_of("jid=-1"), "jid: value out of range: -1");
  EXPECT_EQ(error_of("jid=x"), "jid: non-integer value \"x\"");
  EXPECT_EQ(error_of("jid"), "jid: non-integer value \"\"");
}

TEST(ParamsImport, ULong) {
  EXPECT_EQ(imported("host.hostid=18446744073709551615"), Value(uint64_t{18446744073709551615u}));
  EXPECT_EQ(error_of("host.hostid=18446744073709551616"),
            "host.hostid: value out of range: 18446744073709551616");
  EXPECT_EQ(error_of("host.hostid=-5"), "host.hostid: value out of range: -5");
  EXPECT_EQ(error_of("host.hostid=0x1"), "host.hostid: non-integer value \"0x1\"");
}

// ---- jailsys ----

TEST(ParamsImport, JailSys) {
  EXPECT_EQ(imported("host=new"), Value(JailSys::New));
  EXPECT_EQ(imported("host=INHERIT"), Value(JailSys::Inherit));
  EXPECT_EQ(imported("ip4=Disable"), Value(JailSys::Disable));
  EXPECT_EQ(imported("ip4=0"), Value(JailSys::Disable));
  EXPECT_EQ(imported("ip4=1"), Value(JailSys::New));
  EXPECT_EQ(imported("ip4=2"), Value(JailSys::Inherit));
  EXPECT_EQ(imported("vnet="), Value(JailSys::New));
  EXPECT_EQ(imported("vnet"), Value(JailSys::New));
  EXPECT_EQ(imported("userns=disable"), Value(JailSys::Disable));  // refused by validate()
  EXPECT_EQ(error_of("vnet=3"), "vnet: unknown jailsys value \"3\"");
  EXPECT_EQ(error_of("vnet=yes"), "vnet: unknown jailsys value \"yes\"");
  EXPECT_EQ(error_of("sysvshm=-1"), "sysvshm: unknown jailsys value \"-1\"");
}

TEST(ParamsImport, JailSysHasNoNoForm) {
  Result<Assignment> a = import_arg("novnet");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().message(), "unknown parameter: novnet");
}

// ---- strings ----

TEST(ParamsImport, String) {
  EXPECT_EQ(imported("host.hostname=www.example.org"), Value(std::string("www.example.org")));
  EXPECT_EQ(imported("host.hostname"), Value(std::string()));
  EXPECT_EQ(imported("exec.jail_user= a b=c "), Value(std::string(" a b=c ")));
  EXPECT_EQ(imported("osrelease=" + std::string(1023, 'x')), Value(std::string(1023, 'x')));
  EXPECT_EQ(imported("meta=" + std::string(4095, 'm')), Value(std::string(4095, 'm')));
  EXPECT_EQ(error_of("osrelease=" + std::string(1024, 'x')),
            "osrelease: value too long (more than 1023 bytes)");
  EXPECT_EQ(error_of("env=" + std::string(4096, 'e')),
            "env: value too long (more than 4095 bytes)");
  using namespace std::string_view_literals;
  EXPECT_EQ(error_of("path=/a\0b"sv), "path: value contains a NUL byte");
}

TEST(ParamsImport, StringList) {
  EXPECT_EQ(imported("exec.start=sh /etc/rc, then more"), Value(List{"sh /etc/rc, then more"}));
  EXPECT_EQ(imported("command=/bin/sh"), Value(List{"/bin/sh"}));
  EXPECT_EQ(imported("mount=/a /b nullfs ro,noatime 0 0"),
            Value(List{"/a /b nullfs ro,noatime 0 0"}));
  EXPECT_EQ(imported("rctl=memoryuse:deny=1g,maxproc:deny=10"),
            Value(List{"memoryuse:deny=1g,maxproc:deny=10"}));
  EXPECT_EQ(imported("depend=a,b"), Value(List{"a", "b"}));
  EXPECT_EQ(imported("vnet.interface=eth1,,eth2,"), Value(List{"eth1", "eth2"}));
  EXPECT_EQ(imported("zfs.dataset=tank/a"), Value(List{"tank/a"}));
  EXPECT_EQ(imported("exec.start="), Value(List{}));
  EXPECT_EQ(imported("exec.start"), Value(List{}));
  EXPECT_EQ(imported("depend="), Value(List{}));
  using namespace std::string_view_literals;
  EXPECT_EQ(error_of("exec.start=a\0b"sv), "exec.start: value contains a NUL byte");
}

// ---- addresses ----

TEST(ParamsImport, Ip4List) {
  EXPECT_EQ(imported("ip4.addr=10.0.0.1"), Value(List{"10.0.0.1"}));
  EXPECT_EQ(imported("ip4.addr=10.0.0.1,10.0.0.2"), Value(List{"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(imported("ip4.addr=em0|192.168.1.5/24"), Value(List{"em0|192.168.1.5/24"}));
  EXPECT_EQ(imported("ip4.addr=192.168.1.5/255.255.255.0"), Value(List{"192.168.1.5/24"}));
  EXPECT_EQ(imported("ip4.addr=192.168.1.5/255.255.255.255"), Value(List{"192.168.1.5/32"}));
  EXPECT_EQ(imported("ip4.addr=192.168.1.5/0.0.0.0"), Value(List{"192.168.1.5/0"}));
  EXPECT_EQ(imported("ip4.addr=192.168.1.5/0"), Value(List{"192.168.1.5/0"}));
  EXPECT_EQ(imported("ip4.addr=192.168.1.5/32"), Value(List{"192.168.1.5/32"}));
  EXPECT_EQ(imported("ip4.addr=192.168.1.5/08"), Value(List{"192.168.1.5/8"}));
  EXPECT_EQ(imported("ip4.addr=br-lan.100|10.1.1.1"), Value(List{"br-lan.100|10.1.1.1"}));
  EXPECT_EQ(imported("ip4.addr="), Value(List{}));
  EXPECT_EQ(imported("ip4.addr=-"), Value(List{}));
  EXPECT_EQ(imported("ip4.addr"), Value(List{}));
}

TEST(ParamsImport, Ip4ListErrors) {
  EXPECT_EQ(error_of("ip4.addr=10.0.0"), "ip4.addr: not an IPv4 address: 10.0.0");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1,bogus"), "ip4.addr: not an IPv4 address: bogus");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1,"), "ip4.addr: not an IPv4 address: ");
  EXPECT_EQ(error_of("ip4.addr=::1"), "ip4.addr: not an IPv4 address: ::1");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1 vhid 1"), "ip4.addr: not an IPv4 address: 10.0.0.1 vhid 1");
  EXPECT_EQ(error_of("ip4.addr=em0|x/24"), "ip4.addr: not an IPv4 address: em0|x/24");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1/33"), "ip4.addr: invalid netmask: 10.0.0.1/33");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1/"), "ip4.addr: invalid netmask: 10.0.0.1/");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1/255.0.255.0"),
            "ip4.addr: invalid netmask: 10.0.0.1/255.0.255.0");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1/-1"), "ip4.addr: invalid netmask: 10.0.0.1/-1");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1/100"), "ip4.addr: invalid netmask: 10.0.0.1/100");
  EXPECT_EQ(error_of("ip4.addr=|10.0.0.1"), "ip4.addr: invalid interface name: |10.0.0.1");
  EXPECT_EQ(error_of("ip4.addr=abcdefghijklmnop|10.0.0.1"),
            "ip4.addr: invalid interface name: abcdefghijklmnop|10.0.0.1");
  EXPECT_EQ(error_of("ip4.addr=a/b|10.0.0.1"), "ip4.addr: invalid interface name: a/b|10.0.0.1");
  EXPECT_EQ(error_of("ip4.addr=em0:1|10.0.0.1"),
            "ip4.addr: invalid interface name: em0:1|10.0.0.1");
  EXPECT_EQ(error_of("ip4.addr=e m|10.0.0.1"), "ip4.addr: invalid interface name: e m|10.0.0.1");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1,10.0.0.1"), "ip4.addr: duplicate address: 10.0.0.1");
  EXPECT_EQ(error_of("ip4.addr=10.0.0.1/24,em0|10.0.0.1"),
            "ip4.addr: duplicate address: em0|10.0.0.1");
  // An interface name of exactly 15 bytes is fine.
  EXPECT_EQ(imported("ip4.addr=abcdefghijklmno|10.0.0.1"), Value(List{"abcdefghijklmno|10.0.0.1"}));
}

TEST(ParamsImport, Ip6List) {
  EXPECT_EQ(imported("ip6.addr=2001:DB8:0:0::1"), Value(List{"2001:db8::1"}));
  EXPECT_EQ(imported("ip6.addr=::1,fe80::1/64"), Value(List{"::1", "fe80::1/64"}));
  EXPECT_EQ(imported("ip6.addr=em0|2001:db8::5/128"), Value(List{"em0|2001:db8::5/128"}));
  EXPECT_EQ(imported("ip6.addr=2001:db8::5/0"), Value(List{"2001:db8::5/0"}));
  EXPECT_EQ(imported("ip6.addr=-"), Value(List{}));
  EXPECT_EQ(error_of("ip6.addr=10.0.0.1"), "ip6.addr: not an IPv6 address: 10.0.0.1");
  EXPECT_EQ(error_of("ip6.addr=fe80::1%eth0"), "ip6.addr: not an IPv6 address: fe80::1%eth0");
  EXPECT_EQ(error_of("ip6.addr=::1/129"), "ip6.addr: invalid netmask: ::1/129");
  EXPECT_EQ(error_of("ip6.addr=::1/ffff::"), "ip6.addr: invalid netmask: ::1/ffff::");
  EXPECT_EQ(error_of("ip6.addr=a:b|::1"), "ip6.addr: invalid interface name: a:b|::1");
  EXPECT_EQ(error_of("ip6.addr=::1,0:0::1"), "ip6.addr: duplicate address: 0:0::1");
}

// ---- ParamSet ----

TEST(ParamSet, SetKeepsPositionAndReplaces) {
  ParamSet set;
  ASSERT_TRUE(set.set_arg("name=a").has_value());
  ASSERT_TRUE(set.set_arg("persist").has_value());
  ASSERT_TRUE(set.set_arg("name=b").has_value());
  ASSERT_EQ(set.items().size(), 2u);
  EXPECT_EQ(set.items()[0].spec->name, "name");
  EXPECT_EQ(set.items()[0].value, Value(std::string("b")));
  EXPECT_EQ(set.items()[1].spec->name, "persist");
  ASSERT_TRUE(set.set_arg("nopersist").has_value());
  EXPECT_FALSE(set.get_bool("persist"));
  EXPECT_EQ(set.items().size(), 2u);
}

TEST(ParamSet, MergeAppendsLists) {
  ParamSet set;
  ASSERT_TRUE(set.set_arg("exec.start=a,b").has_value());
  ASSERT_TRUE(set.set_arg("exec.start=c").has_value());
  ASSERT_TRUE(set.set_arg("ip4.addr=10.0.0.1").has_value());
  ASSERT_TRUE(set.set_arg("ip4.addr=10.0.0.2,10.0.0.3").has_value());
  EXPECT_EQ(set.get_list("exec.start"), (List{"a,b", "c"}));
  EXPECT_EQ(set.get_list("ip4.addr"), (List{"10.0.0.1", "10.0.0.2", "10.0.0.3"}));
  set.set(find("exec.start"), List{"x"});
  EXPECT_EQ(set.get_list("exec.start"), List{"x"});
  set.merge(find("securelevel"), int64_t{1});
  set.merge(find("securelevel"), int64_t{2});
  EXPECT_EQ(set.get_int("securelevel"), 2);
}

TEST(ParamSet, SetArgErrors) {
  ParamSet set;
  Ok r = set.set_arg("persist=maybe");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "persist: unknown boolean value \"maybe\"");
  EXPECT_TRUE(set.items().empty());
}

TEST(ParamSet, HasGetErase) {
  ParamSet set;
  EXPECT_FALSE(set.has("path"));
  EXPECT_EQ(set.get("path"), nullptr);
  ASSERT_TRUE(set.set_arg("path=/j").has_value());
  ASSERT_TRUE(set.set_arg("jid=3").has_value());
  EXPECT_TRUE(set.has("path"));
  ASSERT_NE(set.get("path"), nullptr);
  EXPECT_EQ(*set.get("path"), Value(std::string("/j")));
  set.erase("path");
  EXPECT_FALSE(set.has("path"));
  set.erase("path");
  set.erase("not-a-parameter");
  ASSERT_EQ(set.items().size(), 1u);
  EXPECT_EQ(set.items()[0].spec->name, "jid");
}

TEST(ParamSet, Defaults) {
  ParamSet set;
  EXPECT_FALSE(set.get_bool("persist"));
  EXPECT_TRUE(set.get_bool("allow.set_hostname"));
  EXPECT_TRUE(set.get_bool("mount.devfs"));
  EXPECT_EQ(set.get_int("securelevel"), -1);
  EXPECT_EQ(set.get_int("enforce_statfs"), 2);
  EXPECT_EQ(set.get_int("stop.timeout"), 10);
  EXPECT_EQ(set.get_uint("jid"), 0u);
  EXPECT_EQ(set.get_uint("userns.size"), 65536u);
  EXPECT_EQ(set.get_uint("host.hostid"), 0u);
  EXPECT_EQ(set.get_string("path"), "");
  EXPECT_EQ(set.get_list("ip4.addr"), List{});
  EXPECT_EQ(set.get_list("exec.start"), List{});
  EXPECT_EQ(set.get_jailsys("vnet"), JailSys::Inherit);
  EXPECT_EQ(set.get_jailsys("sysvmsg"), JailSys::New);
  EXPECT_EQ(set.get_jailsys("userns"), JailSys::New);
  EXPECT_EQ(effective(set, *find("allow.suser")), Value(true));
  EXPECT_EQ(effective(set, *find("exec.clean")), Value(false));
  ASSERT_TRUE(set.set_arg("securelevel=2").has_value());
  EXPECT_EQ(set.get_int("securelevel"), 2);
  EXPECT_EQ(effective(set, *find("securelevel")), Value(int64_t{2}));
}

TEST(ParamSetDeathTest, ProgrammingErrorsAbort) {
  ParamSet set;
  EXPECT_DEATH((void)set.get_bool("bogus"), "unknown parameter: bogus");
  EXPECT_DEATH((void)set.get_int("persist"), "wrong type: persist");
  EXPECT_DEATH(set.set(find("persist"), int64_t{1}), "wrong type: persist");
}

}  // namespace
}  // namespace ljail::params
