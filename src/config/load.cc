// The public entry points: read, parse with includes, resolve.
#include <string>

#include "config/config.h"
#include "config/include.h"
#include "config/resolve.h"

namespace ljail::config {

Result<std::vector<ConfJail>> load_text(std::string_view text, const std::string& filename,
                                        const FileReader& read, const Globber& glob,
                                        const Limits& limits) {
  Loader loader(read, glob, limits);
  LJ_TRY(loader.parse_text(text, filename));
  RawConfig config = loader.take();
  return resolve(config, limits);
}

Result<std::vector<ConfJail>> load_text(std::string_view text, const std::string& filename,
                                        const FileReader& read) {
  return load_text(text, filename, read, system_glob());
}

Result<std::vector<ConfJail>> load(const std::string& path, const FileReader& read,
                                   const Globber& glob, const Limits& limits) {
  std::string text = LJ_TRY(read(path));
  return load_text(text, path == "-" ? "STDIN" : path, read, glob, limits);
}

Result<std::vector<ConfJail>> load(const std::string& path, const FileReader& read) {
  return load(path, read, system_glob());
}

Ok first_error(const std::vector<ConfJail>& jails) {
  for (const ConfJail& j : jails) {
    if (j.failed()) return fail(j.errors.front());
  }
  return {};
}

}  // namespace ljail::config
