// Test helpers for the registry: a fixture with a registry of its own in a temporary
// LJAIL_RUNDIR (the variable restored and the directory removed afterwards), and a pid that
// no process has any more.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "host/registry.h"

namespace ljail::host {

class TempRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* old = std::getenv("LJAIL_RUNDIR")) old_ = old;
    char tmpl[] = "/tmp/ljail-registry-test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    run_ = tmp_ + "/run";
    ASSERT_EQ(::setenv("LJAIL_RUNDIR", run_.c_str(), 1), 0);
    Result<Registry> r = Registry::open();
    ASSERT_TRUE(r.has_value()) << r.error().message();
    reg_.emplace(std::move(*r));
  }
  void TearDown() override {
    if (old_) {
      ::setenv("LJAIL_RUNDIR", old_->c_str(), 1);
    } else {
      ::unsetenv("LJAIL_RUNDIR");
    }
    if (!tmp_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(tmp_, ec);
      EXPECT_FALSE(ec) << ec.message();
    }
  }

  std::optional<std::string> old_;
  std::string tmp_;
  std::string run_;  // the registry directory, tmp_/run
  std::optional<Registry> reg_;
};

// The pid of a child that has exited and been reaped.
inline pid_t dead_pid() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  EXPECT_EQ(::waitpid(pid, nullptr, 0), pid);
  return pid;
}

}  // namespace ljail::host
