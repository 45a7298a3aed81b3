#include "options.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>

#include "base/strings.h"
#include "sys/file.h"

namespace mkjail {

using ljail::Error;
using ljail::Result;

namespace {

// What a jail cannot use: device managers and kernel module tools (no devices or modules in a
// jail), DHCP clients (ljail configures the jail's addresses), time daemons (no clock).
const char* const kJailExcludes[] = {
    "udev", "kmod", "isc-dhcp-client", "isc-dhcp-common", "dhcpcd-base", "systemd-timesyncd"};
// Tools a small server wants that minbase leaves out.
const char* const kDefaultIncludes[] = {"iproute2", "iputils-ping", "procps"};

bool valid_package(const std::string& p) {
  if (p.size() < 2 || !(std::islower(static_cast<unsigned char>(p[0])) ||
                        std::isdigit(static_cast<unsigned char>(p[0])))) {
    return false;
  }
  return std::all_of(p.begin(), p.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

bool valid_word(const std::string& s, const char* extra) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [extra](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr(extra, c) != nullptr;
  });
}

bool valid_hostname(const std::string& h) {
  if (h.empty() || h.size() > 253) return false;
  for (const auto& label : ljail::split(h, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !valid_word(label, "-")) {
      return false;
    }
  }
  return true;
}

// "ADDR" or "ADDR/LEN", optionally prefixed by "IFACE|" as jail.conf allows.
bool valid_ip4(const std::string& spec) {
  std::string a = spec.substr(spec.find('|') == std::string::npos ? 0 : spec.find('|') + 1);
  std::string addr = a.substr(0, a.find('/'));
  if (a.find('/') != std::string::npos) {
    auto len = ljail::parse_uint(a.substr(a.find('/') + 1));
    if (!len || *len > 32) return false;
  }
  struct in_addr in;
  return inet_pton(AF_INET, addr.c_str(), &in) == 1;
}

[[noreturn]] void usage_error(const std::string& text) {
  std::fprintf(stderr, "mkjail: %s\n", text.c_str());
  usage(1);
}

void add_list(std::vector<std::string>& to, const char* arg) {
  for (auto& p : ljail::split(arg, ',')) {
    std::string t(ljail::trim(p));
    if (!t.empty()) to.push_back(t);
  }
}

// Key: value fields of deb822 stanzas.
std::vector<std::vector<std::pair<std::string, std::string>>> deb822(const std::string& text) {
  std::vector<std::vector<std::pair<std::string, std::string>>> out(1);
  for (const auto& raw : ljail::split(text, '\n')) {
    std::string line(ljail::trim(raw));
    if (line.empty()) {
      if (!out.back().empty()) out.emplace_back();
      continue;
    }
    if (line[0] == '#') continue;
    if (raw[0] == ' ' || raw[0] == '\t') continue;  // continuation lines: not needed here
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    out.back().emplace_back(ljail::trim(line.substr(0, colon)),
                            ljail::trim(line.substr(colon + 1)));
  }
  return out;
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  for (auto& w : ljail::split(s, ' ')) {
    for (auto& x : ljail::split(w, '\t')) {
      if (!x.empty()) out.push_back(x);
    }
  }
  return out;
}

struct AptSource {
  std::string uri;
  std::vector<std::string> suites;
};

std::vector<AptSource> apt_sources() {
  std::vector<AptSource> out;
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/etc/apt/sources.list.d", ec)) {
    files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  if (auto text = ljail::sys::read_file("/etc/apt/sources.list")) {
    for (const auto& line : ljail::split(*text, '\n')) {
      auto w = words(std::string(ljail::trim(line.substr(0, line.find('#')))));
      if (w.size() < 3 || w[0] != "deb") continue;
      size_t i = 1;
      if (w[i].front() == '[') {
        while (i < w.size() && w[i].back() != ']') ++i;
        ++i;
      }
      if (i + 1 < w.size()) out.push_back({w[i], {w[i + 1]}});
    }
  }
  for (const auto& f : files) {
    if (!f.ends_with(".sources")) continue;
    auto text = ljail::sys::read_file(f);
    if (!text) continue;
    for (const auto& stanza : deb822(*text)) {
      std::string types, uris, suites, enabled = "yes";
      for (const auto& [k, v] : stanza) {
        if (ljail::iequals(k, "Types")) types = v;
        if (ljail::iequals(k, "URIs")) uris = v;
        if (ljail::iequals(k, "Suites")) suites = v;
        if (ljail::iequals(k, "Enabled")) enabled = v;
      }
      auto t = words(types);
      if (ljail::iequals(enabled, "no") || std::find(t.begin(), t.end(), "deb") == t.end()) {
        continue;
      }
      for (const auto& u : words(uris)) out.push_back({u, words(suites)});
    }
  }
  return out;
}

}  // namespace

std::string host_codename() {
  auto text = ljail::sys::read_file("/etc/os-release");
  if (!text) return "";
  for (const auto& line : ljail::split(*text, '\n')) {
    if (!line.starts_with("VERSION_CODENAME=")) continue;
    std::string v = line.substr(17);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'')) v = v.substr(1, v.size() - 2);
    return v;
  }
  return "";
}

