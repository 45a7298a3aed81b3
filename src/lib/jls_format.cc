// jls(8) output, modelled on usr.sbin/jls/jls.c and the way libxo renders its xo_emit() calls.
// Every mode computes both the text and the encoded (JSON/XML) form of each jail; the style
// picks one at the end, as libxo does with display-only and encode-only fields.
#include "lib/jls_format.h"

#include <optional>
#include <string_view>
#include <utility>

#include "base/strings.h"
#include "params/params.h"

namespace ljail::lib {
namespace {

using Libxo = JlsOptions::Libxo;
using params::Spec;
using params::Type;

// ---- encoded records: one per jail, rendered as libxo renders JSON and XML ----

struct XoField {
  enum class Kind { String, Raw, List };  // Raw: numbers and booleans, never quoted
  Kind kind = Kind::String;
  std::string name;
  std::string value;               // String and Raw
  std::string leaf;                // List: the element name of each item (XML)
  std::vector<std::string> items;  // List
};
using XoRecord = std::vector<XoField>;

XoField xo_string(std::string name, std::string value) {
  return {XoField::Kind::String, std::move(name), std::move(value), {}, {}};
}
XoField xo_raw(std::string name, std::string value) {
  return {XoField::Kind::Raw, std::move(name), std::move(value), {}, {}};
}
XoField xo_list(std::string name, std::string leaf, std::vector<std::string> items) {
  return {XoField::Kind::List, std::move(name), {}, std::move(leaf), std::move(items)};
}

std::string json_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;  // UTF-8 passes through unchanged, as libxo leaves it
    }
  }
  return out;
}

std::string quoted_json(std::string_view s) {
  return "\"" + json_escape(s) + "\"";
}

// libxo's non-pretty JSON: leaves are `"name":value` separated by ",", lists open with
// `"name": [` after ", ", instances are separated by ", ".
std::string render_json(const std::vector<XoRecord>& records) {
  std::string out = R"({"__version": "2", "jail-information": {"jail": [)";
  for (size_t r = 0; r < records.size(); ++r) {
    out += r == 0 ? "{" : ", {";
    const XoRecord& record = records[r];
    for (size_t f = 0; f < record.size(); ++f) {
      const XoField& x = record[f];
      if (f != 0) out += x.kind == XoField::Kind::List ? ", " : ",";
      out += quoted_json(x.name);
      switch (x.kind) {
        case XoField::Kind::String:
          out += ":" + quoted_json(x.value);
          break;
        case XoField::Kind::Raw:
          out += ":" + x.value;
          break;
        case XoField::Kind::List:
          out += ": [";
          for (size_t i = 0; i < x.items.size(); ++i) {
            if (i != 0) out += ",";
            out += quoted_json(x.items[i]);
          }
          out += "]";
          break;
      }
    }
    out += "}";
  }
  out += "]}}\n";
  return out;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string xml_element(std::string_view name, std::string_view value) {
  return "<" + std::string(name) + ">" + xml_escape(value) + "</" + std::string(name) + ">";
}

// libxo's XML: lists have no element of their own; each item is a leaf element.
std::string render_xml(const std::vector<XoRecord>& records) {
  std::string out = R"(<jail-information __version="2">)";
  for (const XoRecord& record : records) {
    out += "<jail>";
    for (const XoField& x : record) {
      if (x.kind != XoField::Kind::List) {
        out += xml_element(x.name, x.value);
        continue;
      }
      for (const std::string& item : x.items) out += xml_element(x.leaf, item);
    }
    out += "</jail>";
  }
  out += "</jail-information>\n";
  return out;
}

// ---- text helpers: printf widths counted in characters (UTF-8 code points) ----

size_t char_count(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// %.Ns
std::string truncated(std::string_view s, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n++ == max) {
      return std::string(s.substr(0, i));
    }
  }
  return std::string(s);
}

// %-Ns (left) or %Ns
std::string padded(std::string_view s, size_t width, bool left = true) {
  size_t n = char_count(s);
  std::string fill(n < width ? width - n : 0, ' ');
  return left ? std::string(s) + fill : fill + std::string(s);
}

