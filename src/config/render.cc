// Printing jails: `jail -e` lines and jail.conf text.
#include <string>

#include "config/config.h"
#include "config/names.h"

namespace ljail::config {
namespace {

bool is_bare_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool bare = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                std::string_view("_!%&()-.:<>?@[]^`|~").find(c) != std::string_view::npos;
    if (!bare) return false;
  }
  return true;
}

// A single-quoted jail.conf string: no variables; `\` and `'` escaped.
std::string single_quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

void append_param(std::string& out, const ConfParam& p) {
  out += "  ";
  out += is_bare_name(p.name) ? p.name : single_quoted(p.name);
  for (size_t i = 0; i < p.values.size(); ++i) {
    out += i == 0 ? " = " : ", ";
    out += single_quoted(p.values[i]);
  }
  out += ";\n";
}

}  // namespace

const ConfParam* ConfJail::find(std::string_view param_name) const {
  for (const ConfParam& p : params) {
    if (p.name == param_name) return &p;
  }
  return nullptr;
}

std::string quote_value(std::string_view value) {
  char qc = value.empty()                                          ? '"'
            : value.find('\'') != std::string_view::npos           ? '"'
            : value.find('"') != std::string_view::npos            ? '\''
            : value.find_first_of(" \t") != std::string_view::npos ? '"'
                                                                   : '\0';
  std::string out;
  if (qc) out += qc;
  for (char c : value) {
    if (c == '\\' || c == qc) out += '\\';
    out += c;
  }
  if (qc) out += qc;
  return out;
}

std::string render_e(const ConfJail& jail, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const ConfParam& p : jail.params) {
    if (p.name == "jid") continue;
    if (!first) out += separator;
    first = false;
    out += p.name;
    for (size_t i = 0; i < p.values.size(); ++i) {
      out += i == 0 ? '=' : ',';
      out += quote_value(p.values[i]);
    }
  }
  return out;
}

std::string to_conf(const std::vector<ConfJail>& jails) {
  std::string out;
  for (const ConfJail& j : jails) {
    out += single_quoted(j.name) + " {\n";
    bool numeric = is_numeric_name(j.name);
    for (size_t i = 0; i < j.params.size(); ++i) {
      const ConfParam& p = j.params[i];
      bool implied = p.values.size() == 1 && p.values[0] == j.name;
      // The block name implies `name` (or `jid`, with `name` filled in at the end).
      if (implied && !numeric && p.name == "name") continue;
      if (implied && numeric && p.name == "jid") continue;
      if (implied && numeric && p.name == "name" && i + 1 == j.params.size()) continue;
      append_param(out, p);
    }
    out += "}\n";
  }
  return out;
}

}  // namespace ljail::config
