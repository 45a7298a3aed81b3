#include "host/registry.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "sys/file.h"
#include "sys/proc.h"

namespace ljail::host {

namespace {

constexpr int kMaxJid = 999999;
using nlohmann::json;

const char* status_name(JailState::Status s) {
  return s == JailState::Status::Active ? "active" : "creating";
}

// Type-checked field access: nlohmann aborts without exceptions on a wrong type.
template <class T>
bool field(const json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end()) return false;
  if constexpr (std::is_same_v<T, std::string>) {
    if (!it->is_string()) return false;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!it->is_boolean()) return false;
  } else {
    if (!it->is_number_integer()) return false;
  }
  *out = it->get<T>();
  return true;
}

// Paths and commands are bytes, JSON strings are UTF-8: '%' and every byte outside printable
// ASCII are stored as %XX, so any byte string round-trips exactly.
std::string enc(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (c == '%' || c < 0x20 || c >= 0x7f) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string dec(std::string_view in) {
  auto hex = [](char c) { return c <= '9' ? c - '0' : c - 'A' + 10; };
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::vector<std::string> enc(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& e : in) out.push_back(enc(e));
  return out;
}

}  // namespace

std::string to_json(const JailState& s) {
  json params = json::object();
  for (const auto& a : s.params.items())
    params[std::string(a.spec->name)] = params::export_value(*a.spec, a.value);
  // Lists keep their elements: an element may hold a comma.
  for (const auto& a : s.params.items()) {
    if (auto* list = std::get_if<std::vector<std::string>>(&a.value)) {
      params[std::string(a.spec->name)] = *list;
    }
  }
  json j = {{"jid", s.jid},
            {"name", enc(s.name)},
            {"path", enc(s.path)},
            {"status", status_name(s.status)},
            {"owner_pid", s.owner_pid},
            {"owner_start", s.owner_start},
            {"init_pid", s.init_pid},
            {"init_start", s.init_start},
            {"userns", s.userns},
            {"uid_base", s.uid_base},
            {"uid_size", s.uid_size},
            {"cgroups", enc(s.cgroups)},
            {"veth", enc(s.veth)},
            {"proxies", enc(s.proxies)},
            {"sysctls", enc(s.sysctls)},
            {"vnet_ifaces", enc(s.vnet_ifaces)},
            {"nat", enc(s.nat)},
            {"params", params}};
  return j.dump(1) + "\n";
}

Result<JailState> from_json(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error::invalid("malformed state file");
  JailState s;
  std::string status;
  bool ok = field(j, "jid", &s.jid) && field(j, "name", &s.name) && field(j, "path", &s.path) &&
            field(j, "status", &status) && field(j, "owner_pid", &s.owner_pid) &&
            field(j, "owner_start", &s.owner_start) && field(j, "init_pid", &s.init_pid) &&
            field(j, "init_start", &s.init_start) && field(j, "userns", &s.userns) &&
            field(j, "uid_base", &s.uid_base) && field(j, "uid_size", &s.uid_size);
  if (!ok) return Error::invalid("malformed state file");
  s.name = dec(s.name);
  s.path = dec(s.path);
  if (status != "active" && status != "creating") return Error::invalid("malformed state file");
  s.status = status == "active" ? JailState::Status::Active : JailState::Status::Creating;
  for (auto [key, list] : {std::pair{"cgroups", &s.cgroups}, std::pair{"proxies", &s.proxies},
                           std::pair{"sysctls", &s.sysctls},
                           std::pair{"vnet_ifaces", &s.vnet_ifaces}, std::pair{"nat", &s.nat}}) {
    if (auto it = j.find(key); it != j.end() && it->is_array()) {
      for (const auto& c : *it) {
        if (c.is_string()) list->push_back(dec(c.get<std::string>()));
      }
    }
  }
  if (field(j, "veth", &s.veth)) s.veth = dec(s.veth);
  if (auto it = j.find("params"); it != j.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      const params::Spec* spec = params::find(key);
      if (!spec) continue;
      if (value.is_string()) {
        auto a = params::import(key, dec(value.get<std::string>()));
        if (a) s.params.set(a->spec, std::move(a->value));
      } else if (value.is_array() &&
                 (spec->type == params::Type::StringList || spec->type == params::Type::Ip4List ||
                  spec->type == params::Type::Ip6List)) {
        std::vector<std::string> list;
        for (const auto& v : value) {
          if (v.is_string()) list.push_back(dec(v.get<std::string>()));
        }
        s.params.set(spec, std::move(list));
      }
    }
  }
  return s;
}

