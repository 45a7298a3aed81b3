// The registry of running jails: state files as JSON, and the directory of them (in a
// temporary LJAIL_RUNDIR).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>

#include <poll.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "host/registry.h"
#include "params/params.h"
#include "sys/proc.h"
#include "temp_registry.h"

namespace ljail::host {
namespace {

using Strings = std::vector<std::string>;

JailState full_state() {
  JailState s;
  s.jid = 17;
  s.name = "www";
  s.path = "/jails/www";
  s.status = JailState::Status::Active;
  s.owner_pid = 4321;
  s.owner_start = 123456789012ull;
  s.init_pid = 4400;
  s.init_start = 123456789999ull;
  s.userns = true;
  s.uid_base = 1073872896;
  s.uid_size = 131072;
  s.cgroups = {"/sys/fs/cgroup/unified/ljail/www", "/sys/fs/cgroup/memory/ljail/www"};
  for (const char* arg :
       {"name=www", "path=/jails/www", "persist", "allow.nomount", "host=inherit", "ip4=disable",
        "securelevel=-1", "userns.size=131072", "host.hostid=18446744073709551615",
        "host.hostname=www.example.org", "ip4.addr=192.0.2.1,192.0.2.2"}) {
    Ok r = s.params.set_arg(arg);
    EXPECT_TRUE(r.has_value()) << arg << ": " << (r ? "" : r.error().message());
  }
  // List elements holding commas.
  s.params.set(params::find("exec.start"), Strings{"echo a,b", "logger -t jail started,ok"});
  s.params.set(params::find("command"), Strings{"/bin/sh", "-c", "x=1,2; echo $x"});
  return s;
}

void expect_same_params(const params::ParamSet& got, const params::ParamSet& want) {
  EXPECT_EQ(got.items().size(), want.items().size());
  for (const params::Assignment& a : want.items()) {
    const params::Value* v = got.get(a.spec->name);
    ASSERT_NE(v, nullptr) << a.spec->name;
    EXPECT_TRUE(*v == a.value) << a.spec->name << ": " << params::export_value(*a.spec, *v)
                               << " != " << params::export_value(*a.spec, a.value);
  }
}

// ---- JSON ----

TEST(RegistryJson, RoundTripAllFields) {
  JailState s = full_state();
  std::string text = to_json(s);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  Result<JailState> back = from_json(text);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->jid, 17);
  EXPECT_EQ(back->name, "www");
  EXPECT_EQ(back->path, "/jails/www");
  EXPECT_EQ(back->status, JailState::Status::Active);
  EXPECT_EQ(back->owner_pid, 4321);
  EXPECT_EQ(back->owner_start, 123456789012ull);
  EXPECT_EQ(back->init_pid, 4400);
  EXPECT_EQ(back->init_start, 123456789999ull);
  EXPECT_TRUE(back->userns);
  EXPECT_EQ(back->uid_base, 1073872896u);
  EXPECT_EQ(back->uid_size, 131072u);
  EXPECT_EQ(back->cgroups, s.cgroups);
  expect_same_params(back->params, s.params);

  // Typed access after the round trip.
  EXPECT_TRUE(back->params.get_bool("persist"));
  EXPECT_FALSE(back->params.get_bool("allow.mount"));
  EXPECT_EQ(back->params.get_jailsys("host"), params::JailSys::Inherit);
  EXPECT_EQ(back->params.get_jailsys("ip4"), params::JailSys::Disable);
  EXPECT_EQ(back->params.get_int("securelevel"), -1);
  EXPECT_EQ(back->params.get_uint("userns.size"), 131072u);
  EXPECT_EQ(back->params.get_uint("host.hostid"), 18446744073709551615ull);
  EXPECT_EQ(back->params.get_string("host.hostname"), "www.example.org");
  EXPECT_EQ(back->params.get_list("ip4.addr"), (Strings{"192.0.2.1", "192.0.2.2"}));
  EXPECT_EQ(back->params.get_list("exec.start"),
            (Strings{"echo a,b", "logger -t jail started,ok"}));
  EXPECT_EQ(back->params.get_list("command"), (Strings{"/bin/sh", "-c", "x=1,2; echo $x"}));

