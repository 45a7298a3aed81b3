#include "config/include.h"

#include <string>
#include <vector>

namespace ljail::config {

bool has_glob_magic(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (c == '*' || c == '?') {
      return true;
    } else if (c == '[') {
      size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '!') ++j;
      if (j < pattern.size() && pattern.find(']', j + 1) != std::string_view::npos) return true;
    }
  }
  return false;
}

std::string include_path(std::string_view from, std::string_view name) {
  size_t slash = from.rfind('/');
  if ((!name.empty() && name[0] == '/') || slash == std::string_view::npos) {
    return std::string(name);
  }
  return std::string(from.substr(0, slash + 1)) + std::string(name);
}

Ok Loader::parse_text(std::string_view text, const std::string& name) {
  if (++files_ > limits_.max_files) {
    return fail(Error::invalid("maximum number of configuration files exceeded"));
  }
  bytes_ += text.size();
  if (bytes_ > limits_.max_input_bytes) {
    return fail(Error::invalid("maximum configuration size exceeded"));
  }
  IncludeFn include = [this, &name](const RawParam& param, int line) {
    return this->include(param, name, line);
  };
  return parse_file(text, name, builder_, include);
}

Ok Loader::parse_path(const std::string& path) {
  std::string text = LJ_TRY(read_(path));
  return parse_text(text, path);
}

Ok Loader::include(const RawParam& param, const std::string& from, int line) {
  for (const RawString& value : param.values) {
    if (!value.vars.empty()) {
      return fail(Error::invalid(from + " line " + std::to_string(line) +
                                 ": variables not permitted in '.include' filename"));
    }
    if (depth_ >= limits_.max_include_depth) {
      return fail(Error::invalid("maximum include depth exceeded"));
    }
    ++depth_;
    std::string path = include_path(from, value.text);
    if (has_glob_magic(path)) {
      std::vector<std::string> matches = LJ_TRY(glob_(path));
      for (const std::string& match : matches) LJ_TRY(parse_path(match));
    } else {
      LJ_TRY(parse_path(path));
    }
    --depth_;
  }
  return {};
}

}  // namespace ljail::config