// %-N.Ns
std::string column(std::string_view s, size_t width) {
  return padded(truncated(s, width), width);
}

// An ip4.addr/ip6.addr element as the kernel would hold it: no "iface|", no "/prefix".
std::string bare_address(std::string_view a) {
  if (size_t bar = a.find('|'); bar != std::string_view::npos) a.remove_prefix(bar + 1);
  return std::string(a.substr(0, a.find_first_of("/ ")));
}

std::vector<std::string> bare_addresses(std::vector<std::string> list) {
  for (std::string& a : list) a = bare_address(a);
  return list;
}

// The effective value of a parameter as jls prints it ("" if the table lacks it).
std::string param_text(const params::ParamSet& set, std::string_view name) {
  const Spec* spec = params::find(name);
  return spec ? params::export_value(*spec, params::effective(set, *spec)) : std::string();
}

std::vector<std::string> param_list(const params::ParamSet& set, std::string_view name) {
  const Spec* spec = params::find(name);
  if (spec == nullptr) return {};
  params::Value v = params::effective(set, *spec);
  auto* list = std::get_if<std::vector<std::string>>(&v);
  return list ? std::move(*list) : std::vector<std::string>{};
}

struct Output {
  std::string text;
  std::vector<XoRecord> records;
};

// ---- the default table (4.2) ----

void default_table(const std::vector<const JailView*>& jails, bool by_name, Output& out) {
  out.text = by_name ? " JID             IP Address      Hostname                      Path\n"
                     : "   JID  IP Address      Hostname                      Path\n";
  for (const JailView* j : jails) {
    std::vector<std::string> ip4 = param_list(j->params, "ip4.addr");
    std::string ip = ip4.empty() ? std::string() : bare_address(ip4.front());
    std::string host = param_text(j->params, "host.hostname");
    std::string name = j->name.empty() ? std::to_string(j->jid) : j->name;
    XoRecord rec;
    if (by_name) {
      out.text += " " + padded(name, 15) + " ";
      rec.push_back(xo_string("name", name));
    } else {
      out.text += padded(std::to_string(j->jid), 6, false) + "  ";
      rec.push_back(xo_raw("jid", std::to_string(j->jid)));
    }
    out.text += column(ip, 15) + " " + column(host, 29) + " " + truncated(j->path, 74) + "\n";
    rec.push_back(xo_string("ipv4", ip));
    rec.push_back(xo_string("hostname", host));
    rec.push_back(xo_string("path", j->path));
    out.records.push_back(std::move(rec));
  }
}

// ---- -v (4.3) ----

void verbose_table(const std::vector<const JailView*>& jails, Output& out) {
  out.text =
      "   JID  Hostname                      Path\n"
      "        Name                          State\n"
      "        CPUSetID\n"
      "        IP Address(es)\n";
  for (const JailView* j : jails) {
    std::string host = param_text(j->params, "host.hostname");
    std::string state = j->dying ? "DYING" : "ACTIVE";
    std::string cpuset = param_text(j->params, "cpuset.id");
    std::vector<std::string> ip4 = bare_addresses(param_list(j->params, "ip4.addr"));
    std::vector<std::string> ip6 = bare_addresses(param_list(j->params, "ip6.addr"));
    out.text += padded(std::to_string(j->jid), 6, false) + "  " + column(host, 29) + " " +
                truncated(j->path, 74) + "\n";
    out.text += "        " + column(j->name, 29) + " " + state + "\n";
    out.text += "        " + cpuset + "\n";
    for (const std::string& a : ip4) out.text += "        " + a + "\n";
    for (const std::string& a : ip6) out.text += "        " + a + "\n";
    out.records.push_back({xo_raw("jid", std::to_string(j->jid)), xo_string("hostname", host),
                           xo_string("path", j->path), xo_string("name", j->name),
                           xo_string("state", state), xo_raw("cpusetid", cpuset),
                           xo_list("ipv4_addrs", "ipv4_addr", std::move(ip4)),
                           xo_list("ipv6_addrs", "ipv6_addr", std::move(ip6))});
  }
}

