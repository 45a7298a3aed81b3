#include "config/resolve.h"

#include <cstdint>
#include <iterator>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

#include "config/names.h"

namespace ljail::config {
namespace {

struct Value {
  std::string text;
  std::vector<VarRef> vars;
  size_t next = 0;  // vars before this one are substituted

  bool pending() const { return next < vars.size(); }
};

// One parameter or variable of the jail being resolved (jail(8)'s struct cfparam).
struct Entry {
  std::string name;
  bool is_var = false;
  bool immutable = false;
  std::vector<Value> values;
  std::string file;
  int line = 0;
  uint64_t gen = 0;
  bool bad = false;
  size_t seq = 0;  // order of addition, to pick the first of several equalopts matches

  bool pending() const {
    for (const Value& v : values) {
      if (v.pending()) return true;
    }
    return false;
  }
};

using Entries = std::list<Entry>;

class JailResolver {
 public:
  JailResolver(const RawJail& jail, const Limits& limits, size_t& merged_bytes)
      : jail_(jail), limits_(limits), merged_bytes_(merged_bytes) {}

  // Adds the implied name or jid.
  void add_implied(std::string_view name);
  Ok add(const RawParam& param);
  // The name backfill after merging: `name` from the block name unless already set.
  void backfill_name();
  void substitute();
  ConfJail finish();

 private:
  void error(std::string message) {
    errors_.push_back(Error::invalid(std::move(message)).add_context(jail_.name));
  }
  // Appends an entry and indexes its name.
  void append(Entry e);
  void index(Entries::iterator e);
  void unindex(Entries::iterator e);
  // The first entry whose name equalopts() `name`, or end().
  Entries::iterator find_equal(const std::string& name);
  // Removes every entry but `keep` whose name equalopts() keep's.
  void drop_equal_others(Entries::iterator keep);
  // Marks the current chain bad (jail(8)'s bad_var).
  void mark_bad();
  // Substitutes the next variable of p->values[index]; false if the expansion budget ran out.
  bool substitute_one(Entries::iterator p, size_t index, Entries::iterator vp);

