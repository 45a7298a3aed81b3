// jail.conf tokens (reference 3.2): pieces, quotes, escapes, variables, comments, line numbers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/lexer.h"

namespace ljail::config {
namespace {

// "KIND:text" for every token up to the end.
std::vector<std::string> lex(std::string_view src) {
  static const char* const kNames[] = {"End",    "Str",   "Str1", "Var", "Var1",
                                       "PlusEq", "Comma", "Semi", "Eq",  "LBrace",
                                       "RBrace", "Other", "Error"};
  Lexer lexer(src);
  std::vector<std::string> out;
  for (int guard = 0; guard < 1000; ++guard) {
    Token t = lexer.next();
    if (t.kind == Tok::End) break;
    out.push_back(std::string(kNames[static_cast<int>(t.kind)]) + ":" + t.text);
  }
  return out;
}

using V = std::vector<std::string>;

TEST(ConfigLexer, ReservedTokensAndBareWords) {
  EXPECT_EQ(lex("a.b-c = x, y; p += z { }"),
            (V{"Str:a.b-c", "Eq:=", "Str:x", "Comma:,", "Str:y", "Semi:;", "Str:p",
               "PlusEq:+=", "Str:z", "LBrace:{", "RBrace:}"}));
  EXPECT_EQ(lex("!%&()-.:<>?@[]^`|~_09"), (V{"Str:!%&()-.:<>?@[]^`|~_09"}));
}

TEST(ConfigLexer, PiecesJoinWithoutSpace) {
  EXPECT_EQ(lex("foo.*"), (V{"Str:foo.", "Str1:*"}));
  EXPECT_EQ(lex("/var/jail/$name"),
            (V{"Str:/", "Str1:var", "Str1:/", "Str1:jail", "Str1:/", "Var1:name"}));
  EXPECT_EQ(lex("'a'\"b\"c"), (V{"Str:a", "Str1:b", "Str1:c"}));
  EXPECT_EQ(lex("a b"), (V{"Str:a", "Str:b"}));
  EXPECT_EQ(lex("a+b"), (V{"Str:a", "Str1:+", "Str1:b"}));
}

TEST(ConfigLexer, Comments) {
  EXPECT_EQ(lex("a # c ; d\nb"), (V{"Str:a", "Str:b"}));
  EXPECT_EQ(lex("a // c\nb"), (V{"Str:a", "Str:b"}));
  EXPECT_EQ(lex("a /* c\n * d */ b"), (V{"Str:a", "Str:b"}));
  EXPECT_EQ(lex("a#b"), (V{"Str:a"}));
  // `//` inside an unquoted path starts a comment, as in jaillex.l.
  EXPECT_EQ(lex("/a//b"), (V{"Str:/", "Str1:a"}));
}

TEST(ConfigLexer, Escapes) {
  EXPECT_EQ(unescape(R"(\a\b\f\n\r\t\v)"), "\a\b\f\n\r\t\v");
  EXPECT_EQ(unescape(R"(\101\1011\7)"), "AA1\7");
  EXPECT_EQ(unescape(R"(\x41\x4a\x4g)"), "AJ\x04g");
  EXPECT_EQ(unescape("a\\\nb"), "ab");
  EXPECT_EQ(unescape(R"(\$\"\;\q\\)"), "$\";q\\");
  EXPECT_EQ(unescape(R"(\777)"), "\xff");
  // jail(8) keeps C strings: a NUL ends the value.
  EXPECT_EQ(unescape(R"(ab\0cd)"), "ab");
  EXPECT_EQ(unescape(R"(ab\xq)"), "ab");
  EXPECT_EQ(lex(R"(a\ b)"), (V{"Str:a", "Str1: ", "Str1:b"}));
  EXPECT_EQ(lex(R"(\x414)"), (V{"Str:A", "Str1:4"}));
}

TEST(ConfigLexer, SingleQuotesProcessEscapesButNotVariables) {
  EXPECT_EQ(lex(R"('$x \'y\' \n')"), (V{"Str:$x 'y' \n"}));
  EXPECT_EQ(lex("'two\nlines'"), (V{"Str:two\nlines"}));
}

TEST(ConfigLexer, DoubleQuotesSplitAtVariables) {
  EXPECT_EQ(lex(R"("a $x b")"), (V{"Str:a ", "Var1:x", "Str1: b"}));
  EXPECT_EQ(lex(R"("$x")"), (V{"Str:", "Var1:x"}));
  EXPECT_EQ(lex(R"("${host.hostname}/$y$z")"),
            (V{"Str:", "Var1:host.hostname", "Str1:/", "Var1:y", "Var1:z"}));
  EXPECT_EQ(lex(R"("\$x")"), (V{"Str:$x"}));
  EXPECT_EQ(lex(R"("a$ b$")"), (V{"Str:a", "Str1:$", "Str1: b", "Str1:$"}));
  EXPECT_EQ(lex(R"("$x.y")"), (V{"Str:", "Var1:x", "Str1:.y"}));
}

TEST(ConfigLexer, Variables) {
  EXPECT_EQ(lex("$abc_1.x"), (V{"Var:abc_1", "Str1:.x"}));
  EXPECT_EQ(lex("${a.b}"), (V{"Var:a.b"}));
  EXPECT_EQ(lex("${a\"b}"), (V{"Var:a\"b"}));
  EXPECT_EQ(lex(R"(${a\}b})"), (V{"Var:a}b"}));
  EXPECT_EQ(lex("${}"), (V{"Var:"}));
  EXPECT_EQ(lex("$$ $1 a$"), (V{"Str:$", "Str1:$", "Str:$", "Str1:1", "Str:a", "Str1:$"}));
}

Token last_token(std::string_view src) {
  Lexer lexer(src);
  Token t;
  for (int guard = 0; guard < 1000; ++guard) {
    Token n = lexer.next();
    if (n.kind == Tok::End) return t;
    t = n;
  }
  return t;
}

TEST(ConfigLexer, ErrorsWithTheirLines) {
  Token t = last_token("a\n\"abc\ndef");
  EXPECT_EQ(t.kind, Tok::Error);
  EXPECT_EQ(t.text, "unterminated string");
  EXPECT_EQ(t.line, 2);
  t = last_token("'abc");
  EXPECT_EQ(t.text, "unterminated string");
  t = last_token("a\n/* x\n\ny");  // reported at the end of input, as flex does
  EXPECT_EQ(t.text, "unterminated comment");
  EXPECT_EQ(t.line, 4);
  t = last_token("\n${abc");
  EXPECT_EQ(t.text, "unterminated variable");
  EXPECT_EQ(t.line, 2);
  t = last_token("\"x\n${a{b}\"");
  EXPECT_EQ(t.text, "unterminated variable");
  EXPECT_EQ(t.line, 2);
  t = last_token(std::string_view("a\0b", 3));
  EXPECT_EQ(t.text, "unexpected NUL byte");
}

TEST(ConfigLexer, TokenLinesAreWhereTheyEnd) {
  Lexer lexer("a\n'x\ny' ;");
  EXPECT_EQ(lexer.next().line, 1);
  EXPECT_EQ(lexer.next().line, 3);
  EXPECT_EQ(lexer.next().line, 3);
}

TEST(ConfigLexer, OtherCharacters) {
  EXPECT_EQ(lex("\x01"), (V{"Other:\x01"}));
  EXPECT_EQ(lex("\f"), (V{"Other:\f"}));
}

}  // namespace
}  // namespace ljail::config