std::string host_mirror(const std::string& suite) {
  auto sources = apt_sources();
  // The source of the suite itself, else of the host's release, else any that is not a
  // security archive (those only hold the "-security" suites).
  for (const std::string& want : {suite, host_codename()}) {
    for (const auto& s : sources) {
      if (std::find(s.suites.begin(), s.suites.end(), want) != s.suites.end()) return s.uri;
    }
  }
  for (const auto& s : sources) {
    if (s.uri.find("security") == std::string::npos) return s.uri;
  }
  return "";
}

[[noreturn]] void usage(int status) {
  std::fputs(
      "usage: mkjail [-fq] [--suite suite] [--mirror url] [--variant variant]\n"
      "              [--include pkg,...] [--exclude pkg,...] [--init sysvinit | systemd]\n"
      "              [--name name] [--hostname hostname] [--ip4 addr[/len]]\n"
      "              [--conf[=file]] [--from-tarball file] [--cache-dir dir]\n"
      "              [--no-cache | --refresh-cache] dir\n",
      status == 0 ? stdout : stderr);
  std::exit(status);
}

Result<Options> parse_options(int argc, char** argv) {
  enum {
    kSuite = 256,
    kMirror,
    kVariant,
    kInclude,
    kExclude,
    kInit,
    kName,
    kHostname,
    kIp4,
    kConf,
    kFromTarball,
    kCacheDir,
    kNoCache,
    kRefresh,
  };
  static const struct option longopts[] = {
      {"suite", required_argument, nullptr, kSuite},
      {"mirror", required_argument, nullptr, kMirror},
      {"variant", required_argument, nullptr, kVariant},
      {"include", required_argument, nullptr, kInclude},
      {"exclude", required_argument, nullptr, kExclude},
      {"init", required_argument, nullptr, kInit},
      {"name", required_argument, nullptr, kName},
      {"hostname", required_argument, nullptr, kHostname},
      {"ip4", required_argument, nullptr, kIp4},
      {"conf", optional_argument, nullptr, kConf},
      {"from-tarball", required_argument, nullptr, kFromTarball},
      {"cache-dir", required_argument, nullptr, kCacheDir},
      {"no-cache", no_argument, nullptr, kNoCache},
      {"refresh-cache", no_argument, nullptr, kRefresh},
      {"force", no_argument, nullptr, 'f'},
      {"quiet", no_argument, nullptr, 'q'},
      {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0},
  };
  Options o;
  std::vector<std::string> inc, exc;
  std::string init = "sysvinit";
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, ":fhq", longopts, nullptr)) != -1) {
    switch (ch) {
      case kSuite:
        o.suite = optarg;
        break;
      case kMirror:
        o.mirror = optarg;
        break;
      case kVariant:
        o.variant = optarg;
        break;
      case kInclude:
        add_list(inc, optarg);
        break;
      case kExclude:
        add_list(exc, optarg);
        break;
      case kInit:
        init = optarg;
        break;
      case kName:
        o.name = optarg;
        break;
      case kHostname:
        o.hostname = optarg;
        break;
      case kIp4:
        add_list(o.ip4, optarg);
        break;
      case kConf:
        o.write_conf = true;
        if (optarg) o.conf_file = optarg;
        break;
      case kFromTarball:
        o.from_tarball = optarg;
        break;
      case kCacheDir:
        o.cache_dir = optarg;
        break;
      case kNoCache:
        o.use_cache = false;
        break;
      case kRefresh:
        o.refresh_cache = true;
        break;
      case 'f':
        o.force = true;
        break;
      case 'q':
        o.quiet = true;
        break;
      case 'h':
        usage(0);
      case ':':
        usage_error(
            std::string("option requires an argument -- ") +
            (optopt ? std::string(1, static_cast<char>(optopt)) : std::string(argv[optind - 1])));
      default:
        if (optopt > 0 && optopt < 256) {
          usage_error(std::string("invalid option -- '") + static_cast<char>(optopt) + "'");
        }
        usage_error(std::string("unrecognized option '") + argv[optind - 1] + "'");
    }
  }
  if (optind != argc - 1) {
    usage_error(optind >= argc ? "no directory given" : "too many arguments");
  }
  if (!o.use_cache && o.refresh_cache) {
    usage_error("--no-cache and --refresh-cache exclude each other");
  }

  // The directory, made absolute (jail.conf needs an absolute path).
  std::filesystem::path dir(argv[optind]);
  std::error_code ec;
  if (dir.is_relative()) dir = std::filesystem::current_path(ec) / dir;
  o.dir = dir.lexically_normal().string();
  while (o.dir.size() > 1 && o.dir.back() == '/') o.dir.pop_back();
  if (o.dir == "/") return Error::invalid("refusing to bootstrap into /");

  if (o.name.empty()) {
    o.name = std::filesystem::path(o.dir).filename().string();
    if (!valid_word(o.name, "_-") || std::isdigit(static_cast<unsigned char>(o.name[0]))) {
      return Error::invalid("\"" + o.name +
                            "\" is not a usable jail name (letters, digits, '_' and '-', not "
                            "starting with a digit): give one with --name");
    }
  } else if (!valid_word(o.name, "_-") || std::isdigit(static_cast<unsigned char>(o.name[0]))) {
    return Error::invalid("invalid jail name \"" + o.name +
                          "\" (letters, digits, '_' and '-', not starting with a digit)");
  }
  if (o.hostname.empty()) o.hostname = o.name;
  if (!valid_hostname(o.hostname)) return Error::invalid("invalid hostname \"" + o.hostname + "\"");
  for (const auto& a : o.ip4) {
    if (!valid_ip4(a)) return Error::invalid("invalid IPv4 address \"" + a + "\"");
  }

  if (init == "sysvinit") {
    o.init = Init::kSysvinit;
  } else if (init == "systemd") {
    o.init = Init::kSystemd;
  } else {
    return Error::invalid("unknown init system \"" + init + "\" (sysvinit or systemd)");
  }
  if (!valid_word(o.variant, "-")) return Error::invalid("invalid variant \"" + o.variant + "\"");

  if (o.suite.empty()) {
    o.suite = host_codename();
    if (o.suite.empty()) {
      return Error::invalid("/etc/os-release names no release (VERSION_CODENAME): give --suite");
    }
  }
  if (!valid_word(o.suite, "-._")) return Error::invalid("invalid suite \"" + o.suite + "\"");
  if (o.from_tarball.empty() && o.mirror.empty()) {
    o.mirror = host_mirror(o.suite);
    if (o.mirror.empty()) o.mirror = "http://deb.debian.org/debian";
  }

  // Packages: the defaults, then --include and --exclude; a package named in both wins as an
  // include only when the exclusion is a default one.
  std::set<std::string> include, exclude;
  include.insert(o.init == Init::kSysvinit ? "sysvinit-core" : "systemd-sysv");
  for (const char* p : kDefaultIncludes) include.insert(p);
  for (const char* p : kJailExcludes) exclude.insert(p);
  exclude.insert(o.init == Init::kSysvinit ? "systemd-sysv" : "sysvinit-core");
  for (const auto& p : inc) {
    if (!valid_package(p)) return Error::invalid("invalid package name \"" + p + "\"");
    include.insert(p);
    exclude.erase(p);
  }
  for (const auto& p : exc) {
    if (!valid_package(p)) return Error::invalid("invalid package name \"" + p + "\"");
    if (std::find(inc.begin(), inc.end(), p) != inc.end()) {
      return Error::invalid("package \"" + p + "\" is both included and excluded");
    }
    exclude.insert(p);
    include.erase(p);
  }
  o.include.assign(include.begin(), include.end());
  o.exclude.assign(exclude.begin(), exclude.end());

  if (o.write_conf && o.conf_file.empty()) o.conf_file = "/etc/jail.conf.d/" + o.name + ".conf";
  return o;
}

}  // namespace mkjail
