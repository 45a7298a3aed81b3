// The small JSON reader and writer of the registry's state files.
#include "base/json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ljail::json {
namespace {

TEST(Json, WalksObjectsArraysAndScalars) {
  Reader r(R"( {"a": 1, "b": [ "x", -2, true, false, null, {"c": []} ], "d": "\u00e9\"\\\/\n"} )");
  ASSERT_TRUE(r.begin_object());
  std::string_view key;
  ASSERT_TRUE(r.next_member(&key));
  EXPECT_EQ(key, "a");
  int64_t i = 0;
  ASSERT_TRUE(r.read_int(&i));
  EXPECT_EQ(i, 1);
  ASSERT_TRUE(r.next_member(&key));
  EXPECT_EQ(key, "b");
  ASSERT_TRUE(r.begin_array());
  std::vector<Kind> kinds;
  while (r.next_element()) {
    kinds.push_back(r.peek());
    ASSERT_TRUE(r.skip());
  }
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::String, Kind::Number, Kind::Bool, Kind::Bool,
                                      Kind::Null, Kind::Object}));
  ASSERT_TRUE(r.next_member(&key));
  EXPECT_EQ(key, "d");
  std::string s;
  ASSERT_TRUE(r.read_string(&s));
  EXPECT_EQ(s, "\xc3\xa9\"\\/\n");
  EXPECT_FALSE(r.next_member(&key));
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(Json, IntegersAndTheirLimits) {
  int64_t i = 0;
  uint64_t u = 0;
  EXPECT_TRUE(Reader("-9223372036854775808").read_int(&i));
  EXPECT_EQ(i, INT64_MIN);
  EXPECT_FALSE(Reader("9223372036854775808").read_int(&i));
  EXPECT_TRUE(Reader("18446744073709551615").read_uint(&u));
  EXPECT_EQ(u, UINT64_MAX);
  EXPECT_FALSE(Reader("18446744073709551616").read_uint(&u));
  EXPECT_FALSE(Reader("-1").read_uint(&u));
  // A fraction or an exponent is a float: skipped, never read as an integer.
  for (const char* f : {"3.5", "2.0", "1e3", "1E-2"}) {
    EXPECT_FALSE(Reader(f).read_int(&i)) << f;
    Reader r(f);
    EXPECT_TRUE(r.skip()) << f;
    EXPECT_TRUE(r.at_end()) << f;
  }
  EXPECT_FALSE(Reader("-").read_int(&i));
  EXPECT_FALSE(Reader("\"1\"").read_int(&i));
}

TEST(Json, SurrogatePairsAndBadEscapes) {
  std::string s;
  EXPECT_TRUE(Reader(R"("\ud83d\ude00")").read_string(&s));
  EXPECT_EQ(s, "\xf0\x9f\x98\x80");
  for (const char* bad :
       {R"("\ud83d")", R"("\ude00")", R"("\x")", R"("\u12")", "\"a\nb\"", "\"open"}) {
    EXPECT_FALSE(Reader(bad).read_string(&s)) << bad;
  }
}

// Every malformed document fails somewhere while it is walked with skip().
TEST(Json, MalformedDocumentsFail) {
  for (const char* bad : {"", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "tru",
                          "nul", "{\"a\":1}}", "[", "{\"a\":[}"}) {
    Reader r(bad);
    bool ok = r.skip() && r.at_end();
    EXPECT_FALSE(ok) << bad;
  }
  for (const char* good : {"{}", "[]", "{\"a\":{\"b\":[[],{}]}}", " 0 ", "\"\""}) {
    Reader r(good);
    EXPECT_TRUE(r.skip() && r.at_end()) << good;
  }
}

TEST(Json, NestingIsBounded) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  Reader r(deep);
  EXPECT_FALSE(r.skip());
  EXPECT_FALSE(r.ok());
}

TEST(Json, EscapesKeysWithEscapes) {
  Reader r(R"({"a\"b": 1})");
  ASSERT_TRUE(r.begin_object());
  std::string_view key;
  ASSERT_TRUE(r.next_member(&key));
  EXPECT_EQ(key, "a\"b");
}

TEST(Json, AppendStringRoundTrips) {
  std::string text;
  std::string in = std::string("q\"b\\s/\x01\x1f") + "\xc3\xa9";
  append_string(&text, in);
  EXPECT_EQ(text, "\"q\\\"b\\\\s/\\u0001\\u001f\xc3\xa9\"");
  std::string back;
  ASSERT_TRUE(Reader(text).read_string(&back));
  EXPECT_EQ(back, in);
}

}  // namespace
}  // namespace ljail::json
