// jls(8): list jails. Flags are folded in getopt order exactly as FreeBSD's jls.c does.
#include <getopt.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "lib/jail.h"
#include "lib/jls_format.h"

namespace {

using ljail::lib::JlsOptions;

int usage() {
  std::fputs("usage: jls [-dhNnqsv] [-j jail] [param ...]\n", stderr);
  return 1;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "jls: %s\n", message.c_str());
  return 1;
}

// A libxo option string: comma separated, one of them the style; modifiers such as `pretty`
// or `warn` are accepted and ignored.
std::optional<JlsOptions::Libxo> parse_libxo(std::string_view spec) {
  JlsOptions::Libxo style = JlsOptions::Libxo::Text;
  for (const std::string& word : ljail::split(spec, ',')) {
    if (word == "text") {
      style = JlsOptions::Libxo::Text;
    } else if (word == "json") {
      style = JlsOptions::Libxo::Json;
    } else if (word == "xml") {
      style = JlsOptions::Libxo::Xml;
    } else if (word == "html") {
      return std::nullopt;
    }
  }
  return style;
}

}  // namespace

int main(int argc, char** argv) {
  JlsOptions opts;

  // libxo's xo_parse_args: take every --libxo option out before getopt sees the arguments.
  std::vector<char*> args{argv[0]};
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      args.insert(args.end(), argv + i, argv + argc);
      break;
    }
    std::optional<std::string_view> spec;
    if (arg == "--libxo") {
      if (i + 1 >= argc) return fail("--libxo: missing output format");
      spec = argv[++i];
    } else if (ljail::starts_with(arg, "--libxo=")) {
      spec = arg.substr(8);
    } else {
      args.push_back(argv[i]);
      continue;
    }
    std::optional<JlsOptions::Libxo> style = parse_libxo(*spec);
    if (!style) return fail("unsupported libxo output style: " + std::string(*spec));
    opts.libxo = *style;
  }
  int nargs = static_cast<int>(args.size());
  args.push_back(nullptr);

  std::optional<std::string> key;
  opterr = 0;
  int c;
  while ((c = getopt(nargs, args.data(), "+:adj:hNnqsv")) != -1) {
    switch (c) {
      case 'a':
      case 'd':
        opts.dying = true;
        break;
      case 'j':
        key = optarg;
        break;
      case 'h':
        opts.save = opts.verbose = false;
        opts.header = true;
        break;
      case 'N':
        opts.name_column = true;
        break;
      case 'n':
        opts.verbose = false;
        opts.name_value = true;
        break;
      case 'q':
        opts.quote = true;
        break;
      case 's':
        opts.header = opts.verbose = false;
        opts.name_value = opts.quote = opts.save = true;
        break;
      case 'v':
        opts.header = opts.name_value = opts.save = false;
        opts.verbose = true;
        break;
      case ':':
        std::fprintf(stderr, "jls: option requires an argument -- %c\n", optopt);
        return usage();
      default:
        std::fprintf(stderr, "jls: illegal option -- %c\n", optopt);
        return usage();
    }
  }
  for (int i = optind; i < nargs; ++i) opts.params.emplace_back(args[i]);

  std::vector<ljail::lib::JailView> jails;
  if (key) {
    auto jail = ljail::lib::find_jail(*key);
    if (!jail) {
      if (jail.error().code() != ENOENT) return fail(jail.error().message());
      return fail("jail \"" + *key + "\" not found");
    }
    // Without -d a dying jail is not there (jail_get(2) without JAIL_DYING).
    if (jail->dying && !opts.dying) return fail("jail \"" + *key + "\" not found");
    jails.push_back(std::move(*jail));
  } else {
    auto all = ljail::lib::list_jails();
    if (!all) return fail(all.error().message());
    jails = std::move(*all);
  }

  auto text = ljail::lib::format_jls(jails, opts);
  if (!text) return fail(text.error().message());
  std::fwrite(text->data(), 1, text->size(), stdout);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) return fail("stdout: write error");
  return 0;
}