// ---- parameter mode (4.4) ----

// One requested parameter.
struct Column {
  enum class Kind {
    Plain,    // a kernel parameter
    Negated,  // `nopersist`: the negation of a boolean kernel parameter
    MetaKey,  // `meta.KEY` / `env.KEY`: one KEY=VALUE line of meta or env
  };
  Kind kind = Kind::Plain;
  std::string name;  // as requested: header, `name=`, JSON key
  const Spec* spec = nullptr;
  std::string key;  // MetaKey
};

std::optional<Column> resolve_one(const std::string& name) {
  const Spec* spec = params::find(name);
  if (spec != nullptr && spec->has(params::kKernel))
    return Column{Column::Kind::Plain, name, spec, {}};
  for (std::string_view base : {"meta", "env"}) {
    if (name.size() > base.size() + 1 && starts_with(name, base) && name[base.size()] == '.') {
      return Column{Column::Kind::MetaKey, name, params::find(base), name.substr(base.size() + 1)};
    }
  }
  size_t dot = name.rfind('.');
  size_t at = dot == std::string::npos ? 0 : dot + 1;
  if (name.compare(at, 2, "no") != 0) return std::nullopt;
  spec = params::find(name.substr(0, at) + name.substr(at + 2));
  if (spec == nullptr || spec->type != Type::Bool || !spec->has(params::kKernel)) {
    return std::nullopt;
  }
  return Column{Column::Kind::Negated, name, spec, {}};
}

// The columns in request order, `all` expanded, repeats dropped (jls.c add_param).
Result<std::vector<Column>> resolve_columns(const std::vector<std::string>& names) {
  std::vector<Column> out;
  auto add = [&out](Column c) {
    for (const Column& have : out) {
      if (have.name == c.name) return;
    }
    out.push_back(std::move(c));
  };
  for (const std::string& name : names.empty() ? std::vector<std::string>{"all"} : names) {
    if (name == "all") {
      for (const Spec& spec : params::table()) {
        if (spec.has(params::kKernel)) {
          add(Column{Column::Kind::Plain, std::string(spec.name), &spec, {}});
        }
      }
      continue;
    }
    std::optional<Column> c = resolve_one(name);
    if (!c || c->spec == nullptr) return Error::invalid("unknown parameter: " + name);
    add(std::move(*c));
  }
  return out;
}

// The quote jls -q wraps a value in: " around a value holding ', else ' around one holding ",
// else " around one holding a blank; none otherwise.
char quote_char(std::string_view v) {
  auto has = [v](char c) { return v.find(c) != std::string_view::npos; };
  if (has('\'')) return '"';
  if (has('"')) return '\'';
  if (has(' ') || has('\t')) return '"';
  return '\0';
}

// quoted_print(): "" for an empty value; with -q, the value in its quote_char(), backslashes
// and the quote character escaped with a backslash.
std::string quoted(std::string_view v, bool quote) {
  if (v.empty()) return "\"\"";
  if (!quote) return std::string(v);
  char qc = quote_char(v);
  std::string out;
  if (qc != '\0') out += qc;
  for (char c : v) {
    if (c == '\\' || c == qc) out += '\\';
    out += c;
  }
  if (qc != '\0') out += qc;
  return out;
}

std::optional<std::string> meta_lookup(const std::string& buffer, std::string_view key) {
  for (const std::string& line : split(buffer, '\n')) {
    size_t eq = line.find('=');
    if (eq != std::string::npos && std::string_view(line).substr(0, eq) == key) {
      return line.substr(eq + 1);
    }
  }
  return std::nullopt;
}

// One parameter of one jail: its text (with any `name=`) and its encoded field.
struct Cell {
  std::string text;
  std::optional<XoField> xo;
};

struct Mode {
  bool name_value, quote, encoded;
};

