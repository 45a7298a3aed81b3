#include "base/json.h"

#include <limits>

namespace ljail::json {

namespace {

constexpr int kMaxDepth = 64;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void put_utf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

}  // namespace

void Reader::space() {
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\t' || *p_ == '\r')) ++p_;
}

Kind Reader::peek() {
  space();
  if (!ok_ || p_ == end_) return Kind::Bad;
  switch (*p_) {
    case '{':
      return Kind::Object;
    case '[':
      return Kind::Array;
    case '"':
      return Kind::String;
    case 't':
    case 'f':
      return Kind::Bool;
    case 'n':
      return Kind::Null;
    default:
      return *p_ == '-' || (*p_ >= '0' && *p_ <= '9') ? Kind::Number : Kind::Bad;
  }
}

bool Reader::at_end() {
  space();
  return ok_ && depth_ == 0 && p_ == end_;
}

bool Reader::lit(std::string_view word) {
  if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word)
    return fail();
  p_ += word.size();
  return true;
}

bool Reader::begin_object() {
  if (peek() != Kind::Object || depth_ >= kMaxDepth) return fail();
  ++p_;
  started_ &= ~(uint64_t{1} << depth_++);
  return true;
}

bool Reader::begin_array() {
  if (peek() != Kind::Array || depth_ >= kMaxDepth) return fail();
  ++p_;
  started_ &= ~(uint64_t{1} << depth_++);
  return true;
}

// At a `,` or the closing bracket of the current level: `more` tells which.
bool Reader::separator(char close, bool* more) {
  space();
  if (!ok_ || p_ == end_ || depth_ == 0) return fail();
  uint64_t bit = uint64_t{1} << (depth_ - 1);
  if (*p_ == close) {
    ++p_;
    --depth_;
    *more = false;
    return true;
  }
  if (started_ & bit) {
    if (*p_ != ',') return fail();
    ++p_;
  }
  started_ |= bit;
  *more = true;
  return true;
}

bool Reader::next_member(std::string_view* key) {
  bool more = false;
  if (!separator('}', &more) || !more) return false;
  space();
  if (p_ == end_ || *p_ != '"') return fail();
  // A key without escapes (all of ljail's) is a view of the text, not a copy.
  const char* q = p_ + 1;
  while (q < end_ && *q != '"' && *q != '\\' && static_cast<unsigned char>(*q) >= 0x20) ++q;
  if (q < end_ && *q == '"') {
    *key = std::string_view(p_ + 1, static_cast<size_t>(q - p_ - 1));
    p_ = q + 1;
  } else if (string_into(&key_)) {
    *key = key_;
  } else {
    return fail();
  }
  space();
  if (p_ == end_ || *p_ != ':') return fail();
  ++p_;
  return true;
}

bool Reader::next_element() {
  bool more = false;
  return separator(']', &more) && more;
}

bool Reader::string_into(std::string* out) {
  ++p_;  // the opening quote
  if (out) out->clear();
  while (true) {
    const char* run = p_;
    while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
    if (out) out->append(run, p_);
    if (p_ == end_ || static_cast<unsigned char>(*p_) < 0x20) return fail();
    if (*p_++ == '"') return true;
    if (p_ == end_) return fail();
    char c = *p_++;
    char plain = 0;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        plain = c;
        break;
      case 'b':
        plain = '\b';
        break;
      case 'f':
        plain = '\f';
        break;
      case 'n':
        plain = '\n';
        break;
      case 'r':
        plain = '\r';
        break;
      case 't':
        plain = '\t';
        break;
      case 'u':
        break;
      default:
        return fail();
    }
    if (c != 'u') {
      if (out) out->push_back(plain);
      continue;
    }
    auto hex4 = [this](uint32_t* v) {
      if (end_ - p_ < 4) return false;
      *v = 0;
      for (int i = 0; i < 4; ++i) {
        int d = hex_digit(p_[i]);
        if (d < 0) return false;
        *v = *v * 16 + static_cast<uint32_t>(d);
      }
      p_ += 4;
      return true;
    };
    uint32_t cp = 0;
    if (!hex4(&cp)) return fail();
    if (cp >= 0xdc00 && cp <= 0xdfff) return fail();  // a low surrogate alone
    if (cp >= 0xd800 && cp <= 0xdbff) {
      uint32_t low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return fail();
      p_ += 2;
      if (!hex4(&low) || low < 0xdc00 || low > 0xdfff) return fail();
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    if (out) put_utf8(out, cp);
  }
}

bool Reader::read_string(std::string* out) {
  if (peek() != Kind::String) return fail();
  return string_into(out);
}

bool Reader::read_uint(uint64_t* out) {
  if (peek() != Kind::Number || *p_ == '-') return fail();
  uint64_t v = 0;
  const char* start = p_;
  while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
    auto d = static_cast<uint64_t>(*p_ - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return fail();
    v = v * 10 + d;
    ++p_;
  }
  // A fraction or an exponent makes it a floating-point number, not an integer.
  if (p_ == start || (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E'))) return fail();
  *out = v;
  return true;
}

bool Reader::read_int(int64_t* out) {
  if (peek() != Kind::Number) return fail();
  bool negative = *p_ == '-';
  if (negative) ++p_;
  if (p_ == end_ || *p_ < '0' || *p_ > '9') return fail();
  uint64_t v = 0;
  if (!read_uint(&v)) return false;
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (v > kMax + (negative ? 1 : 0)) return fail();
  *out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

bool Reader::read_bool(bool* out) {
  if (peek() != Kind::Bool) return fail();
  *out = *p_ == 't';
  return lit(*out ? "true" : "false");
}

bool Reader::skip() {
  switch (peek()) {
    case Kind::Object: {
      begin_object();
      std::string_view key;
      while (next_member(&key)) {
        if (!skip()) return false;
      }
      return ok_;
    }
    case Kind::Array:
      begin_array();
      while (next_element()) {
        if (!skip()) return false;
      }
      return ok_;
    case Kind::String:
      return string_into(nullptr);
    case Kind::Bool:
      return lit(*p_ == 't' ? "true" : "false");
    case Kind::Null:
      return lit("null");
    case Kind::Number: {
      // -?digits(.digits)?([eE][+-]?digits)?
      auto digits = [this] {
        const char* s = p_;
        while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
        return p_ > s;
      };
      if (*p_ == '-') ++p_;
      if (!digits()) return fail();
      if (p_ < end_ && *p_ == '.') {
        ++p_;
        if (!digits()) return fail();
      }
      if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
        ++p_;
        if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
        if (!digits()) return fail();
      }
      return true;
    }
    case Kind::Bad:
      break;
  }
  return fail();
}

void append_string(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

}  // namespace ljail::json