  // Stable: encoding the decoded state gives the same text.
  EXPECT_EQ(to_json(*back), text);
}

TEST(RegistryJson, RoundTripCreatingWithoutUserns) {
  JailState s;
  s.jid = 1;
  s.name = "1";
  s.path = "/";
  s.status = JailState::Status::Creating;
  s.owner_pid = 99;
  s.owner_start = 5;
  s.userns = false;
  Result<JailState> back = from_json(to_json(s));
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->jid, 1);
  EXPECT_EQ(back->name, "1");
  EXPECT_EQ(back->status, JailState::Status::Creating);
  EXPECT_EQ(back->owner_pid, 99);
  EXPECT_EQ(back->owner_start, 5u);
  EXPECT_EQ(back->init_pid, 0);
  EXPECT_EQ(back->init_start, 0u);
  EXPECT_FALSE(back->userns);
  EXPECT_EQ(back->uid_base, 0u);
  EXPECT_EQ(back->uid_size, 0u);
  EXPECT_TRUE(back->cgroups.empty());
  EXPECT_TRUE(back->params.items().empty());
}

TEST(RegistryJson, EmptyListParamSurvives) {
  JailState s;
  s.params.set(params::find("exec.stop"), Strings{});
  s.params.set(params::find("exec.start"), Strings{""});
  Result<JailState> back = from_json(to_json(s));
  ASSERT_TRUE(back.has_value());
  ASSERT_TRUE(back->params.has("exec.stop"));
  EXPECT_TRUE(back->params.get_list("exec.stop").empty());
  EXPECT_EQ(back->params.get_list("exec.start"), (Strings{""}));
}

std::string valid_json() {
  return R"({"jid": 3, "name": "a", "path": "/p", "status": "active", "owner_pid": 1,
             "owner_start": 2, "init_pid": 3, "init_start": 4, "userns": true,
             "uid_base": 5, "uid_size": 6, "cgroups": [], "params": {}})";
}

TEST(RegistryJson, UnknownParamsAndBadValuesDropped) {
  std::string text = valid_json();
  // Unknown names and unimportable values are dropped, not fatal.
  auto pos = text.find("\"params\": {}");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 12,
               "\"params\": {\"no.such.param\": \"1\", \"persist\": \"maybe\", "
               "\"securelevel\": \"3\", \"enforce_statfs\": 1}");
  Result<JailState> back = from_json(text);
  ASSERT_TRUE(back.has_value()) << back.error().message() << "\n" << text;
  EXPECT_FALSE(back->params.has("no.such.param"));
  EXPECT_FALSE(back->params.has("persist"));
  EXPECT_FALSE(back->params.has("enforce_statfs"));
  EXPECT_EQ(back->params.get_int("securelevel"), 3);
  EXPECT_EQ(back->params.items().size(), 1u);
}

// Replaces the first `"key": old` of valid_json() by `"key": repl`.
std::string with_field(const std::string& key, const std::string& repl) {
  std::string text = valid_json();
  std::string needle = "\"" + key + "\": ";
  auto pos = text.find(needle);
  EXPECT_NE(pos, std::string::npos) << key;
  auto start = pos + needle.size();
  auto end = text.find_first_of(",}", start);
  return text.substr(0, start) + repl + text.substr(end);
}

TEST(RegistryJson, ValidBaseline) {
  Result<JailState> s = from_json(valid_json());
  ASSERT_TRUE(s.has_value()) << s.error().message();
  EXPECT_EQ(s->jid, 3);
  EXPECT_EQ(s->name, "a");
  EXPECT_EQ(s->uid_size, 6u);
  Result<JailState> t = from_json(with_field("jid", "42"));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->jid, 42);
}

