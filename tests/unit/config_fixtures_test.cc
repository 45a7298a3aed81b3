// Golden jail.conf files (tests/fixtures/conf, reference section 3): every NAME.conf is loaded
// from disk, with its .include files, and compared with NAME.expected.
//
//  - tests/fixtures/conf/*.conf: one `jail -e '|'` line per jail (config::render_e), in order;
//    these must load without any per-jail error.
//  - tests/fixtures/conf/errors/*.conf: either the whole load fails and the .expected file is
//    `error: MESSAGE`, or some jails fail and each jail's line is followed by its errors, one
//    `! MESSAGE` line each.
//
// Paths in messages are shown relative to tests/fixtures/conf. The directory is found from this
// file's own path, so the test needs no build-system help.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"

namespace ljail::config {
namespace {

namespace fs = std::filesystem;

fs::path fixture_root() {
  return fs::path(__FILE__).parent_path().parent_path() / "fixtures" / "conf";
}

std::vector<fs::path> conf_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".conf") {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// `text` with every "ROOT/" taken out, so messages name fixtures relative to the root.
std::string relative(std::string text) {
  const std::string prefix = fixture_root().string() + "/";
  for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
    text.erase(at, prefix.size());
  }
  return text;
}

// What loading `path` gives, in the .expected format.
std::string actual_for(const fs::path& path) {
  auto jails = load(path.string(), system_reader(), system_glob());
  if (!jails) return "error: " + relative(jails.error().message()) + "\n";
  std::string out;
  for (const ConfJail& j : *jails) {
    out += render_e(j, "|") + "\n";
    for (const Error& e : j.errors) out += "! " + relative(e.message()) + "\n";
  }
  return out;
}

// A line diff (longest common subsequence): "  same", "- expected only", "+ actual only".
std::string diff(const std::vector<std::string>& want, const std::vector<std::string>& got) {
  size_t n = want.size();
  size_t m = got.size();
  std::vector<std::vector<size_t>> lcs(n + 1, std::vector<size_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t k = m; k-- > 0;) {
      lcs[i][k] =
          want[i] == got[k] ? lcs[i + 1][k + 1] + 1 : std::max(lcs[i + 1][k], lcs[i][k + 1]);
    }
  }
  std::string out;
  size_t i = 0;
  size_t k = 0;
  while (i < n || k < m) {
    if (i < n && k < m && want[i] == got[k]) {
      out += "  " + want[i++] + "\n";
      ++k;
    } else if (i < n && (k == m || lcs[i + 1][k] >= lcs[i][k + 1])) {
      out += "- " + want[i++] + "\n";
    } else {
      out += "+ " + got[k++] + "\n";
    }
  }
  return out;
}

void compare(const fs::path& conf) {
  fs::path expected_path = fs::path(conf).replace_extension(".expected");
  ASSERT_TRUE(fs::exists(expected_path)) << relative(expected_path.string()) << " is missing";
  std::string want = read_file(expected_path);
  std::string got = actual_for(conf);
  EXPECT_EQ(want, got) << relative(conf.string()) << " (- expected, + actual):\n"
                       << diff(lines_of(want), lines_of(got));
}

std::string test_name(const testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

TEST(ConfigFixtures, DirectoriesAreFound) {
  ASSERT_TRUE(fs::is_directory(fixture_root())) << fixture_root();
  EXPECT_GE(conf_files(fixture_root()).size(), 10u);
  EXPECT_GE(conf_files(fixture_root() / "errors").size(), 10u);
}

// The clean fixtures have no per-jail errors, so an error line in one is a failure too.
class ConfigFixturesGolden : public testing::TestWithParam<fs::path> {};

TEST_P(ConfigFixturesGolden, RendersAsExpected) {
  compare(GetParam());
  std::string got = actual_for(GetParam());
  EXPECT_EQ(got.find("\n! "), std::string::npos) << "per-jail errors in a clean fixture";
  EXPECT_NE(got.rfind("error: ", 0), 0u) << "a clean fixture failed to load";
}

// Whatever loads cleanly loads back the same from its to_conf text.
TEST_P(ConfigFixturesGolden, ToConfRoundTrip) {
  auto jails = load(GetParam().string(), system_reader(), system_glob());
  ASSERT_TRUE(jails) << jails.error().message();
  std::string text = to_conf(*jails);
  auto again = load_text(text, "/roundtrip.conf", system_reader(), system_glob());
  ASSERT_TRUE(again) << again.error().message() << "\n" << text;
  ASSERT_EQ(again->size(), jails->size()) << text;
  for (size_t i = 0; i < jails->size(); ++i) {
    EXPECT_EQ(render_e((*again)[i], "|"), render_e((*jails)[i], "|")) << text;
  }
}

INSTANTIATE_TEST_SUITE_P(ConfigFixtures, ConfigFixturesGolden,
                         testing::ValuesIn(conf_files(fixture_root())), test_name);

class ConfigFixturesErrors : public testing::TestWithParam<fs::path> {};

TEST_P(ConfigFixturesErrors, FailsAsExpected) {
  compare(GetParam());
}

INSTANTIATE_TEST_SUITE_P(ConfigFixtures, ConfigFixturesErrors,
                         testing::ValuesIn(conf_files(fixture_root() / "errors")), test_name);

}  // namespace
}  // namespace ljail::config
