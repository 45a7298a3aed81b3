// Reading the main file and its `.include` files (reference 3.6) into one RawConfig: relative
// names are based on the including file's directory, names with glob characters are expanded
// (matching nothing is fine), plain names must exist, nesting stops at 32 levels.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"
#include "config/ast.h"
#include "config/config.h"
#include "config/parser.h"

namespace ljail::config {

class Loader {
 public:
  Loader(const FileReader& read, const Globber& glob, const Limits& limits)
      : read_(read), glob_(glob), limits_(limits), builder_(limits.max_block_depth) {}

  // Parses `text` as the file called `name` in messages, following its includes.
  Ok parse_text(std::string_view text, const std::string& name);
  RawConfig take() { return builder_.take(); }

 private:
  Ok include(const RawParam& param, const std::string& from, int line);
  Ok parse_path(const std::string& path);

  const FileReader& read_;
  const Globber& glob_;
  const Limits& limits_;
  Builder builder_;
  size_t depth_ = 0;
  size_t files_ = 0;
  size_t bytes_ = 0;
};

// glob(3)'s GLOB_MAGCHAR: an unescaped `*` or `?`, or a `[` with a later `]`.
bool has_glob_magic(std::string_view pattern);
// `name` relative to the directory of `from` (unchanged if absolute or `from` has no `/`).
std::string include_path(std::string_view from, std::string_view name);

}  // namespace ljail::config
