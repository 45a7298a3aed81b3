#include "config/lexer.h"

#include <algorithm>
#include <utility>

namespace ljail::config {
namespace {

bool is_bare(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("_!%&()-.:<>?@[]^`|~").find(c) != std::string_view::npos;
}

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int count_newlines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// Length of a `${...}` variable starting at s[0] == '$', s[1] == '{', including the closing
// brace; 0 when unterminated. `in_dq`: inside double quotes, where `"` may not appear.
size_t braced_length(std::string_view s, bool in_dq) {
  size_t i = 2;
  while (i < s.size()) {
    char c = s[i];
    if (c == '}') return i + 1;
    if (c == '\\') {
      if (i + 1 >= s.size()) return 0;
      i += 2;
      continue;
    }
    if (c == '\n' || c == '{' || (in_dq && c == '"')) return 0;
    ++i;
  }
  return 0;
}

// Length of an escape piece (jaillex.l: `\\(.|\n|[0-7]{1,3}|x[0-9A-Fa-f]{1,2})`) at s[0] == '\\';
// 1 for a lone backslash at the end.
size_t escape_length(std::string_view s) {
  if (s.size() < 2) return 1;
  if (is_octal(s[1])) {
    size_t n = 2;
    while (n < s.size() && n < 4 && is_octal(s[n])) ++n;
    return n;
  }
  if (s[1] == 'x') {
    size_t n = 2;
    while (n < s.size() && n < 4 && hex_value(s[n]) >= 0) ++n;
    return n;
  }
  return 2;
}

}  // namespace

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (++i >= s.size()) {
      out += '\0';  // jail(8) reads the string's terminator here
      break;
    }
    char c = s[i];
    if (is_octal(c)) {
      unsigned v = static_cast<unsigned>(c - '0');
      for (int k = 0; k < 2 && i + 1 < s.size() && is_octal(s[i + 1]); ++k) {
        v = (v * 8 + static_cast<unsigned>(s[++i] - '0')) & 0xffu;
      }
      out += static_cast<char>(v);
      continue;
    }
    switch (c) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\n':
        break;
      case 'x': {
        unsigned v = 0;
        for (int k = 0; k < 2 && i + 1 < s.size() && hex_value(s[i + 1]) >= 0; ++k) {
          v = v * 16 + static_cast<unsigned>(hex_value(s[++i]));
        }
        out += static_cast<char>(v);
        break;
      }
      default:
        out += c;
        break;
    }
  }
  size_t nul = out.find('\0');
  if (nul != std::string::npos) out.resize(nul);
  return out;
}

void Lexer::advance(size_t n) {
  line_ += count_newlines(src_.substr(pos_, n));
  pos_ += n;
}

void Lexer::push_piece(std::string text, std::string raw, int line) {
  size_t nul = text.find('\0');
  if (nul != std::string::npos) text.resize(nul);
  pending_.push_back(Token{instr_ ? Tok::Str1 : Tok::Str, std::move(text), std::move(raw), line});
  instr_ = true;
}

void Lexer::push_var(std::string name, std::string raw, int line) {
  size_t nul = name.find('\0');
  if (nul != std::string::npos) name.resize(nul);
  pending_.push_back(Token{instr_ ? Tok::Var1 : Tok::Var, std::move(name), std::move(raw), line});
  instr_ = true;
}

void Lexer::push_error(std::string message, int line) {
  pending_.push_back(Token{Tok::Error, std::move(message), "", line});
  failed_ = true;
}

void Lexer::lex_escape() {
  size_t n = escape_length(src_.substr(pos_));
  std::string raw(src_.substr(pos_, n));
  advance(n);
  push_piece(unescape(raw), raw, line_);
}

void Lexer::lex_variable() {
  std::string_view rest = src_.substr(pos_);
  if (rest.size() > 1 && is_name_start(rest[1])) {
    size_t n = 2;
    while (n < rest.size() && is_name_char(rest[n])) ++n;
    std::string raw(rest.substr(0, n));
    advance(n);
    push_var(raw.substr(1), raw, line_);
  } else if (rest.size() > 1 && rest[1] == '{') {
    size_t n = braced_length(rest, false);
    if (n == 0) {
      push_error("unterminated variable", line_);
      return;
    }
    std::string raw(rest.substr(0, n));
    advance(n);
    push_var(unescape(rest.substr(2, n - 3)), raw, line_);
  } else {
    advance(1);
    push_piece("$", "$", line_);
  }
}

void Lexer::lex_single_quoted() {
  size_t i = pos_ + 1;
  while (i < src_.size() && src_[i] != '\'') i += (src_[i] == '\\') ? 2 : 1;
  if (i >= src_.size()) {
    push_error("unterminated string", line_);
    return;
  }
  std::string_view raw = src_.substr(pos_, i + 1 - pos_);
  advance(raw.size());
  push_piece(unescape(raw.substr(1, raw.size() - 2)), std::string(raw), line_);
}

