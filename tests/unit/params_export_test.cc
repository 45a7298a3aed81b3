// export_value() and bool_name(), and import -> export -> import round trips for every type.
#include <gtest/gtest.h>

#include "params/params.h"

namespace ljail::params {
namespace {

using List = std::vector<std::string>;

std::string exported(std::string_view arg) {
  Result<Assignment> a = import_arg(arg);
  EXPECT_TRUE(a.has_value()) << arg;
  if (!a) return "(import failed)";
  return export_value(*a->spec, a->value);
}

// Imports `text` for `name`, exports it, imports that again: the values must match, and the
// second export must be the first (export is canonical).
void expect_round_trip(std::string_view name, std::string_view text) {
  SCOPED_TRACE(std::string(name) + "=" + std::string(text));
  Result<Assignment> first = import(name, text);
  ASSERT_TRUE(first.has_value()) << first.error().message();
  std::string out = export_value(*first->spec, first->value);
  Result<Assignment> second = import(name, out);
  ASSERT_TRUE(second.has_value()) << second.error().message();
  EXPECT_EQ(first->spec, second->spec);
  EXPECT_EQ(first->value, second->value);
  EXPECT_EQ(export_value(*second->spec, second->value), out);
}

TEST(ParamsExport, Values) {
  EXPECT_EQ(exported("persist"), "true");
  EXPECT_EQ(exported("nopersist"), "false");
  EXPECT_EQ(exported("persist=5"), "true");
  EXPECT_EQ(exported("securelevel=-1"), "-1");
  EXPECT_EQ(exported("securelevel=+2"), "2");
  EXPECT_EQ(exported("jid=4294967295"), "4294967295");
  EXPECT_EQ(exported("host.hostid=18446744073709551615"), "18446744073709551615");
  EXPECT_EQ(exported("host=0"), "disable");
  EXPECT_EQ(exported("host=1"), "new");
  EXPECT_EQ(exported("host=INHERIT"), "inherit");
  EXPECT_EQ(exported("vnet="), "new");
  EXPECT_EQ(exported("host.hostname=a b \"c\""), "a b \"c\"");
  EXPECT_EQ(exported("path="), "");
  EXPECT_EQ(exported("ip4.addr=10.0.0.1,em0|10.0.0.2/255.255.0.0"), "10.0.0.1,em0|10.0.0.2/16");
  EXPECT_EQ(exported("ip6.addr=2001:DB8::0:1/64"), "2001:db8::1/64");
  EXPECT_EQ(exported("ip4.addr=-"), "");
  EXPECT_EQ(exported("depend=a,b"), "a,b");
  EXPECT_EQ(exported("exec.start=sh /etc/rc"), "sh /etc/rc");
}

TEST(ParamsExport, ValuesBuiltDirectly) {
  EXPECT_EQ(export_value(*find("exec.start"), Value(List{"a", "b c"})), "a,b c");
  EXPECT_EQ(export_value(*find("exec.start"), Value(List{})), "");
  EXPECT_EQ(export_value(*find("children.max"), Value(int64_t{-2147483648LL})), "-2147483648");
  EXPECT_EQ(export_value(*find("userns"), Value(JailSys::Disable)), "disable");
  EXPECT_EQ(export_value(*find("allow.mount"), Value(false)), "false");
}

TEST(ParamsExport, BoolName) {
  EXPECT_EQ(bool_name("persist", true), "persist");
  EXPECT_EQ(bool_name("persist", false), "nopersist");
  EXPECT_EQ(bool_name("allow.mount", false), "allow.nomount");
  EXPECT_EQ(bool_name("allow.mount", true), "allow.mount");
  EXPECT_EQ(bool_name("allow.mount.tmpfs", false), "allow.mount.notmpfs");
  EXPECT_EQ(bool_name("ip4.saddrsel", false), "ip4.nosaddrsel");
  EXPECT_EQ(bool_name("mount.devfs", false), "mount.nodevfs");
}

// jls -n output read back by jail(8): every boolean's name form imports to its value.
TEST(ParamsExport, BoolNameRoundTrip) {
  for (const Spec& s : table()) {
    if (s.type != Type::Bool) continue;
    for (bool v : {true, false}) {
      Result<Assignment> a = import_arg(bool_name(s.name, v));
      ASSERT_TRUE(a.has_value()) << bool_name(s.name, v);
      EXPECT_EQ(a->spec, &s);
      EXPECT_EQ(a->value, Value(v)) << s.name;
    }
  }
}

TEST(ParamsExport, RoundTripPerType) {
  for (std::string_view v : {"true", "false", "TRUE", "0", "1", "-3"}) {
    expect_round_trip("persist", v);
  }
  for (std::string_view v : {"0", "-1", "3", "2147483647", "-2147483648", "+7", "007"}) {
    expect_round_trip("securelevel", v);
  }
  for (std::string_view v : {"0", "1", "4294967295", "-0"}) expect_round_trip("jid", v);
  for (std::string_view v : {"0", "18446744073709551615"}) expect_round_trip("host.hostid", v);
  for (std::string_view v : {"", "new", "inherit", "disable", "0", "1", "2", "NEW"}) {
    expect_round_trip("ip4", v);
  }
  for (std::string_view v : {"", "www", "a b", "x=y", "a,b", "-", " lead"}) {
    expect_round_trip("host.hostname", v);
  }
  expect_round_trip("meta", std::string(4095, 'm'));
  for (std::string_view v :
       {"", "-", "10.0.0.1", "10.0.0.1,10.0.0.2", "em0|192.168.0.1/255.255.255.0,192.168.0.2/32"}) {
    expect_round_trip("ip4.addr", v);
  }
  for (std::string_view v : {"", "::1", "2001:DB8::1/64,em0|fe80::1", "::ffff:10.0.0.1"}) {
    expect_round_trip("ip6.addr", v);
  }
  // A one-element command list keeps its commas; split lists split them.
  for (std::string_view v : {"", "sh /etc/rc", "echo a,b"}) expect_round_trip("exec.start", v);
  for (std::string_view v : {"", "a", "a,b,c"}) expect_round_trip("depend", v);
  for (std::string_view v : {"tank/a,tank/b"}) expect_round_trip("zfs.dataset", v);
}

// Every parameter in the table round-trips a sample value of its type and its default.
TEST(ParamsExport, RoundTripEveryParameter) {
  for (const Spec& s : table()) {
    std::string_view sample;
    switch (s.type) {
      case Type::Bool:
        sample = "true";
        break;
      case Type::Int:
        sample = "-5";
        break;
      case Type::UInt:
      case Type::ULong:
        sample = "42";
        break;
      case Type::String:
        sample = "some text";
        break;
      case Type::JailSys:
        sample = "inherit";
        break;
      case Type::Ip4List:
        sample = "10.1.2.3,10.1.2.4/24";
        break;
      case Type::Ip6List:
        sample = "2001:db8::7,fe80::1/64";
        break;
      case Type::StringList:
        sample = "one";
        break;
    }
    expect_round_trip(s.name, sample);
    expect_round_trip(s.name, export_value(s, effective(ParamSet{}, s)));
  }
}

}  // namespace
}  // namespace ljail::params