TEST(RegistryJson, MalformedRejected) {
  for (const std::string& text :
       {std::string(""), std::string("{"), std::string("null"), std::string("[]"),
        std::string("42"), std::string("\"text\""), std::string("{}"),
        valid_json().substr(0, valid_json().size() - 1), std::string("garbage"),
        valid_json() + "}"}) {
    Result<JailState> r = from_json(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code(), EINVAL);
    EXPECT_EQ(r.error().message(), "malformed state file");
  }
}

TEST(RegistryJson, WrongFieldTypesRejected) {
  const std::pair<const char*, const char*> cases[] = {
      {"jid", "\"3\""},       {"jid", "3.5"},         {"jid", "null"},
      {"jid", "true"},        {"name", "5"},          {"name", "null"},
      {"path", "[\"/p\"]"},   {"status", "1"},        {"owner_pid", "\"1\""},
      {"owner_start", "2.0"}, {"init_pid", "{}"},     {"init_start", "\"4\""},
      {"userns", "1"},        {"userns", "\"true\""}, {"uid_base", "\"5\""},
      {"uid_size", "6.5"},
  };
  for (const auto& [key, repl] : cases) {
    std::string text = with_field(key, repl);
    Result<JailState> r = from_json(text);
    EXPECT_FALSE(r.has_value()) << key << " = " << repl;
  }
}

TEST(RegistryJson, MissingFieldRejected) {
  for (const char* key : {"jid", "name", "path", "status", "owner_pid", "owner_start", "init_pid",
                          "init_start", "userns", "uid_base", "uid_size"}) {
    std::string text = valid_json();
    std::string needle = std::string("\"") + key + "\"";
    auto pos = text.find(needle);
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, needle.size(), "\"renamed\"");
    EXPECT_FALSE(from_json(text).has_value()) << key;
  }
}

TEST(RegistryJson, OptionalContainersOfWrongTypeIgnored) {
  std::string text = with_field("cgroups", "\"/sys/fs/cgroup\"");
  Result<JailState> r = from_json(text);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->cgroups.empty());

  text = valid_json();
  auto pos = text.find("\"cgroups\": []");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 13, "\"cgroups\": [\"/a\", 5, null, \"/b\"]");
  r = from_json(text);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->cgroups, (Strings{"/a", "/b"}));

  text = valid_json();
  pos = text.find("\"params\": {}");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 12, "\"params\": [1, 2]");
  r = from_json(text);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->params.items().empty());
}

// The project builds with -fno-exceptions: a state file with an array where a scalar parameter
// belongs must be rejected or the value dropped, never abort the process. Run in a child so
// that an abort fails this test only.
TEST(RegistryJsonDeathTest, ArrayForScalarParamDoesNotAbort) {
  std::string text = valid_json();
  auto pos = text.find("\"params\": {}");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 12, "\"params\": {\"persist\": [\"true\"]}");
  EXPECT_EXIT(
      {
        Result<JailState> r = from_json(text);
        std::_Exit(r.has_value() && r->params.has("persist") ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), "");
}

