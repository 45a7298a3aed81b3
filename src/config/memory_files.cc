#include "config/memory_files.h"

#include <fnmatch.h>

#include <cerrno>
#include <vector>

namespace ljail::config {

FileReader MemoryFiles::reader() const {
  return [this](const std::string& path) -> Result<std::string> {
    if (path == "-") return stdin_text;
    auto it = files.find(path);
    if (it == files.end()) return fail(Error::sys(ENOENT, path));
    return it->second;
  };
}

Globber MemoryFiles::globber() const {
  return [this](const std::string& pattern) -> Result<std::vector<std::string>> {
    std::vector<std::string> out;
    for (const auto& [path, text] : files) {
      if (fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0) {
        out.push_back(path);
      }
    }
    return out;
  };
}

}  // namespace ljail::config
