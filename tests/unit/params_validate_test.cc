// validate() over whole parameter sets, and the jail name rules of validate_name().
#include <gtest/gtest.h>

#include <cerrno>
#include <initializer_list>

#include "params/params.h"

namespace ljail::params {
namespace {

ParamSet make(std::initializer_list<std::string_view> args) {
  ParamSet set;
  for (std::string_view arg : args) {
    Ok r = set.set_arg(arg);
    EXPECT_TRUE(r.has_value()) << arg << ": " << (r ? "" : r.error().message());
  }
  return set;
}

std::string error_of(const ParamSet& set) {
  Ok r = validate(set);
  if (r) return "(no error)";
  EXPECT_EQ(r.error().code(), EINVAL);
  return r.error().message();
}

std::string name_error(std::string_view name) {
  Ok r = validate_name(name);
  if (r) return "(no error)";
  EXPECT_EQ(r.error().code(), EINVAL);
  return r.error().message();
}

TEST(ParamsValidate, TypicalSetsPass) {
  EXPECT_EQ(error_of(ParamSet{}), "(no error)");
  EXPECT_EQ(error_of(make({"name=www", "path=/jails/www", "host.hostname=www.example.org",
                           "ip4.addr=10.0.0.5", "ip6.addr=2001:db8::5", "persist", "securelevel=3",
                           "enforce_statfs=0", "devfs_ruleset=4", "children.max=10", "allow.mount",
                           "allow.chflags=false", "allow.noquotas", "exec.start=sh /etc/rc",
                           "stop.timeout=0", "exec.timeout=30", "userns.uid=100000",
                           "userns.size=65536"})),
            "(no error)");
  EXPECT_EQ(error_of(make({"ip4=inherit", "ip6=disable", "host=inherit", "userns=inherit"})),
            "(no error)");
}

TEST(ParamsValidate, ReadOnly) {
  EXPECT_EQ(error_of(make({"dying=false"})), "dying: parameter is read-only");
  EXPECT_EQ(error_of(make({"parent=0"})), "parent: parameter is read-only");
  EXPECT_EQ(error_of(make({"children.cur=0"})), "children.cur: parameter is read-only");
  EXPECT_EQ(error_of(make({"cpuset.id=1"})), "cpuset.id: parameter is read-only");
}

TEST(ParamsValidate, NoGrant) {
  for (std::string_view name :
       {"allow.chflags", "allow.mount.zfs", "allow.quotas", "allow.read_msgbuf", "allow.nfsd",
        "allow.adjtime", "allow.settime", "allow.vmm", "allow.setaudit"}) {
    ParamSet set = make({name});
    EXPECT_EQ(error_of(set), std::string(name) + ": cannot be granted to a jail on Linux");
    EXPECT_EQ(error_of(make({std::string(name) + "=false"})), "(no error)");
  }
  EXPECT_EQ(error_of(make({"allow.settime=1"})),
            "allow.settime: cannot be granted to a jail on Linux");
}

TEST(ParamsValidate, Ranges) {
  EXPECT_EQ(error_of(make({"securelevel=-2"})), "securelevel: value out of range: -2");
  EXPECT_EQ(error_of(make({"securelevel=4"})), "securelevel: value out of range: 4");
  EXPECT_EQ(error_of(make({"securelevel=-1"})), "(no error)");
  EXPECT_EQ(error_of(make({"enforce_statfs=3"})), "enforce_statfs: value out of range: 3");
  EXPECT_EQ(error_of(make({"enforce_statfs=-1"})), "enforce_statfs: value out of range: -1");
  EXPECT_EQ(error_of(make({"devfs_ruleset=-1"})), "devfs_ruleset: value out of range: -1");
  EXPECT_EQ(error_of(make({"children.max=-1"})), "children.max: value out of range: -1");
  EXPECT_EQ(error_of(make({"stop.timeout=-5"})), "stop.timeout: value out of range: -5");
  EXPECT_EQ(error_of(make({"exec.timeout=-1"})), "exec.timeout: value out of range: -1");
}

TEST(ParamsValidate, Name) {
  EXPECT_EQ(error_of(make({"name=a/b"})), "name \"a/b\": contains \"/\"");
  EXPECT_EQ(error_of(make({"name="})), "name \"\": is empty");
  EXPECT_EQ(error_of(make({"name=5"})), "(no error)");
  EXPECT_EQ(error_of(make({"name=5", "jid=5"})), "(no error)");
  EXPECT_EQ(error_of(make({"jid=6", "name=5"})),
            "name \"5\": a numeric name must be the jail's jid");
  EXPECT_EQ(error_of(make({"jid=6", "name=a.5"})),
            "name \"a.5\": a numeric name must be the jail's jid");
  EXPECT_EQ(error_of(make({"jid=5", "name=a.5"})), "(no error)");
  EXPECT_EQ(error_of(make({"jid=6", "name=5a"})), "(no error)");
}

TEST(ParamsValidate, Hostname) {
  std::string h64(64, 'h');
  EXPECT_EQ(error_of(make({"host.hostname=" + h64})), "(no error)");
  EXPECT_EQ(error_of(make({"host.hostname=" + h64 + "x"})), "host.hostname: longer than 64 bytes");
  EXPECT_EQ(error_of(make({"host.domainname=" + h64 + "x"})),
            "host.domainname: longer than 64 bytes");
}

TEST(ParamsValidate, JailSysContradictions) {
  EXPECT_EQ(error_of(make({"host=inherit", "host.hostname=x"})),
            "host.hostname cannot be set with host=inherit");
  EXPECT_EQ(error_of(make({"host.domainname=x", "host=inherit"})),
            "host.domainname cannot be set with host=inherit");
  EXPECT_EQ(error_of(make({"host=inherit", "host.hostid=1"})),
            "host.hostid cannot be set with host=inherit");
  EXPECT_EQ(error_of(make({"host=inherit", "host.hostuuid=u"})),
            "host.hostuuid cannot be set with host=inherit");
  EXPECT_EQ(error_of(make({"ip4=inherit", "ip4.addr=10.0.0.1"})),
            "ip4.addr cannot be set with ip4=inherit");
  EXPECT_EQ(error_of(make({"ip4=disable", "ip4.addr=10.0.0.1"})),
            "ip4.addr cannot be set with ip4=disable");
  EXPECT_EQ(error_of(make({"ip6=inherit", "ip6.addr=::1"})),
            "ip6.addr cannot be set with ip6=inherit");
  EXPECT_EQ(error_of(make({"ip6=disable", "ip6.addr=::1"})),
            "ip6.addr cannot be set with ip6=disable");
  // An empty list and the saddrsel booleans are fine.
  EXPECT_EQ(error_of(make({"ip4=disable", "ip4.addr=", "ip4.nosaddrsel"})), "(no error)");
  EXPECT_EQ(error_of(make({"ip4=new", "ip4.addr=10.0.0.1"})), "(no error)");
}

TEST(ParamsValidate, DuplicateAddressesAfterMerge) {
  EXPECT_EQ(error_of(make({"ip4.addr=10.0.0.1", "ip4.addr=em0|10.0.0.1/24"})),
            "ip4.addr: duplicate address: em0|10.0.0.1/24");
  EXPECT_EQ(error_of(make({"ip6.addr=::1", "ip6.addr=0::1"})), "ip6.addr: duplicate address: ::1");
}

TEST(ParamsValidate, Userns) {
  EXPECT_EQ(error_of(make({"userns=disable"})),
            "userns: \"disable\" is not supported (use new or inherit)");
  EXPECT_EQ(error_of(make({"userns.size=0"})), "userns.size: value out of range: 0");
  EXPECT_EQ(error_of(make({"userns.size=2147483648"})), "(no error)");
  EXPECT_EQ(error_of(make({"userns.size=2147483649"})),
            "userns.size: value out of range: 2147483649");
  EXPECT_EQ(error_of(make({"userns.uid=4294901759"})), "(no error)");  // + 65536 = 2^32 - 1
  EXPECT_EQ(error_of(make({"userns.uid=4294901760"})), "userns.size: value out of range: 65536");
  EXPECT_EQ(error_of(make({"userns.uid=2147483647", "userns.size=2147483648"})), "(no error)");
  EXPECT_EQ(error_of(make({"userns.uid=2147483648", "userns.size=2147483648"})),
            "userns.size: value out of range: 2147483648");
}

TEST(ParamsValidate, Path) {
  EXPECT_EQ(error_of(make({"path=jails/www"})), "path \"jails/www\": not an absolute pathname");
  EXPECT_EQ(error_of(make({"path="})), "path \"\": not an absolute pathname");
  EXPECT_EQ(error_of(make({"path=/"})), "(no error)");
}

TEST(ParamsValidate, FirstErrorInOrder) {
  EXPECT_EQ(error_of(make({"securelevel=9", "dying"})), "securelevel: value out of range: 9");
  EXPECT_EQ(error_of(make({"dying", "securelevel=9"})), "dying: parameter is read-only");
}

TEST(ParamsValidateName, Accepts) {
  for (std::string_view n : {"www", "5", "a.b", "a.b.c", "web-1", "a_b", "x.5", "caf\xc3\xa9"}) {
    EXPECT_EQ(name_error(n), "(no error)") << n;
  }
  EXPECT_EQ(name_error(std::string(255, 'n')), "(no error)");
}

TEST(ParamsValidateName, Rejects) {
  EXPECT_EQ(name_error(""), "name \"\": is empty");
  std::string long_name(256, 'n');
  EXPECT_EQ(name_error(long_name), "name \"" + long_name + "\": is longer than 255 bytes");
  EXPECT_EQ(name_error("a/b"), "name \"a/b\": contains \"/\"");
  EXPECT_EQ(name_error("/"), "name \"/\": contains \"/\"");
  EXPECT_EQ(name_error("a b"), "name \"a b\": contains whitespace or control characters");
  EXPECT_EQ(name_error("a\tb"), "name \"a\\x09b\": contains whitespace or control characters");
  EXPECT_EQ(name_error("a\nb"), "name \"a\\x0ab\": contains whitespace or control characters");
  EXPECT_EQ(name_error("a\x7f"), "name \"a\\x7f\": contains whitespace or control characters");
  EXPECT_EQ(name_error("-a"), "name \"-a\": begins with \"-\"");
  EXPECT_EQ(name_error("a-"), "(no error)");
  for (std::string_view n : {".", "..", ".a", "a.", "a..b", "a...b"}) {
    EXPECT_EQ(name_error(n),
              "name \"" + std::string(n) + "\": has an empty, \".\" or \"..\" component");
  }
}

}  // namespace
}  // namespace ljail::params
