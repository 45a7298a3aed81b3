// In-memory files for tests and the fuzzer: a FileReader and a Globber over a path -> text map.
#pragma once

#include <map>
#include <string>

#include "config/config.h"

namespace ljail::config {

struct MemoryFiles {
  std::map<std::string, std::string> files;

  // Missing files fail with ENOENT ("PATH: No such file or directory"); "-" reads `stdin_text`.
  FileReader reader() const;
  // fnmatch(3) with FNM_PATHNAME | FNM_PERIOD over the paths, sorted.
  Globber globber() const;

  std::string stdin_text;
};

}  // namespace ljail::config