// Linux paths and command lines are bytes, not UTF-8: writing such a state must not abort.
TEST(RegistryJsonDeathTest, NonUtf8PathDoesNotAbort) {
  JailState s;
  s.jid = 5;
  s.name = "w";
  s.path = "/jails/caf\xe9";
  EXPECT_EXIT(
      {
        std::string text = to_json(s);
        Result<JailState> back = from_json(text);
        std::_Exit(back.has_value() && back->path == s.path ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// ---- the registry directory ----

class RegistryDir : public TempRegistryTest {
 protected:
  static JailState state(int jid, const std::string& name) {
    JailState s;
    s.jid = jid;
    s.name = name;
    s.path = "/jails/" + name;
    s.status = JailState::Status::Active;
    return s;
  }
  void write(const std::string& file, const std::string& text) {
    ::mkdir(run_.c_str(), 0700);  // what the first lock() would make
    std::ofstream(run_ + "/" + file) << text;
  }
  bool registry_exists() const {
    struct stat st;
    return ::lstat(run_.c_str(), &st) == 0;
  }
  std::string read(const std::string& file) {
    std::ifstream in(run_ + "/" + file);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  int allocate(const std::vector<JailState>& running = {}) {
    Result<int> r = reg_->allocate_jid(running);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
    return r ? *r : -1;
  }
};

TEST_F(RegistryDir, OpenMakesNoDirectoryTheFirstLockMakesAPrivateOne) {
  EXPECT_EQ(reg_->dir(), run_);
  EXPECT_FALSE(registry_exists());
  EXPECT_TRUE(reg_->load_all().empty());
  EXPECT_FALSE(reg_->find("x").has_value());
  {
    auto held = reg_->lock();
    ASSERT_TRUE(held.has_value()) << held.error().message();
    struct stat st;
    ASSERT_EQ(::stat(run_.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0700u);
    EXPECT_EQ(::stat((run_ + "/lock").c_str(), &st), 0);
    // Opening again (directory exists) is fine.
    Result<Registry> again = Registry::open();
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->dir(), run_);
  }
  // Let go of with no jail in it: gone.
  EXPECT_FALSE(registry_exists());
}

TEST_F(RegistryDir, TheLastJailTakesTheRegistryWithIt) {
  ASSERT_TRUE(reg_->save(state(3, "a")).has_value());
  ASSERT_TRUE(reg_->save(state(4, "b")).has_value());
  {
    auto held = reg_->lock();
    ASSERT_TRUE(held.has_value());
    EXPECT_EQ(allocate({state(3, "a"), state(4, "b")}), 1);
  }
  reg_->store_cache("policy.0123456789abcdef", "cached");
  write("name.crashed", "");  // what a crash may leave
  ASSERT_TRUE(reg_->remove(3).has_value());
  for (const char* f : {"4.json", "name.b", "next_jid", "policy.0123456789abcdef", "lock"}) {
    struct stat st;
    EXPECT_EQ(::lstat((run_ + "/" + f).c_str(), &st), 0) << f;
  }
  ASSERT_TRUE(reg_->remove(4).has_value());
  EXPECT_FALSE(registry_exists());
  // The jid counter starts again, but for the process that removed the last jail (a restart,
  // jail -rc, gets a jid above the old one's).
  {
    Result<Registry> fresh = Registry::open();
    ASSERT_TRUE(fresh.has_value());
    auto held = fresh->lock();
    ASSERT_TRUE(held.has_value());
    Result<int> jid = fresh->allocate_jid({});
    ASSERT_TRUE(jid.has_value());
    EXPECT_EQ(*jid, 1);
  }
  EXPECT_FALSE(registry_exists());
  auto held = reg_->lock();
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(allocate(), 2);
}

TEST_F(RegistryDir, ACreateCutShortBeforeItsStateFileLeavesNothing) {
  {
    auto held = reg_->lock();
    ASSERT_TRUE(held.has_value());
    EXPECT_EQ(allocate(), 1);
    EXPECT_EQ(read("next_jid"), "2\n");
  }
  EXPECT_FALSE(registry_exists());
}

TEST_F(RegistryDir, AHandleOfARemovedRegistryFindsTheOneMadeAgain) {
  ASSERT_TRUE(reg_->save(state(3, "a")).has_value());
  Result<Registry> other = Registry::open();
  ASSERT_TRUE(other.has_value());
  ASSERT_TRUE(other->remove(3).has_value());
  ASSERT_FALSE(registry_exists());
  // This handle's directory is gone; what it writes and reads is the registry made again.
  ASSERT_TRUE(reg_->save(state(5, "b")).has_value());
  ASSERT_TRUE(registry_exists());
  ASSERT_TRUE(other->find("b").has_value());
  EXPECT_EQ(reg_->load_all().size(), 1u);
  ASSERT_TRUE(other->remove(5).has_value());
  EXPECT_FALSE(registry_exists());
}

TEST_F(RegistryDir, ALockWaitedForWhileTheRegistryWentIsTakenOnTheNewOne) {
  ASSERT_TRUE(reg_->save(state(3, "a")).has_value());
  auto held = reg_->lock();
  ASSERT_TRUE(held.has_value());
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  if (child == 0) {
    // Waits for the lock the parent holds, on the lock file the parent will remove (the
    // parent's descriptor of it, and so its flock, not shared).
    reg_.reset();
    Result<Registry> r = Registry::open();
    if (!r) ::_exit(2);
    (void)!::write(ready[1], "x", 1);
    if (!r->save(state(7, "later"))) ::_exit(3);
    ::_exit(0);
  }
  char c;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ::close(ready[0]);
  ::close(ready[1]);
  // Until the child sleeps in flock(2).
  for (int i = 0; i < 1000; ++i) {
    std::ifstream stat_file("/proc/" + std::to_string(child) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat_file)), {});
    auto close_paren = text.rfind(')');
    if (close_paren != std::string::npos && text.size() > close_paren + 2 &&
        text[close_paren + 2] == 'S')
      break;
    ::usleep(1000);
  }
  ASSERT_TRUE(reg_->remove(3).has_value());
  { auto drop = std::move(*held); }  // the last jail gone: the registry goes
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  // The child's jail is in the registry made again, with a lock file of its own.
  std::optional<JailState> later = reg_->find("later");
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->jid, 7);
  struct stat st;
  EXPECT_EQ(::stat((run_ + "/lock").c_str(), &st), 0);
  ASSERT_TRUE(reg_->remove(7).has_value());
  EXPECT_FALSE(registry_exists());
}

TEST_F(RegistryDir, LockIsExclusiveNestsAndSavesUnderIt) {
  auto held = reg_->lock();
  ASSERT_TRUE(held.has_value()) << held.error().message();
  struct stat st;
  EXPECT_EQ(::stat((run_ + "/lock").c_str(), &st), 0);
  // Another holder cannot take it while this one lives...
  int other = ::open((run_ + "/lock").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(other, 0);
  EXPECT_EQ(::flock(other, LOCK_EX | LOCK_NB), -1);
  // ...and a save under it does not deadlock (nested).
  EXPECT_TRUE(reg_->save(state(3, "n")).has_value());
  EXPECT_EQ(::flock(other, LOCK_EX | LOCK_NB), -1);
  { auto drop = std::move(*held); }
  EXPECT_EQ(::flock(other, LOCK_EX | LOCK_NB), 0);
  ::close(other);
}

TEST_F(RegistryDir, SaveLoadAllSortedByJid) {
  ASSERT_TRUE(reg_->save(state(30, "c")).has_value());
  ASSERT_TRUE(reg_->save(state(2, "a")).has_value());
  ASSERT_TRUE(reg_->save(state(7, "b")).has_value());
  ASSERT_TRUE(reg_->save(full_state()).has_value());  // jid 17

  struct stat st;
  ASSERT_EQ(::stat((run_ + "/7.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // Files that are not state files, or not valid ones, are skipped.
  write("next_jid", "8\n");
  write("junk.json", "{not json");
  write(".hidden.json", to_json(state(1, "hidden")));
  write("9.json.tmp", to_json(state(9, "tmp")));

  std::vector<JailState> all = reg_->load_all();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].jid, 2);
  EXPECT_EQ(all[0].name, "a");
  EXPECT_EQ(all[0].path, "/jails/a");
  EXPECT_EQ(all[1].jid, 7);
  EXPECT_EQ(all[1].name, "b");
  EXPECT_EQ(all[2].jid, 17);
  EXPECT_EQ(all[2].name, "www");
  EXPECT_EQ(all[2].params.get_list("exec.start"),
            (Strings{"echo a,b", "logger -t jail started,ok"}));
  EXPECT_EQ(all[3].jid, 30);
  EXPECT_EQ(all[3].name, "c");
}

TEST_F(RegistryDir, SaveReplacesAndRemoveDeletes) {
  ASSERT_TRUE(reg_->save(state(4, "old")).has_value());
  JailState s = state(4, "new");
  s.status = JailState::Status::Creating;
  ASSERT_TRUE(reg_->save(s).has_value());
  std::vector<JailState> all = reg_->load_all();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name, "new");
  EXPECT_EQ(all[0].status, JailState::Status::Creating);

  ASSERT_TRUE(reg_->save(state(5, "other")).has_value());
  ASSERT_TRUE(reg_->remove(4).has_value());
  all = reg_->load_all();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].jid, 5);
  // Removing what is not there is success.
  EXPECT_TRUE(reg_->remove(4).has_value());
  EXPECT_TRUE(reg_->remove(12345).has_value());
  ASSERT_TRUE(reg_->remove(5).has_value());
  EXPECT_TRUE(reg_->load_all().empty());
}

std::string link_of(const std::string& path) {
  char buf[256];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf));
  return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}

