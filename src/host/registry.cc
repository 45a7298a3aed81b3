#include "host/registry.h"

#include <fcntl.h>
#include <sys/file.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <type_traits>

#include "base/hash.h"
#include "base/json.h"
#include "base/strings.h"
#include "sys/dirfile.h"
#include "sys/file.h"
#include "sys/proc.h"

namespace ljail::host {

namespace {

constexpr int kMaxJid = 999999;

const char* status_name(JailState::Status s) {
  return s == JailState::Status::Active ? "active" : "creating";
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

// The state file's layout: one member per line, keys in a fixed order, lists one element a
// line (what nlohmann's dump(1) wrote before, so older state files read the same).
class Writer {
 public:
  void key(std::string_view k) {
    out_ += first_ ? "\n" : ",\n";
    first_ = false;
    out_.append(indent_, ' ');
    json::append_string(&out_, k);
    out_ += ": ";
  }
  void str(std::string_view v) { json::append_string(&out_, enc(v)); }
  void num(int64_t v) { out_ += std::to_string(v); }
  void unum(uint64_t v) { out_ += std::to_string(v); }
  void boolean(bool v) { out_ += v ? "true" : "false"; }
  void list(const std::vector<std::string>& v) {
    if (v.empty()) {
      out_ += "[]";
      return;
    }
    out_ += "[";
    for (size_t i = 0; i < v.size(); ++i) {
      out_ += i ? ",\n" : "\n";
      out_.append(indent_ + 1, ' ');
      str(v[i]);
    }
    out_ += "\n";
    out_.append(indent_, ' ');
    out_ += "]";
  }
  void open() {
    out_ += "{";
    ++indent_;
    first_ = true;
  }
  void close() {
    --indent_;
    if (!first_) {
      out_ += "\n";
      out_.append(indent_, ' ');
    }
    out_ += "}";
    first_ = false;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  size_t indent_ = 0;
  bool first_ = true;
};

// Reads a list of strings into `out` (replacing it); anything but strings in it is dropped,
// and a value that is not a list leaves it empty.
bool read_list(json::Reader& r, std::vector<std::string>* out) {
  out->clear();
  if (r.peek() != json::Kind::Array) return r.skip();
  r.begin_array();
  std::string v;
  while (r.next_element()) {
    if (r.peek() == json::Kind::String) {
      if (!r.read_string(&v)) return false;
      out->push_back(dec(v));
    } else if (!r.skip()) {
      return false;
    }
  }
  return r.ok();
}

bool read_params(json::Reader& r, params::ParamSet* out) {
  if (r.peek() != json::Kind::Object) return r.skip();
  r.begin_object();
  std::string_view key;
  std::string value;
  std::vector<std::string> list;
  while (r.next_member(&key)) {
    const params::Spec* spec = params::find(key);
    json::Kind kind = r.peek();
    if (spec && kind == json::Kind::String) {
      if (!r.read_string(&value)) return false;
      // Unknown names and values that no longer import are dropped, not fatal.
      if (auto a = params::import(spec->name, dec(value))) out->set(a->spec, std::move(a->value));
    } else if (spec && kind == json::Kind::Array &&
               (spec->type == params::Type::StringList || spec->type == params::Type::Ip4List ||
                spec->type == params::Type::Ip6List)) {
      if (!read_list(r, &list)) return false;
      out->set(spec, std::move(list));
    } else if (!r.skip()) {
      return false;
    }
  }
  return r.ok();
}

template <class T>
bool read_int(json::Reader& r, T* out) {
  if constexpr (std::is_signed_v<T>) {
    int64_t v = 0;
    if (!r.read_int(&v) || v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
      return false;
    *out = static_cast<T>(v);
  } else {
    uint64_t v = 0;
    if (!r.read_uint(&v) || v > std::numeric_limits<T>::max()) return false;
    *out = static_cast<T>(v);
  }
  return true;
}

// The name link of a jail: "name." and the name with '%', '/' and bytes outside printable
// ASCII as %XX; "" when there is none (no name, or too long for a file name).
std::string name_link(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (name.empty()) return "";
  std::string out = "name.";
  for (unsigned char c : name) {
    if (c == '%' || c == '/' || c <= 0x20 || c >= 0x7f) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out.size() <= 255 ? out : "";
}

std::string state_name(int jid) {
  return std::to_string(jid) + ".json";
}

// The jid counter's file: none when there is no file, 1 for one that holds no counter.
std::optional<int> read_counter(int dir) {
  std::string text;
  if (!sys::read_file_at(dir, "next_jid", &text)) return std::nullopt;
  auto v = parse_int(trim(text));
  return v && *v >= 1 && *v <= kMaxJid ? static_cast<int>(*v) : 1;
}

// The state with init_ino filled in when it is missing and the init is the recorded process.
JailState with_init_ino(const JailState& s) {
  JailState out = s;
  if (s.status != JailState::Status::Active || s.init_pid <= 0 || s.init_ino != 0) return out;
  auto fd = sys::pidfd_open(s.init_pid);
  if (!fd) return out;
  // The pidfd holds the process: if its start time is the recorded one now, the pidfd is it.
  auto start = sys::process_start_time(s.init_pid);
  if (start && *start == s.init_start) out.init_ino = pidfs_ino(fd->get());
  return out;
}

}  // namespace

std::string to_json(const JailState& s) {
  Writer w;
  w.open();
  // Keys in the order nlohmann's std::map wrote them (sorted), as the files always looked.
  w.key("cgroups");
  w.list(s.cgroups);
  w.key("init_pid");
  w.num(s.init_pid);
  w.key("init_ino");
  w.unum(s.init_ino);
  w.key("init_start");
  w.unum(s.init_start);
  w.key("jid");
  w.num(s.jid);
  w.key("name");
  w.str(s.name);
  w.key("nat");
  w.list(s.nat);
  w.key("owner_pid");
  w.num(s.owner_pid);
  w.key("owner_start");
  w.unum(s.owner_start);
  w.key("params");
  w.open();
  std::vector<const params::Assignment*> items;
  for (const auto& a : s.params.items()) items.push_back(&a);
  std::sort(items.begin(), items.end(),
            [](const auto* a, const auto* b) { return a->spec->name < b->spec->name; });
  for (const auto* a : items) {
    w.key(a->spec->name);
    // Lists keep their elements: an element may hold a comma.
    if (auto* list = std::get_if<std::vector<std::string>>(&a->value)) {
      w.list(*list);
    } else {
      w.str(params::export_value(*a->spec, a->value));
    }
  }
  w.close();
  w.key("path");
  w.str(s.path);
  w.key("proxies");
  w.list(s.proxies);
  w.key("status");
  w.str(status_name(s.status));
  w.key("sysctls");
  w.list(s.sysctls);
  w.key("uid_base");
  w.unum(s.uid_base);
  w.key("uid_size");
  w.unum(s.uid_size);
  w.key("userns");
  w.boolean(s.userns);
  w.key("veth");
  w.str(s.veth);
  w.key("vnet_ifaces");
  w.list(s.vnet_ifaces);
  w.close();
  return w.take() + "\n";
}

Result<JailState> from_json(std::string_view text) {
  auto malformed = [] { return Error::invalid("malformed state file"); };
  json::Reader r(text);
  if (r.peek() != json::Kind::Object) return malformed();
  r.begin_object();
  JailState s;
  // The members every state file has, one bit each.
  enum : unsigned {
    kJid = 1,
    kName = 2,
    kPath = 4,
    kStatus = 8,
    kOwnerPid = 16,
    kOwnerStart = 32,
    kInitPid = 64,
    kInitStart = 128,
    kUserns = 256,
    kUidBase = 512,
    kUidSize = 1024,
    kAll = 2047
  };
  unsigned seen = 0;
  std::string status;
  std::string_view key;
  while (r.next_member(&key)) {
    bool ok = true;
    if (key == "jid") {
      ok = read_int(r, &s.jid), seen |= kJid;
    } else if (key == "name") {
      ok = r.read_string(&s.name), seen |= kName;
    } else if (key == "path") {
      ok = r.read_string(&s.path), seen |= kPath;
    } else if (key == "status") {
      ok = r.read_string(&status), seen |= kStatus;
    } else if (key == "owner_pid") {
      ok = read_int(r, &s.owner_pid), seen |= kOwnerPid;
    } else if (key == "owner_start") {
      ok = read_int(r, &s.owner_start), seen |= kOwnerStart;
    } else if (key == "init_pid") {
      ok = read_int(r, &s.init_pid), seen |= kInitPid;
    } else if (key == "init_start") {
      ok = read_int(r, &s.init_start), seen |= kInitStart;
    } else if (key == "init_ino") {
      ok = read_int(r, &s.init_ino);
    } else if (key == "userns") {
      ok = r.read_bool(&s.userns), seen |= kUserns;
    } else if (key == "uid_base") {
      ok = read_int(r, &s.uid_base), seen |= kUidBase;
    } else if (key == "uid_size") {
      ok = read_int(r, &s.uid_size), seen |= kUidSize;
    } else if (key == "cgroups") {
      ok = read_list(r, &s.cgroups);
    } else if (key == "proxies") {
      ok = read_list(r, &s.proxies);
    } else if (key == "sysctls") {
      ok = read_list(r, &s.sysctls);
    } else if (key == "vnet_ifaces") {
      ok = read_list(r, &s.vnet_ifaces);
    } else if (key == "nat") {
      ok = read_list(r, &s.nat);
    } else if (key == "veth") {
      s.veth.clear();
      ok = r.peek() == json::Kind::String ? r.read_string(&s.veth) : r.skip();
      s.veth = dec(s.veth);
    } else if (key == "params") {
      s.params = {};
      ok = read_params(r, &s.params);
    } else {
      ok = r.skip();
    }
    if (!ok) return malformed();
  }
  if (!r.at_end() || seen != kAll) return malformed();
  if (status != "active" && status != "creating") return malformed();
  s.status = status == "active" ? JailState::Status::Active : JailState::Status::Creating;
  s.name = dec(s.name);
  s.path = dec(s.path);
  return s;
}

bool is_state_name(std::string_view n) {
  if (!n.ends_with(".json")) return false;
  n.remove_suffix(5);
  return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<Registry> Registry::open() {
  const char* env = std::getenv("LJAIL_RUNDIR");
  std::string dir = env && *env ? env : LJAIL_DEFAULT_RUNDIR;
  // Made by the first writer (lock()), not by a reader: no registry is an empty one.
  auto fd = sys::open(dir, O_RDONLY | O_DIRECTORY);
  if (!fd && fd.error().code() != ENOENT) {
    Error e = std::move(fd.error());
    e.add_context("registry");
    return e;
  }
  return Registry(dir, fd ? std::move(*fd) : UniqueFd());
}

int Registry::dir_fd() const {
  // The directory goes with the last jail (tidy()) and may be made again: a descriptor of a
  // removed one (no links left) is replaced by one of the directory there now, if any.
  if (dir_fd_.valid()) {
    auto st = sys::fstat(dir_fd_.get());
    if (st && st->st_nlink > 0) return dir_fd_.get();
  }
  auto fd = sys::open(dir_, O_RDONLY | O_DIRECTORY);
  dir_fd_ = fd ? std::move(*fd) : UniqueFd();
  return dir_fd_.get();
}

std::string Registry::tag() const {
  if (dir_ == LJAIL_DEFAULT_RUNDIR) return "";
  uint32_t h = fnv1a32(dir_);
  char buf[8];
  std::snprintf(buf, sizeof(buf), "r%04x", h & 0xffff);
  return buf;
}

Result<Registry::Lock> Registry::lock(bool wait) const {
  while (lock_depth_ == 0) {
    if (dir_fd() < 0) {
      LJ_TRY_CTX(sys::mkdir(dir_, 0700), "registry");
      auto dir = sys::open(dir_, O_RDONLY | O_DIRECTORY);
      if (!dir && dir.error().code() == ENOENT) continue;  // gone again at once
      dir_fd_ = LJ_TRY_CTX(std::move(dir), "registry");
    }
    auto fd = sys::openat(dir_fd_.get(), "lock", O_RDWR | O_CREAT, 0600);
    if (!fd && fd.error().code() == ENOENT) continue;  // the directory went meanwhile
    if (!fd) return fd.error();
    LJ_TRY(sys::flock(fd->get(), wait ? LOCK_EX : LOCK_EX | LOCK_NB));
    // Its holder removes the lock file with the registry's last jail (tidy()) before it lets
    // go: one no longer linked, waited for meanwhile, is no lock.
    auto st = LJ_TRY(sys::fstat(fd->get()));
    if (st.st_nlink == 0) continue;
    lock_fd_ = std::move(*fd);
    may_be_empty_ = true;
    break;
  }
  ++lock_depth_;
  return Lock(this);
}

void Registry::unlock() const {
  if (--lock_depth_ > 0) return;
  if (std::exchange(may_be_empty_, false)) tidy();
  lock_fd_.reset();  // closing the descriptor releases the flock
}

void Registry::tidy() const {
  int dir = dir_fd();
  auto names = sys::list_dir(dir);
  if (!names || std::any_of(names->begin(), names->end(), is_state_name)) return;
  // No jail: what remains (the jid counter, name links a crash left, the policy cache, the
  // lock) goes, and with it the directory. The lock file last, while this still holds it.
  // The counter stays known to this process (allocate_jid).
  if (auto c = read_counter(dir)) counter_ = *c;
  for (const std::string& n : *names) {
    if (n != "lock") (void)sys::unlink_at(dir, n);
  }
  (void)sys::unlink_at(dir, "lock");
  (void)sys::rmdir(dir_);
  dir_fd_.reset();
}

std::optional<JailState> Registry::load_file(const std::string& name) const {
  std::string text;
  if (!sys::read_file_at(dir_fd(), name.c_str(), &text)) return std::nullopt;
  auto s = from_json(text);
  if (!s) return std::nullopt;
  return std::move(*s);
}

std::vector<JailState> Registry::load_all() const {
  std::vector<JailState> out;
  int dir = dir_fd();
  auto names = sys::list_dir(dir);
  if (!names) return out;
  std::string text;
  for (const std::string& n : *names) {
    if (!is_state_name(n)) continue;
    if (!sys::read_file_at(dir, n.c_str(), &text)) continue;
    auto s = from_json(text);
    if (s) out.push_back(std::move(*s));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.jid < b.jid; });
  return out;
}

std::optional<JailState> Registry::load(int jid) const {
  auto s = load_file(state_name(jid));
  if (s && s->jid == jid) return s;
  return std::nullopt;
}

std::optional<JailState> Registry::find(std::string_view key) const {
  auto jid = parse_int(key);
  if (jid && *jid > 0 && *jid <= kMaxJid) {
    if (auto s = load(static_cast<int>(*jid))) return s;
  }
  if (std::string link = name_link(key); !link.empty()) {
    if (auto s = load_file(link); s && s->name == key) return s;
  }
  // Not in the index: a create or removal cut short, or a state file of an older ljail.
  for (auto& s : load_all()) {
    if (s.name == key || (jid && s.jid == *jid)) return std::move(s);
  }
  return std::nullopt;
}

void Registry::drop_link(const std::string& name, const std::string& target) const {
  std::string link = name_link(name);
  if (link.empty()) return;
  if (auto to = sys::read_link_at(dir_fd(), link); to && *to == target) {
    (void)sys::unlink_at(dir_fd(), link);
  }
}

Ok Registry::save(const JailState& s) const {
  auto held = LJ_TRY(lock());
  std::string target = state_name(s.jid);
  // A numeric name is the jail's jid (params: validate_name): found by jid, no link.
  std::string link = s.name == std::to_string(s.jid) ? "" : name_link(s.name);
  auto to = link.empty() ? Result<std::string>(std::string()) : sys::read_link_at(dir_fd(), link);
  bool linked = link.empty() || (to && *to == target);
  if (!linked) {
    // The first save under this name: a name the jid had before loses its link.
    if (auto old = load_file(target); old && old->name != s.name) drop_link(old->name, target);
  }
  LJ_TRY(sys::write_file_atomic(dir_ + "/" + target, to_json(with_init_ino(s)), 0600));
  if (!linked) LJ_TRY(sys::replace_symlink_at(dir_fd(), target, link));
  may_be_empty_ = false;
  return {};
}

Ok Registry::remove(int jid) const {
  auto held = LJ_TRY(lock());
  std::string target = state_name(jid);
  if (auto old = load_file(target)) drop_link(old->name, target);
  // The per-jail policy file of ljail before the shared cache (policy_cache.h).
  LJ_TRY(sys::unlink_at(dir_fd(), std::to_string(jid) + ".policy"));
  may_be_empty_ = true;
  return sys::unlink_at(dir_fd(), target);
}

void Registry::store_cache(const std::string& name, std::string_view text) const {
  // Under the lock, so that it never outlives the registry's last jail (tidy()); but never
  // waiting for it: an attach must not wait for a writer that may be waiting for it (a hook
  // run by jail(8) while it holds the lock). A cache: not storing it changes nothing.
  auto held = lock(false);
  if (held) (void)sys::write_file_atomic(dir_ + "/" + name, text, 0600);
}

Result<int> Registry::allocate_jid(const std::vector<JailState>& running) const {
  // Without a registry, the counter this process took from the one it removed (a restart:
  // jail -rc, -mr), if any: the new jail still gets a jid above the old one's.
  int next = read_counter(dir_fd()).value_or(counter_ > 0 ? counter_ : 1);
  auto used = [&](int jid) {
    return std::any_of(running.begin(), running.end(), [&](const auto& s) { return s.jid == jid; });
  };
  for (int tries = 0; tries < kMaxJid; ++tries) {
    int jid = next;
    next = next >= kMaxJid ? 1 : next + 1;
    if (used(jid)) continue;
    // Read and written only under the registry lock: rewritten in place.
    LJ_TRY(sys::overwrite_file(dir_ + "/next_jid", std::to_string(next) + "\n", 0600));
    counter_ = next;
    return jid;
  }
  return Error::with_code(EAGAIN, "no jid available");
}

// PID_FS_MAGIC of <linux/magic.h> since Linux 6.9 (Debian 12's headers predate it).
constexpr long kPidFsMagic = 0x50494446;

uint64_t pidfs_ino(int pidfd) {
  auto type = sys::fs_type(pidfd);
  if (!type || *type != kPidFsMagic) return 0;
  auto st = sys::fstat(pidfd);
  return st ? st->st_ino : 0;
}

bool is_init(const JailState& s, int pidfd) {
  if (s.init_ino != 0) {
    // One fstatfs, one fstat and one poll instead of reading /proc/PID/stat (which took half
    // of a jls).
    uint64_t ino = pidfs_ino(pidfd);
    if (ino != 0) return ino == s.init_ino && !sys::wait_exit(pidfd, 0);
  }
  auto t = sys::process_start_time(s.init_pid);
  return t && *t == s.init_start;
}

bool is_alive(const JailState& s) {
  if (s.status == JailState::Status::Active && s.init_ino != 0 && s.init_pid > 0) {
    auto fd = sys::pidfd_open(s.init_pid);
    if (fd) return is_init(s, fd->get());
    // No such process; any other failure (out of descriptors) is no proof of death.
    if (fd.error().code() == ESRCH) return false;
  }
  pid_t pid = s.status == JailState::Status::Active ? s.init_pid : s.owner_pid;
  uint64_t start = s.status == JailState::Status::Active ? s.init_start : s.owner_start;
  if (pid <= 0) return false;
  auto t = sys::process_start_time(pid);
  return t && *t == start;
}

}  // namespace ljail::host
