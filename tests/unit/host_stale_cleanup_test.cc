// Cleanups that act on what was read before: settle_dead() (a registry reader that holds no lock
// and finds a jail dead destroys it only if the state file, read again under the lock, still
// says so) and destroy_jail() (which leaves alone what another jail has taken since). In a
// temporary LJAIL_RUNDIR; the "init" is a child of the test and a "cgroup" a plain directory:
// no jail and no privilege.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>

#include "host/lifecycle.h"
#include "host/registry.h"
#include "sys/proc.h"
#include "temp_registry.h"

namespace ljail::host {
namespace {

class StaleCleanup : public TempRegistryTest {
 protected:
  void TearDown() override {
    if (init_ > 0) {
      ::kill(init_, SIGKILL);
      ::waitpid(init_, nullptr, 0);
    }
    TempRegistryTest::TearDown();
  }

  // A child that stays until killed: the jail's "init".
  pid_t start_init() {
    init_ = ::fork();
    if (init_ == 0) {
      while (true) ::pause();
    }
    return init_;
  }
  static JailState creating(int jid, const std::string& name) {
    JailState s;
    s.jid = jid;
    s.name = name;
    s.path = "/jails/" + name;
    s.status = JailState::Status::Creating;
    s.owner_pid = dead_pid();
    s.owner_start = *sys::process_start_time(::getpid());
    return s;
  }
  bool init_alive() const { return ::waitpid(init_, nullptr, WNOHANG) == 0; }
  // A plain directory where a jail's cgroup would be, beneath tmp_/ljail (once per test).
  void make_cgroup_dir(const std::string& path) {
    ASSERT_EQ(::mkdir((tmp_ + "/ljail").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  }

  pid_t init_ = -1;
};

// The race of two creates of one name: the loser read the winner's state while it was being
// created, and the winner finished and its jail(8) exited before the loser looked at it.
TEST_F(StaleCleanup, AStaleReadOfACreateThatFinishedDestroysNothing) {
  JailState stale = creating(7, "www");
  EXPECT_FALSE(is_alive(stale));
  JailState now = stale;
  now.status = JailState::Status::Active;
  now.init_pid = start_init();
  auto start = sys::process_start_time(now.init_pid);
  ASSERT_TRUE(start.has_value());
  now.init_start = *start;
  ASSERT_TRUE(reg_->save(now).has_value());

  std::optional<JailState> settled = settle_dead(*reg_, stale);
  ASSERT_TRUE(settled.has_value());
  EXPECT_EQ(settled->status, JailState::Status::Active);
  EXPECT_EQ(settled->init_pid, now.init_pid);
  EXPECT_TRUE(init_alive());
  EXPECT_TRUE(reg_->load(7).has_value());

  // Through the readers: listed, and found by name and by jid.
  auto all = running_jails(*reg_);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name, "www");
  EXPECT_TRUE(find_running(*reg_, "www").has_value());
  EXPECT_TRUE(find_running(*reg_, "7").has_value());
  EXPECT_TRUE(init_alive());
}

TEST_F(StaleCleanup, AJailStillDeadUnderTheLockIsDestroyed) {
  JailState s = creating(8, "db");
  ASSERT_TRUE(reg_->save(s).has_value());
  EXPECT_FALSE(settle_dead(*reg_, s).has_value());
  EXPECT_FALSE(reg_->load(8).has_value());
  EXPECT_FALSE(reg_->find("db").has_value());
}

TEST_F(StaleCleanup, AnInitThatDiedIsDestroyedThroughTheReaders) {
  JailState s = creating(9, "mail");
  s.status = JailState::Status::Active;
  s.init_pid = start_init();
  s.init_start = *sys::process_start_time(s.init_pid);
  ASSERT_TRUE(reg_->save(s).has_value());
  EXPECT_TRUE(find_running(*reg_, "mail").has_value());
  ASSERT_EQ(::kill(init_, SIGKILL), 0);
  ASSERT_EQ(::waitpid(init_, nullptr, 0), init_);
  init_ = -1;
  auto found = find_running(*reg_, "mail");
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().message(), "\"mail\" not found");
  EXPECT_FALSE(reg_->load(9).has_value());
}

TEST_F(StaleCleanup, AJidTakenByAnotherJailSinceTheReadIsNotThatJail) {
  JailState stale = creating(10, "old");
  JailState now = creating(10, "new");
  now.status = JailState::Status::Active;
  now.init_pid = start_init();
  now.init_start = *sys::process_start_time(now.init_pid);
  ASSERT_TRUE(reg_->save(now).has_value());
  // Found dead under its old name, the jid is another jail's now: neither destroyed, nor
  // taken for the jail asked for.
  std::optional<JailState> settled = settle_dead(*reg_, stale);
  ASSERT_TRUE(settled.has_value());
  EXPECT_EQ(settled->name, "new");
  EXPECT_TRUE(init_alive());
  EXPECT_FALSE(find_running(*reg_, "old").has_value());
  EXPECT_TRUE(find_running(*reg_, "new").has_value());
}

// Two creates of one name, the first one's jail(8) late to clean up after its command: a reader
// has removed that jail already (its init had died), and the second create took the name, and
// with it the cgroup directory named after it.
TEST_F(StaleCleanup, DestroyLeavesAloneWhatAnotherJailTookSince) {
  std::string cgroup = tmp_ + "/ljail/www";
  ASSERT_NO_FATAL_FAILURE(make_cgroup_dir(cgroup));
  JailState first = creating(11, "www");
  first.status = JailState::Status::Active;
  first.cgroups = {cgroup};
  JailState second = creating(12, "www");
  second.cgroups = {cgroup};
  ASSERT_TRUE(reg_->save(second).has_value());

  Ok r = destroy_jail(*reg_, first);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  EXPECT_TRUE(std::filesystem::exists(cgroup));
  EXPECT_TRUE(reg_->load(12).has_value());

  // Nor when the second create got the first one's jid (jid=, or the counter wrapping).
  second.jid = 11;
  ASSERT_TRUE(reg_->save(second).has_value());
  r = destroy_jail(*reg_, first);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  EXPECT_TRUE(std::filesystem::exists(cgroup));
  EXPECT_TRUE(reg_->load(11).has_value());
}

TEST_F(StaleCleanup, DestroyRemovesWhatTheRegistryStillRecords) {
  std::string cgroup = tmp_ + "/ljail/db";
  ASSERT_NO_FATAL_FAILURE(make_cgroup_dir(cgroup));
  JailState s = creating(13, "db");
  s.cgroups = {cgroup};
  ASSERT_TRUE(reg_->save(s).has_value());
  Ok r = destroy_jail(*reg_, s);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  EXPECT_FALSE(std::filesystem::exists(cgroup));
  EXPECT_FALSE(reg_->load(13).has_value());
  EXPECT_FALSE(reg_->find("db").has_value());
}

}  // namespace
}  // namespace ljail::host