TEST_F(RegistryDir, FindByJidOrNameThroughTheIndex) {
  ASSERT_TRUE(reg_->save(state(4, "web")).has_value());
  ASSERT_TRUE(reg_->save(state(5, "db")).has_value());
  EXPECT_EQ(link_of(run_ + "/name.web"), "4.json");
  EXPECT_EQ(link_of(run_ + "/name.db"), "5.json");
  std::optional<JailState> s = reg_->find("web");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->jid, 4);
  s = reg_->find("5");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->name, "db");
  EXPECT_FALSE(reg_->find("nope").has_value());
  EXPECT_FALSE(reg_->find("6").has_value());
  EXPECT_FALSE(reg_->find("").has_value());

  // Removal takes the link with the state file, and nothing else (not the policies that all
  // jails share).
  write("policy.0123456789abcdef", "cache");
  ASSERT_TRUE(reg_->remove(4).has_value());
  struct stat st;
  EXPECT_NE(::lstat((run_ + "/name.web").c_str(), &st), 0);
  EXPECT_EQ(::lstat((run_ + "/policy.0123456789abcdef").c_str(), &st), 0);
  EXPECT_NE(::lstat((run_ + "/4.json").c_str(), &st), 0);
  EXPECT_EQ(link_of(run_ + "/name.db"), "5.json");
  EXPECT_FALSE(reg_->find("web").has_value());
}