// A complete double-quoted string becomes pieces: literal runs (escapes processed) split at each
// unescaped `$`, and the variables. jaillex.l does this with its DQ start condition.
void Lexer::lex_double_quoted() {
  size_t close = pos_ + 1;
  while (close < src_.size() && src_[close] != '"') close += (src_[close] == '\\') ? 2 : 1;
  if (close >= src_.size()) {
    push_error("unterminated string", line_);
    return;
  }
  std::string_view body = src_.substr(pos_ + 1, close - pos_ - 1);
  int line = line_;
  bool first = true;
  size_t seg = 0;  // start of the current literal run in body
  size_t i = 0;
  auto flush = [&](size_t end, bool last) {
    std::string_view lit = body.substr(seg, end - seg);
    int end_line = line + count_newlines(lit);
    if (first) {
      std::string raw = "\"" + std::string(lit) + (last ? "\"" : "");
      push_piece(unescape(lit), raw, end_line);
      first = false;
    } else if (!lit.empty()) {
      push_piece(unescape(lit), std::string(lit) + (last ? "\"" : ""), end_line);
    }
    line = end_line;
  };
  while (i < body.size()) {
    if (body[i] == '\\') {
      i += 2;
      continue;
    }
    if (body[i] != '$') {
      ++i;
      continue;
    }
    flush(i, false);
    std::string_view rest = body.substr(i);
    if (rest.size() > 1 && is_name_start(rest[1])) {
      size_t n = 2;
      while (n < rest.size() && is_name_char(rest[n])) ++n;
      push_var(std::string(rest.substr(1, n - 1)), std::string(rest.substr(0, n)), line);
      i += n;
    } else if (rest.size() > 1 && rest[1] == '{') {
      // braced_length stops at the closing quote, which is not in `rest`.
      size_t n = braced_length(rest, true);
      if (n == 0) {
        push_error("unterminated variable", line);
        pos_ = src_.size();
        return;
      }
      line += count_newlines(rest.substr(0, n));
      push_var(unescape(rest.substr(2, n - 3)), std::string(rest.substr(0, n)), line);
      i += n;
    } else {
      push_piece("$", "$", line);
      i += 1;
    }
    seg = i;
  }
  flush(body.size(), true);
  advance(close + 1 - pos_);
}

bool Lexer::skip_block_comment() {
  size_t end = src_.find("*/", pos_ + 2);
  if (end == std::string_view::npos) {
    advance(src_.size() - pos_);
    return false;
  }
  advance(end + 2 - pos_);
  return true;
}

Token Lexer::next() {
  while (pending_.empty()) {
    if (failed_ || pos_ >= src_.size()) return Token{Tok::End, "", "", line_};
    char c = src_[pos_];
    char n = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
    bool has_n = pos_ + 1 < src_.size();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      size_t e = pos_;
      while (e < src_.size() &&
             (src_[e] == ' ' || src_[e] == '\t' || src_[e] == '\r' || src_[e] == '\n')) {
        ++e;
      }
      advance(e - pos_);
      instr_ = false;
    } else if (c == '#' || (c == '/' && has_n && n == '/')) {
      size_t e = src_.find('\n', pos_);
      pos_ = e == std::string_view::npos ? src_.size() : e;
      instr_ = false;
    } else if (c == '/' && has_n && n == '*') {
      if (!skip_block_comment()) push_error("unterminated comment", line_);
      instr_ = false;
    } else if (c == '+' && has_n && n == '=') {
      advance(2);
      instr_ = false;
      return Token{Tok::PlusEq, "+=", "+=", line_};
    } else if (c == ',' || c == ';' || c == '=' || c == '{' || c == '}') {
      advance(1);
      instr_ = false;
      Tok kind = c == ','   ? Tok::Comma
                 : c == ';' ? Tok::Semi
                 : c == '=' ? Tok::Eq
                 : c == '{' ? Tok::LBrace
                            : Tok::RBrace;
      return Token{kind, std::string(1, c), std::string(1, c), line_};
    } else if (is_bare(c)) {
      size_t e = pos_;
      while (e < src_.size() && is_bare(src_[e])) ++e;
      std::string raw(src_.substr(pos_, e - pos_));
      advance(e - pos_);
      push_piece(raw, raw, line_);
    } else if (c == '\\') {
      lex_escape();
    } else if (c == '$') {
      lex_variable();
    } else if (c == '*' || c == '+' || c == '/') {
      advance(1);
      push_piece(std::string(1, c), std::string(1, c), line_);
    } else if (c == '\'') {
      lex_single_quoted();
    } else if (c == '"') {
      lex_double_quoted();
    } else if (c == '\0') {
      push_error("unexpected NUL byte", line_);
    } else {
      advance(1);
      return Token{Tok::Other, std::string(1, c), std::string(1, c), line_};
    }
  }
  Token t = std::move(pending_.front());
  pending_.pop_front();
  return t;
}

}  // namespace ljail::config