// -s: read-only parameters and those whose jailsys switch is not `new` are left out.
bool skipped(const Column& c, const params::ParamSet& set) {
  if (c.spec->has(params::kReadOnly)) return true;
  if (c.spec->jailsys_parent.empty()) return false;
  const Spec* parent = params::find(c.spec->jailsys_parent);
  if (parent == nullptr) return false;
  params::Value v = params::effective(set, *parent);
  const auto* sys = std::get_if<params::JailSys>(&v);
  return sys != nullptr && *sys != params::JailSys::New;
}

Cell meta_cell(const Column& c, const params::ParamSet& set, const Mode& m) {
  std::optional<std::string> v = meta_lookup(param_text(set, c.spec->name), c.key);
  if (!v) return {m.name_value ? c.name : std::string(), std::nullopt};
  return {(m.name_value ? c.name + "=" : std::string()) + quoted(*v, m.quote),
          xo_string(c.name, *v)};
}

Cell make_cell(const Column& c, const params::ParamSet& set, const Mode& m) {
  if (c.kind == Column::Kind::MetaKey) return meta_cell(c, set, m);
  params::Value value = params::effective(set, *c.spec);
  if (const bool* b = std::get_if<bool>(&value)) {
    bool shown = c.kind == Column::Kind::Negated ? !*b : *b;
    // Encoded under the positive name as a JSON boolean (reference 4.5), in every mode.
    auto xo = xo_raw(std::string(c.spec->name), *b ? "true" : "false");
    if (m.name_value) return {params::bool_name(c.spec->name, *b), xo};  // persist / nopersist
    return {quoted(shown ? "true" : "false", m.quote), xo};
  }
  std::string prefix = m.name_value ? c.name + "=" : std::string();
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
    bool ip4 = c.spec->type == Type::Ip4List;
    if (m.encoded && (ip4 || c.spec->type == Type::Ip6List)) {
      return {std::string(), xo_list(c.name, ip4 ? "ipv4_addr" : "ipv6_addr", *list)};
    }
    if (list->empty()) {
      return {prefix + (m.quote ? "\"\"" : m.name_value ? "" : "-"), xo_string(c.name, "")};
    }
  }
  std::string text = params::export_value(*c.spec, value);
  return {prefix + quoted(text, m.quote), xo_string(c.name, text)};
}

Ok parameter_mode(const std::vector<const JailView*>& jails, const JlsOptions& o, Output& out) {
  std::vector<Column> columns = LJ_TRY(resolve_columns(o.params));
  if (o.header) {
    for (size_t i = 0; i < columns.size(); ++i) out.text += (i ? " " : "") + columns[i].name;
    out.text += "\n";
  }
  Mode mode{o.name_value, o.quote, o.libxo != Libxo::Text};
  for (const JailView* j : jails) {
    std::string line;
    bool first = true;
    XoRecord rec;
    for (const Column& c : columns) {
      if (o.save && skipped(c, j->params)) continue;
      Cell cell = make_cell(c, j->params, mode);
      line += (first ? "" : " ") + cell.text;
      first = false;
      if (cell.xo) rec.push_back(std::move(*cell.xo));
    }
    out.text += line + "\n";
    out.records.push_back(std::move(rec));
  }
  return {};
}

}  // namespace

Result<std::string> format_jls(const std::vector<JailView>& jails, const JlsOptions& opts) {
  JlsOptions o = opts;
  if (o.header) o.save = o.verbose = false;
  if (o.save) o.name_value = o.quote = true;
  if (o.name_value || !o.params.empty()) o.verbose = false;

  std::vector<const JailView*> shown;
  for (const JailView& j : jails) {
    if (o.dying || !j.dying) shown.push_back(&j);
  }

  Output out;
  if (!o.params.empty() || o.header || o.name_value) {
    LJ_TRY(parameter_mode(shown, o, out));
  } else if (o.verbose) {
    verbose_table(shown, out);
  } else {
    default_table(shown, o.name_column, out);
  }
  switch (o.libxo) {
    case Libxo::Json:
      return render_json(out.records);
    case Libxo::Xml:
      return render_xml(out.records);
    case Libxo::Text:
      break;
  }
  return std::move(out.text);
}

}  // namespace ljail::lib