TEST_F(RegistryDir, StateWithoutLinkIsFoundTheSlowWay) {
  // A state file of an older ljail, or a create cut short before its link.
  write("9.json", to_json(state(9, "old")));
  std::optional<JailState> s = reg_->find("old");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->jid, 9);
  // A save makes the missing link.
  ASSERT_TRUE(reg_->save(*s).has_value());
  EXPECT_EQ(link_of(run_ + "/name.old"), "9.json");
}

TEST_F(RegistryDir, LinkToAnotherJailIsNotTrusted) {
  ASSERT_TRUE(reg_->save(state(5, "y")).has_value());
  ASSERT_EQ(::symlink("5.json", (run_ + "/name.x").c_str()), 0);
  EXPECT_FALSE(reg_->find("x").has_value());
  // Nor removed by the removal of a jail it does not name.
  ASSERT_TRUE(reg_->save(state(6, "z")).has_value());
  ASSERT_TRUE(reg_->remove(6).has_value());
  EXPECT_EQ(link_of(run_ + "/name.x"), "5.json");
}

TEST_F(RegistryDir, SaveUnderANewNameMovesTheLink) {
  ASSERT_TRUE(reg_->save(state(4, "old")).has_value());
  ASSERT_TRUE(reg_->save(state(4, "new")).has_value());
  struct stat st;
  EXPECT_NE(::lstat((run_ + "/name.old").c_str(), &st), 0);
  EXPECT_EQ(link_of(run_ + "/name.new"), "4.json");
  EXPECT_FALSE(reg_->find("old").has_value());
}