  const RawJail& jail_;
  const Limits& limits_;
  size_t& merged_bytes_;
  Entries entries_;
  // Exact names, and names with one component's "no" prefix removed ("foo.nobar" -> "foo.bar").
  std::unordered_multimap<std::string, Entries::iterator> exact_;
  std::unordered_multimap<std::string, Entries::iterator> stripped_;
  bool has_name_ = false;
  size_t next_seq_ = 0;  // entries may be dropped (drop_equal_others): not their count
  std::vector<Error> errors_;
  uint64_t pgen_ = 0;
  std::vector<Entries::iterator> chain_;  // entries whose gen is pgen_
  size_t expanded_ = 0;
};

void JailResolver::add_implied(std::string_view name) {
  Entry e;
  e.name = is_numeric_name(name) ? "jid" : "name";
  e.immutable = true;
  e.values.push_back(Value{std::string(name), {}, 0});
  e.file = jail_.file;
  e.line = jail_.line;
  has_name_ = e.name == "name";
  append(std::move(e));
}

void JailResolver::backfill_name() {
  if (has_name_) return;
  Entry e;
  e.name = "name";
  e.immutable = true;
  e.values.push_back(Value{jail_.name, {}, 0});
  e.file = jail_.file;
  e.line = jail_.line;
  append(std::move(e));
  has_name_ = true;
}

Ok JailResolver::add(const RawParam& param) {
  size_t cost = param.name.size() + 64;
  for (const RawString& s : param.values) cost += s.text.size() + 32 * (s.vars.size() + 1);
  merged_bytes_ += cost;
  if (merged_bytes_ > limits_.max_merged_bytes) {
    return fail(Error::invalid("configuration too large"));
  }
  std::vector<Value> values;
  values.reserve(param.values.size());
  for (const RawString& s : param.values) values.push_back(Value{s.text, s.vars, 0});

  if (auto dp = find_equal(param.name); dp != entries_.end()) {
    if (dp->is_var != param.is_var) {
      error("variable \"$" + param.name + "\" cannot have the same name as a parameter.");
      return {};
    }
    if (dp->immutable) {
      error("cannot redefine parameter \"" + dp->name + "\".");
      return {};
    }
    if (dp->name != param.name) {
      unindex(dp);
      dp->name = param.name;
      index(dp);
      // equalopts() is not transitive: the new name may equal another entry's, which the old
      // one did not ("mount.devfs" renamed "mount.nodevfs" beside "nomount.nodevfs"). That
      // one is the same parameter now, superseded by this assignment: dropped, so that every
      // parameter has one entry (and the jail reads back the same from to_conf()).
      drop_equal_others(dp);
    }
    if (param.op != Op::Append || values.empty()) dp->values.clear();
    for (Value& v : values) dp->values.push_back(std::move(v));
    dp->file = param.file;
    dp->line = param.line;
    return {};
  }

  Entry e;
  e.name = param.name;
  e.is_var = param.is_var;
  e.values = std::move(values);
  e.file = param.file;
  e.line = param.line;
  append(std::move(e));
  KnownParam known = known_param(param.name);
  if (known == KnownParam::None) return {};
  if (param.is_var) {
    error("variable \"$" + param.name + "\" cannot have the same name as a parameter.");
    return {};
  }
  if (known == KnownParam::Name || known == KnownParam::Jid) {
    entries_.back().immutable = true;
    if (known == KnownParam::Name) has_name_ = true;
  }
  return {};
}

// equalopts(a, b) holds exactly when a == b or one is the other with "no" inserted at the start
// of a component, so a name's matches are found through these two indexes.
std::vector<std::string> no_variants(const std::string& name) {
  std::vector<std::string> out;
  for (size_t k = 0; k + 1 < name.size(); ++k) {
    if ((k == 0 || name[k - 1] == '.') && name[k] == 'n' && name[k + 1] == 'o') {
      out.push_back(name.substr(0, k) + name.substr(k + 2));
    }
  }
  return out;
}

void JailResolver::index(Entries::iterator e) {
  exact_.emplace(e->name, e);
  for (std::string& v : no_variants(e->name)) stripped_.emplace(std::move(v), e);
}

void JailResolver::unindex(Entries::iterator e) {
  auto erase = [e](std::unordered_multimap<std::string, Entries::iterator>& map,
                   const std::string& key) {
    auto [lo, hi] = map.equal_range(key);
    for (auto it = lo; it != hi; ++it) {
      if (it->second == e) {
        map.erase(it);
        return;
      }
    }
  };
  erase(exact_, e->name);
  for (const std::string& v : no_variants(e->name)) erase(stripped_, v);
}

void JailResolver::append(Entry e) {
  e.seq = next_seq_++;
  entries_.push_back(std::move(e));
  index(std::prev(entries_.end()));
}

Entries::iterator JailResolver::find_equal(const std::string& name) {
  Entries::iterator best = entries_.end();
  auto consider = [&](const std::unordered_multimap<std::string, Entries::iterator>& map,
                      const std::string& key) {
    auto [lo, hi] = map.equal_range(key);
    for (auto it = lo; it != hi; ++it) {
      if (best == entries_.end() || it->second->seq < best->seq) best = it->second;
    }
  };
  consider(exact_, name);
  consider(stripped_, name);
  for (const std::string& v : no_variants(name)) consider(exact_, v);
  return best;
}

void JailResolver::drop_equal_others(Entries::iterator keep) {
  for (auto e = entries_.begin(); e != entries_.end();) {
    if (e == keep || e->is_var != keep->is_var || !equalopts(e->name, keep->name)) {
      ++e;
      continue;
    }
    unindex(e);
    e = entries_.erase(e);
  }
}

void JailResolver::mark_bad() {
  for (Entries::iterator e : chain_) e->bad = true;
}

bool JailResolver::substitute_one(Entries::iterator p, size_t index, Entries::iterator vp) {
  const std::vector<Value>& source = vp->values;
  size_t cost = 0;
  for (const Value& v : source) cost += v.text.size() + 32;
  expanded_ += cost;
  if (expanded_ > limits_.max_expansion_bytes) {
    error(p->name + ": variable expansion too large");
    return false;
  }
  Value& s = p->values[index];
  const VarRef& v = s.vars[s.next];
  size_t pos = v.pos < s.text.size() ? v.pos : s.text.size();
  const std::string& first = source.front().text;
  s.text.insert(pos, first);
  for (size_t k = s.next + 1; k < s.vars.size(); ++k) s.vars[k].pos += first.size();
  ++s.next;
  std::vector<Value> rest;
  for (size_t k = 1; k < source.size(); ++k) rest.push_back(Value{source[k].text, {}, 0});
  p->values.insert(p->values.begin() + static_cast<std::ptrdiff_t>(index) + 1,
                   std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
  return true;
}

// jail(8)'s substitution loop: parameters are visited in order; one that needs a parameter or
// variable with unresolved references moves that one in front of itself and resolves it first,
// so the order changes as in FreeBSD. `gen` marks the chain being resolved, to find loops.
void JailResolver::substitute() {
  std::unordered_map<std::string, Entries::iterator> first;
  for (auto it = entries_.begin(); it != entries_.end(); ++it) first.emplace(it->name, it);
  auto find = [&](const std::string& name) {
    auto f = first.find(name);
    return f == first.end() ? entries_.end() : f->second;
  };

  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    it->gen = ++pgen_;
    chain_.assign(1, it);
    Entries::iterator p = it;
    bool restart = true;
    while (restart) {
      restart = false;
      for (size_t index = 0; index < p->values.size() && !restart; ++index) {
        while (p->values[index].pending()) {
          Value& s = p->values[index];
          const VarRef& v = s.vars[s.next];
          Entries::iterator vp = find(v.name);
          if (vp == entries_.end() || vp->values.empty()) {
            error(p->name + ": variable \"" + v.name + "\" not found");
            mark_bad();
          } else if (vp->bad) {
            mark_bad();
          } else if (vp->gen == pgen_) {
            error(v.name + ": variable loop");
            mark_bad();
          } else if (vp->pending()) {
            vp->gen = pgen_;
            chain_.push_back(vp);
            entries_.splice(p, entries_, vp);
            p = vp;
            restart = true;
            break;
          } else if (vp->values.size() > 1 && (!s.text.empty() || s.next + 1 < s.vars.size())) {
            error(p->name + ": array cannot be substituted inline");
            mark_bad();
          } else {
            if (!substitute_one(p, index, vp)) return;
            continue;
          }
          ++s.next;  // the variable is dropped (jail(8)'s free_var)
        }
      }
    }
    it = p;
  }
}

ConfJail JailResolver::finish() {
  ConfJail out;
  out.name = jail_.name;
  out.file = jail_.file;
  out.line = jail_.line;
  out.errors = std::move(errors_);
  for (Entry& e : entries_) {
    if (e.is_var) continue;
    ConfParam p;
    p.name = std::move(e.name);
    p.file = std::move(e.file);
    p.line = e.line;
    for (Value& v : e.values) p.values.push_back(std::move(v.text));
    out.params.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<std::vector<ConfJail>> resolve(const RawConfig& config, const Limits& limits) {
  std::vector<size_t> wild;
  for (size_t i = 0; i < config.jails.size(); ++i) {
    if (is_wildcard(config.jails[i].name)) wild.push_back(i);
  }
  std::vector<ConfJail> out;
  size_t merged_bytes = 0;
  for (size_t j = 0; j < config.jails.size(); ++j) {
    const RawJail& jail = config.jails[j];
    if (is_wildcard(jail.name)) continue;
    JailResolver r(jail, limits, merged_bytes);
    r.add_implied(jail.name);
    bool did_self = false;
    for (size_t w : wild) {
      if (j < w && !did_self) {
        for (const RawParam& p : jail.params) LJ_TRY(r.add(p));
        did_self = true;
      }
      if (wildcard_match(jail.name, config.jails[w].name)) {
        for (const RawParam& p : config.jails[w].params) LJ_TRY(r.add(p));
      }
    }
    if (!did_self) {
      for (const RawParam& p : jail.params) LJ_TRY(r.add(p));
    }
    r.backfill_name();
    r.substitute();
    out.push_back(r.finish());
  }
  return out;
}

}  // namespace ljail::config
