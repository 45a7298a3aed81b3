#include "config/parser.h"

#include <deque>
#include <utility>

#include "config/lexer.h"

namespace ljail::config {

void Builder::open_block(std::string_view name, const std::string& file, int line) {
  std::string full(name);
  if (!open_.empty()) full = config_.jails[open_.back()].name + "." + full;
  config_.jails.push_back(RawJail{std::move(full), {}, file, line});
  open_.push_back(config_.jails.size() - 1);
}

void Builder::close_block() {
  if (!open_.empty()) open_.pop_back();
}

void Builder::add_param(RawParam param) {
  size_t target;
  if (!open_.empty()) {
    target = open_.back();
  } else {
    if (!config_.global) {
      config_.jails.push_back(RawJail{"*", {}, param.file, param.line});
      config_.global = config_.jails.size() - 1;
    }
    target = *config_.global;
  }
  config_.jails[target].params.push_back(std::move(param));
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, const std::string& file, Builder& builder, const IncludeFn& include)
      : lexer_(text), file_(file), builder_(builder), include_(include) {}

  Ok run();

 private:
  const Token& peek(size_t k = 0) {
    while (lookahead_.size() <= k) lookahead_.push_back(lexer_.next());
    return lookahead_[k];
  }
  Token take() {
    peek();
    Token t = std::move(lookahead_.front());
    lookahead_.pop_front();
    return t;
  }
  Error at(int line, const std::string& message) const {
    return Error::invalid(file_ + " line " + std::to_string(line) + ": " + message);
  }
  Error syntax_error(const Token& t) const {
    if (t.kind == Tok::End) return Error::invalid(file_ + ": unexpected EOF");
    if (t.kind == Tok::Error) return at(t.line, t.text);
    return at(t.line, t.raw + ": syntax error");
  }
  // A block name made of literal pieces (`foo.*` lexes as "foo." and "*"): the number of
  // pieces before the `{`, or 0 if this is not a block.
  size_t literal_block_name();
  Result<RawString> parse_string();
  Result<std::vector<RawString>> parse_value();
  Ok parse_param();

  Lexer lexer_;
  const std::string& file_;
  Builder& builder_;
  const IncludeFn& include_;
  std::deque<Token> lookahead_;
};

size_t Parser::literal_block_name() {
  size_t k = 1;
  while (peek(k).kind == Tok::Str1) ++k;
  return peek(k).kind == Tok::LBrace ? k : 0;
}

Result<RawString> Parser::parse_string() {
  const Token& first = peek();
  if (first.kind != Tok::Str && first.kind != Tok::Var) return syntax_error(first);
  RawString s;
  Token t = take();
  if (t.kind == Tok::Str) {
    s.text = std::move(t.text);
  } else {
    s.vars.push_back(VarRef{std::move(t.text), 0});
  }
  while (peek().kind == Tok::Str1 || peek().kind == Tok::Var1) {
    Token piece = take();
    if (piece.kind == Tok::Str1) {
      s.text += piece.text;
    } else {
      s.vars.push_back(VarRef{std::move(piece.text), s.text.size()});
    }
  }
  return s;
}

Result<std::vector<RawString>> Parser::parse_value() {
  std::vector<RawString> values;
  while (true) {
    values.push_back(LJ_TRY(parse_string()));
    if (peek().kind != Tok::Comma) return values;
    take();
  }
}

Ok Parser::parse_param() {
  Token name = take();
  RawParam p;
  p.name = std::move(name.text);
  p.is_var = name.kind == Tok::Var;
  p.file = file_;
  p.line = name.line;
  switch (peek().kind) {
    case Tok::Semi:
      p.op = Op::Bare;
      break;
    case Tok::Eq:
    case Tok::PlusEq:
      p.op = take().kind == Tok::Eq ? Op::Assign : Op::Append;
      p.values = LJ_TRY(parse_value());
      break;
    case Tok::Str:
    case Tok::Var:
      p.op = Op::NameValue;
      p.values = LJ_TRY(parse_value());
      break;
    default:
      return fail(syntax_error(peek()));
  }
  if (peek().kind != Tok::Semi) return fail(syntax_error(peek()));
  Token semi = take();
  if (!p.is_var && p.op == Op::NameValue && p.name == ".include") return include_(p, semi.line);
  builder_.add_param(std::move(p));
  return {};
}

Ok Parser::run() {
  size_t depth = 0;  // blocks opened in this file
  while (true) {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::End:
        if (depth > 0) return fail(syntax_error(t));
        return {};
      case Tok::Semi:
        take();
        break;
      case Tok::RBrace:
        if (depth == 0) return fail(syntax_error(t));
        take();
        builder_.close_block();
        --depth;
        break;
      case Tok::Str: {
        size_t pieces = peek(1).kind == Tok::LBrace ? 1
                        : peek(1).kind == Tok::Str1 ? literal_block_name()
                                                    : 0;
        if (pieces == 0) {
          LJ_TRY(parse_param());
          break;
        }
        Token first = take();
        std::string name = std::move(first.text);
        for (size_t k = 1; k < pieces; ++k) name += take().text;
        Token brace = take();
        if (!builder_.can_open()) return fail(at(brace.line, "blocks nested too deeply"));
        builder_.open_block(name, file_, first.line);
        ++depth;
        break;
      }
      case Tok::Var:
        LJ_TRY(parse_param());
        break;
      default:
        return fail(syntax_error(t));
    }
  }
}

}  // namespace

Ok parse_file(std::string_view text, const std::string& file, Builder& builder,
              const IncludeFn& include) {
  Parser parser(text, file, builder, include);
  return parser.run();
}

}  // namespace ljail::config
