#include "host/fstab.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

namespace ljail::host {
namespace {

using Kind = child::MountEntry::Kind;

TEST(Fstab, NullfsIsABindUnderTheJailPath) {
  auto m = parse_fstab_line("/usr/ports  /jails/www/usr/ports  nullfs  ro  0 0", "/jails/www");
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->kind, Kind::Bind);
  EXPECT_EQ(m->source, "/usr/ports");
  EXPECT_EQ(m->target, "usr/ports");
  EXPECT_TRUE(m->readonly);
  EXPECT_EQ(m->line, "/usr/ports  /jails/www/usr/ports  nullfs  ro  0 0");
}

TEST(Fstab, TypesMapToLinux) {
  EXPECT_EQ(parse_fstab_line("proc /j/proc procfs rw", "/j")->kind, Kind::Proc);
  EXPECT_EQ(parse_fstab_line("linproc /j/compat/proc linprocfs rw", "/j")->kind, Kind::Proc);
  EXPECT_EQ(parse_fstab_line("linsys /j/sys linsysfs rw", "/j")->kind, Kind::Sysfs);
  EXPECT_EQ(parse_fstab_line("devfs /j/dev devfs rw", "/j")->kind, Kind::Devfs);
  auto t = parse_fstab_line("tmpfs /j/tmp tmpfs rw,size=4m,mode=1777,nosuid 0 0", "/j");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, Kind::Tmpfs);
  EXPECT_EQ(t->attrs, uint64_t{MOUNT_ATTR_NOSUID});
  ASSERT_EQ(t->fs_options.size(), 2u);
  EXPECT_EQ(t->fs_options[0], (std::pair<std::string, std::string>{"size", "4m"}));
  EXPECT_EQ(t->fs_options[1], (std::pair<std::string, std::string>{"mode", "1777"}));
}

TEST(Fstab, RelativeMountPointsAndCleaning) {
  EXPECT_EQ(parse_fstab_line("/a x//./y nullfs rw", "/j")->target, "x/y");
  EXPECT_EQ(parse_fstab_line("/a /j/ nullfs rw", "/j/").error().message(),
            "mount: /a /j/ nullfs rw: cannot mount over the jail root");
}

TEST(Fstab, Errors) {
  EXPECT_EQ(parse_fstab_line("/a /elsewhere/x nullfs ro", "/j").error().message(),
            "mount: /a /elsewhere/x nullfs ro: /elsewhere/x is not under the jail path /j");
  EXPECT_EQ(parse_fstab_line("/a /jx/y nullfs ro", "/j").error().message(),
            "mount: /a /jx/y nullfs ro: /jx/y is not under the jail path /j");
  EXPECT_EQ(parse_fstab_line("/a /j/../etc nullfs ro", "/j").error().message(),
            "mount: /a /j/../etc nullfs ro: \"..\" in mount point");
  EXPECT_EQ(parse_fstab_line("a /j/x nullfs ro", "/j").error().message(),
            "mount: a /j/x nullfs ro: a: not an absolute pathname");
  EXPECT_EQ(parse_fstab_line("/a /j/x ext4 ro", "/j").error().message(),
            "mount: /a /j/x ext4 ro: unsupported file system type ext4");
  EXPECT_EQ(parse_fstab_line("/a /j/x nullfs union", "/j").error().message(),
            "mount: /a /j/x nullfs union: unsupported option union");
  EXPECT_EQ(parse_fstab_line("/a /j/x", "/j").error().message(),
            "mount: /a /j/x: malformed fstab line");
}

TEST(Fstab, LinesDropCommentsAndBlanks) {
  EXPECT_EQ(fstab_lines("# c\n\n/a /j/a nullfs ro # tail\n  \ntmpfs /j/t tmpfs rw\n"),
            (std::vector<std::string>{"/a /j/a nullfs ro", "tmpfs /j/t tmpfs rw"}));
}

}  // namespace
}  // namespace ljail::host
