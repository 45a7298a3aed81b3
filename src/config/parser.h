// The jail.conf grammar (reference 3.1, FreeBSD's newest jailparse.y) over the Lexer's tokens:
//
//   conf   := { NAME '{' conf '}' | param ';' | ';' }
//   param  := name | name '=' value | name '+=' value | name value
//   name   := STR | VAR          value := string { ',' string }
//   string := (STR | VAR) { STR1 | VAR1 }
//
// Jails are collected in a Builder shared by the main file and its includes, so an .include
// inside a block adds to that block, as in jail(8).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/ast.h"

namespace ljail::config {

class Builder {
 public:
  explicit Builder(size_t max_depth) : max_depth_(max_depth) {}

  bool can_open() const { return open_.size() < max_depth_; }
  // Starts a block; nested blocks get the name "parent.child".
  void open_block(std::string_view name, const std::string& file, int line);
  void close_block();
  // Adds to the innermost open block, or to the global block "*" (made at the first use).
  void add_param(RawParam param);

  RawConfig take() { return std::move(config_); }

 private:
  size_t max_depth_;
  RawConfig config_;
  std::vector<size_t> open_;  // indexes of the open blocks, innermost last
};

// Called for `.include "a", "b";` with the parameter and the line of its `;`.
using IncludeFn = std::function<Ok(const RawParam& include, int line)>;

// Parses one file into `builder`. Errors are FreeBSD's: "FILE line N: TOKEN: syntax error",
// "FILE: unexpected EOF", "FILE line N: unterminated string" and so on.
Ok parse_file(std::string_view text, const std::string& file, Builder& builder,
              const IncludeFn& include);

}  // namespace ljail::config
