#include <gtest/gtest.h>

#include "../../tools/mkjail/inittab.h"

namespace {

constexpr const char* kDebian =
    "id:2:initdefault:\n"
    "si::sysinit:/etc/init.d/rcS\n"
    "l0:0:wait:/etc/init.d/rc 0\n"
    "ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now\n"
    "pf::powerwait:/etc/init.d/powerfail start\n"
    "pn::powerfailnow:/etc/init.d/powerfail now\n"
    "# Note that on most Debian systems tty7 is used by the X Window System\n"
    "1:2345:respawn:/sbin/getty --noclear 38400 tty1\n"
    "2:23:respawn:/sbin/getty 38400 tty2\n"
    "#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n";

TEST(MkjailInittab, GettyOnConsoleOnlyAndPowerwaitShutsDown) {
  std::string out = mkjail::jail_inittab(kDebian);
  EXPECT_NE(out.find("\n#ljail# 1:2345:respawn:/sbin/getty --noclear 38400 tty1\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\n#ljail# 2:23:respawn:/sbin/getty 38400 tty2\n"), std::string::npos);
  EXPECT_NE(out.find("\n#ljail# pf::powerwait:/etc/init.d/powerfail start\n"), std::string::npos);
  EXPECT_NE(out.find("\nco:2345:respawn:/sbin/getty --noclear 38400 console\n"), std::string::npos);
  EXPECT_NE(out.find("\nlj::powerwait:/sbin/shutdown -h now\n"), std::string::npos);
  EXPECT_NE(out.find("\nlk::sysinit:"), std::string::npos);
  // untouched: the rest, comments included, in order
  EXPECT_EQ(out.rfind("id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n", 0), 0u);
  EXPECT_NE(out.find("\npn::powerfailnow:/etc/init.d/powerfail now\n"), std::string::npos);
  EXPECT_NE(out.find("\n#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n"), std::string::npos);
}

TEST(MkjailInittab, Idempotent) {
  std::string once = mkjail::jail_inittab(kDebian);
  EXPECT_EQ(mkjail::jail_inittab(once), once);
}

}  // namespace