TEST_F(RegistryDir, OddNamesAreEncodedAndLongOnesNotIndexed) {
  ASSERT_TRUE(reg_->save(state(6, "a/b%c d")).has_value());
  EXPECT_EQ(link_of(run_ + "/name.a%2Fb%25c%20d"), "6.json");
  std::optional<JailState> s = reg_->find("a/b%c d");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->jid, 6);

  std::string long_name(300, 'n');
  ASSERT_TRUE(reg_->save(state(7, long_name)).has_value());
  s = reg_->find(long_name);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->jid, 7);
  ASSERT_TRUE(reg_->remove(6).has_value());
  ASSERT_TRUE(reg_->remove(7).has_value());
  // Nothing is left, not even the directory.
  EXPECT_FALSE(registry_exists());
}

// The pidfs inode of this process, or 0 on a kernel whose pidfds are anonymous inodes.
uint64_t own_pidfs_ino() {
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0));
  if (fd < 0) return 0;
  struct statfs sfs;
  struct stat st;
  uint64_t ino = 0;
  if (::fstatfs(fd, &sfs) == 0 && sfs.f_type == 0x50494446 && ::fstat(fd, &st) == 0)
    ino = st.st_ino;
  ::close(fd);
  return ino;
}

TEST_F(RegistryDir, SaveRecordsTheInitsPidfsInodeAndLivenessUsesIt) {
  uint64_t ino = own_pidfs_ino();
  if (ino == 0) GTEST_SKIP() << "no pidfs (Linux < 6.9)";
  Result<uint64_t> start = sys::process_start_time(::getpid());
  ASSERT_TRUE(start.has_value());
  JailState s = state(12, "me");
  s.init_pid = ::getpid();
  s.init_start = *start;
  // Not while creating: the init is not known to be the jail's yet.
  s.status = JailState::Status::Creating;
  ASSERT_TRUE(reg_->save(s).has_value());
  EXPECT_EQ(reg_->load(12)->init_ino, 0u);
  s.status = JailState::Status::Active;
  ASSERT_TRUE(reg_->save(s).has_value());
  std::optional<JailState> back = reg_->load(12);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->init_ino, ino);
  EXPECT_TRUE(is_alive(*back));
  // Another inode is another process, whatever the start time says.
  back->init_ino = ino + 1;
  EXPECT_FALSE(is_alive(*back));
  // A recorded start time of another process is not trusted into an inode either.
  s.init_start = *start + 1;
  ASSERT_TRUE(reg_->save(state(13, "x")).has_value());
  s.jid = 13;
  ASSERT_TRUE(reg_->save(s).has_value());
  EXPECT_EQ(reg_->load(13)->init_ino, 0u);
}

TEST(RegistryAlive, ExitedButUnreapedInitIsDeadByItsPidfd) {
  if (own_pidfs_ino() == 0) GTEST_SKIP() << "no pidfs (Linux < 6.9)";
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(go[1]);
    char c;
    (void)!::read(go[0], &c, 1);
    ::_exit(0);
  }
  ::close(go[0]);
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  ASSERT_GE(fd, 0);
  struct stat st;
  ASSERT_EQ(::fstat(fd, &st), 0);
  JailState s;
  s.status = JailState::Status::Active;
  s.init_pid = pid;
  s.init_start = *sys::process_start_time(pid);
  s.init_ino = st.st_ino;
  EXPECT_TRUE(is_alive(s));
  EXPECT_TRUE(is_init(s, fd));
  ::close(go[1]);  // the child exits: a zombie until reaped
  struct pollfd p = {fd, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  EXPECT_FALSE(is_alive(s));
  EXPECT_FALSE(is_init(s, fd));
  ::close(fd);
  ASSERT_EQ(::waitpid(pid, nullptr, 0), pid);
  EXPECT_FALSE(is_alive(s));
}