Result<Registry> Registry::open() {
  const char* env = std::getenv("LJAIL_RUNDIR");
  std::string dir = env && *env ? env : LJAIL_DEFAULT_RUNDIR;
  LJ_TRY_CTX(sys::mkdir(dir, 0700), "registry");
  return Registry(dir);
}

std::string Registry::tag() const {
  if (dir_ == LJAIL_DEFAULT_RUNDIR) return "";
  uint32_t h = 2166136261u;  // FNV-1a
  for (unsigned char c : dir_) h = (h ^ c) * 16777619u;
  char buf[8];
  std::snprintf(buf, sizeof(buf), "r%04x", h & 0xffff);
  return buf;
}

Result<Registry::Lock> Registry::lock() const {
  if (lock_depth_ == 0) {
    auto fd = LJ_TRY(sys::open(dir_ + "/lock", O_RDWR | O_CREAT, 0600));
    LJ_TRY(sys::flock(fd.get(), LOCK_EX));
    lock_fd_ = std::move(fd);
  }
  ++lock_depth_;
  return Lock(this);
}

void Registry::unlock() const {
  if (--lock_depth_ == 0) lock_fd_.reset();  // closing the descriptor releases the flock
}

std::vector<JailState> Registry::load_all() const {
  std::vector<JailState> out;
  DIR* d = ::opendir(dir_.c_str());
  if (!d) return out;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n.size() < 6 || n.substr(n.size() - 5) != ".json" || n[0] == '.') continue;
    auto text = sys::read_file(dir_ + "/" + std::string(n));
    if (!text) continue;
    auto s = from_json(*text);
    if (s) out.push_back(std::move(*s));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.jid < b.jid; });
  return out;
}

Ok Registry::save(const JailState& s) const {
  auto held = LJ_TRY(lock());
  return sys::write_file_atomic(file(s.jid), to_json(s), 0600);
}

Ok Registry::remove(int jid) const {
  auto held = LJ_TRY(lock());
  auto r = sys::unlink(file(jid));
  if (!r && r.error().code() != ENOENT) return r;
  return {};
}

Result<int> Registry::allocate_jid(const std::vector<JailState>& running) const {
  int next = 1;
  if (auto text = sys::read_file(dir_ + "/next_jid")) {
    if (auto v = parse_int(trim(*text)); v && *v >= 1 && *v <= kMaxJid) next = static_cast<int>(*v);
  }
  auto used = [&](int jid) {
    return std::any_of(running.begin(), running.end(), [&](const auto& s) { return s.jid == jid; });
  };
  for (int tries = 0; tries < kMaxJid; ++tries) {
    int jid = next;
    next = next >= kMaxJid ? 1 : next + 1;
    if (used(jid)) continue;
    LJ_TRY(sys::write_file_atomic(dir_ + "/next_jid", std::to_string(next) + "\n", 0600));
    return jid;
  }
  return Error::with_code(EAGAIN, "no jid available");
}

bool is_alive(const JailState& s) {
  pid_t pid = s.status == JailState::Status::Active ? s.init_pid : s.owner_pid;
  uint64_t start = s.status == JailState::Status::Active ? s.init_start : s.owner_start;
  if (pid <= 0) return false;
  auto t = sys::process_start_time(pid);
  return t && *t == start;
}

}  // namespace ljail::host
