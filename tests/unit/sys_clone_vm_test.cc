// sys::clone3_vm: a child that shares the parent's memory until it executes or exits.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <memory>

#include "sys/proc.h"
#include "sys/raw.h"

namespace ljail::sys {
namespace {

struct Shared {
  std::atomic<int> written{0};
  uint64_t blocked = 0;
  int exit_code = 0;
};

int child_fn(void* p) {
  auto* s = static_cast<Shared*>(p);
  raw::sigprocmask(SIG_BLOCK, nullptr, &s->blocked);
  s->written.store(42);
  return s->exit_code;
}

constexpr size_t kStack = 16384;

TEST(CloneVm, TheChildWritesThisProcesssMemoryOnItsOwnStackAndExitsWithFnsValue) {
  auto stack = std::make_unique<char[]>(kStack);
  Shared s;
  s.exit_code = 7;
  auto r = clone3_vm(0, -1, stack.get(), kStack, child_fn, &s);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_GT(r->pid, 0);
  EXPECT_TRUE(r->pidfd.valid());
  auto status = waitpid(r->pid);
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 7);
  // Shared memory, not a copy: the child's store is seen here.
  EXPECT_EQ(s.written.load(), 42);
  // It ran with every signal blocked (SIGKILL and SIGSTOP cannot be).
  constexpr uint64_t kUnblockable = (uint64_t{1} << (SIGKILL - 1)) | (uint64_t{1} << (SIGSTOP - 1));
  EXPECT_EQ(s.blocked | kUnblockable, ~uint64_t{0});
}

TEST(CloneVm, TheParentsSignalMaskIsItsOwnAgainAfterward) {
  uint64_t before = 0, after = 0;
  raw::sigprocmask(SIG_BLOCK, nullptr, &before);
  auto stack = std::make_unique<char[]>(kStack);
  Shared s;
  auto r = clone3_vm(0, -1, stack.get(), kStack, child_fn, &s);
  ASSERT_TRUE(r.has_value());
  raw::sigprocmask(SIG_BLOCK, nullptr, &after);
  EXPECT_EQ(before, after);
  ASSERT_TRUE(waitpid(r->pid).has_value());
}

TEST(CloneVm, AFailedCloneIsAnErrorInTheParent) {
  auto stack = std::make_unique<char[]>(kStack);
  Shared s;
  // CLONE_NEWUSER with CLONE_FS is refused (EINVAL) by every kernel.
  auto r = clone3_vm(CLONE_NEWUSER | CLONE_FS, -1, stack.get(), kStack, child_fn, &s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), EINVAL);
  EXPECT_EQ(s.written.load(), 0);
}

}  // namespace
}  // namespace ljail::sys
