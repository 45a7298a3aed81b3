// The jail.conf tokenizer: FreeBSD's jaillex.l rules (reference 3.2), longest match first.
//
// A string is made of pieces written without space between them; the first piece of a string is
// Str (or Var), every following one Str1 (or Var1), so the parser can join them. Whitespace,
// comments and the reserved tokens end a string. Lexical errors are returned as Error tokens at
// the point FreeBSD's scanner reports them, so they come out in the same order as syntax errors.
#pragma once

#include <deque>
#include <string>
#include <string_view>

namespace ljail::config {

enum class Tok {
  End,     // end of input
  Str,     // first piece of a string: text is the value (escapes processed)
  Str1,    // a further piece of the same string
  Var,     // first piece is a variable: text is its name
  Var1,    // a variable inside a string
  PlusEq,  // +=
  Comma,
  Semi,
  Eq,
  LBrace,
  RBrace,
  Other,  // any other character (always a syntax error)
  Error,  // a lexical error: text is the message ("unterminated string")
};

struct Token {
  Tok kind = Tok::End;
  std::string text;
  // The source text of the token, used in "TOKEN: syntax error".
  std::string raw;
  // The line where the token ends (flex's yylineno after matching it).
  int line = 1;
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  Token next();

 private:
  void push_piece(std::string text, std::string raw, int line);
  void push_var(std::string name, std::string raw, int line);
  void push_error(std::string message, int line);
  void lex_escape();
  void lex_variable();
  void lex_single_quoted();
  void lex_double_quoted();
  // Skips a block comment; false if it is unterminated (then at end of input).
  bool skip_block_comment();
  void advance(size_t n);

  std::string_view src_;
  size_t pos_ = 0;
  int line_ = 1;
  bool instr_ = false;  // inside a string: the next piece continues it
  bool failed_ = false;
  std::deque<Token> pending_;
};

// FreeBSD text2lval escape processing of `s` (no surrounding quotes): \a \b \f \n \r \t \v, octal
// \N..\NNN, hex \xH \xHH, backslash-newline dropped, \c for c. The result is cut at the first NUL
// byte, as jail(8)'s C strings are.
std::string unescape(std::string_view s);

}  // namespace ljail::config