TEST_F(RegistryDir, AllocateJidIncreases) {
  auto held = reg_->lock();  // as a create allocates (and the counter stays meanwhile)
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(allocate(), 1);
  EXPECT_EQ(read("next_jid"), "2\n");
  EXPECT_EQ(allocate(), 2);
  EXPECT_EQ(allocate(), 3);
  // FreeBSD does not reuse a freed jid at once: the counter only goes up.
  EXPECT_EQ(allocate({state(1, "a")}), 4);
  EXPECT_EQ(read("next_jid"), "5\n");
}

TEST_F(RegistryDir, AllocateJidSkipsJidsInUse) {
  auto held = reg_->lock();  // as a create allocates (and the counter stays meanwhile)
  ASSERT_TRUE(held.has_value());
  write("next_jid", "10\n");
  EXPECT_EQ(allocate({state(10, "a"), state(11, "b"), state(13, "c")}), 12);
  EXPECT_EQ(read("next_jid"), "13\n");
  EXPECT_EQ(allocate({state(10, "a"), state(11, "b"), state(13, "c")}), 14);
}

TEST_F(RegistryDir, AllocateJidWrapsAfter999999) {
  auto held = reg_->lock();  // as a create allocates (and the counter stays meanwhile)
  ASSERT_TRUE(held.has_value());
  write("next_jid", "999999\n");
  EXPECT_EQ(allocate(), 999999);
  EXPECT_EQ(read("next_jid"), "1\n");
  EXPECT_EQ(allocate(), 1);

  write("next_jid", "999998\n");
  EXPECT_EQ(allocate({state(999998, "a"), state(999999, "b"), state(1, "c")}), 2);
  EXPECT_EQ(read("next_jid"), "3\n");
}

TEST_F(RegistryDir, AllocateJidIgnoresABadCounter) {
  auto held = reg_->lock();  // as a create allocates (and the counter stays meanwhile)
  ASSERT_TRUE(held.has_value());
  for (const char* bad : {"0\n", "-3\n", "1000000\n", "abc\n", ""}) {
    write("next_jid", bad);
    EXPECT_EQ(allocate(), 1) << '"' << bad << '"';
  }
}

// ---- liveness ----

TEST(RegistryAlive, SelfWithRealStartTime) {
  Result<uint64_t> start = sys::process_start_time(::getpid());
  ASSERT_TRUE(start.has_value()) << start.error().message();
  EXPECT_GT(*start, 0u);

  JailState s;
  s.status = JailState::Status::Active;
  s.init_pid = ::getpid();
  s.init_start = *start;
  EXPECT_TRUE(is_alive(s));
  s.init_start = *start + 1;
  EXPECT_FALSE(is_alive(s));
  s.init_start = 0;
  EXPECT_FALSE(is_alive(s));
}

TEST(RegistryAlive, CreatingLooksAtTheOwner) {
  Result<uint64_t> start = sys::process_start_time(::getpid());
  ASSERT_TRUE(start.has_value());
  JailState s;
  s.status = JailState::Status::Creating;
  s.owner_pid = ::getpid();
  s.owner_start = *start;
  EXPECT_TRUE(is_alive(s));
  s.owner_start = *start - 1;
  EXPECT_FALSE(is_alive(s));

  // The init fields do not count while creating.
  s.owner_pid = dead_pid();
  s.owner_start = *start;
  s.init_pid = ::getpid();
  s.init_start = *start;
  EXPECT_FALSE(is_alive(s));
  // And the owner fields do not count once active.
  s.status = JailState::Status::Active;
  EXPECT_TRUE(is_alive(s));
}

TEST(RegistryAlive, DeadOrMissingPid) {
  Result<uint64_t> start = sys::process_start_time(::getpid());
  ASSERT_TRUE(start.has_value());
  JailState s;
  s.status = JailState::Status::Active;
  s.init_pid = dead_pid();
  s.init_start = *start;
  EXPECT_FALSE(is_alive(s));
  s.init_pid = 0;
  EXPECT_FALSE(is_alive(s));
  s.init_pid = -1;
  EXPECT_FALSE(is_alive(s));
  EXPECT_FALSE(sys::process_start_time(dead_pid()).has_value());
}

}  // namespace
}  // namespace ljail::host
