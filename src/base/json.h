// A small JSON reader and writer for ljail's own files (the registry's state files): no DOM,
// no allocation but for the strings asked for. It reads objects, arrays, strings (every
// escape), integers, true, false and null; a number with a fraction or an exponent is read
// only by skip(). A pull reader: the caller walks the document in the order it is written
// and any error (malformed text, or a value of another type than asked) sticks in ok().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ljail::json {

enum class Kind { Object, Array, String, Number, Bool, Null, Bad };

class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool ok() const { return ok_; }
  // The kind of the next value (nothing is consumed).
  Kind peek();
  // After the top-level value: nothing but white space is left.
  bool at_end();

  // `{`, then next_member() until it returns false (at the closing `}`, consumed).
  bool begin_object();
  // The next member's key (valid until the next call); false at the end or on an error.
  bool next_member(std::string_view* key);
  // `[`, then next_element() until it returns false (at the closing `]`, consumed).
  bool begin_array();
  bool next_element();

  bool read_string(std::string* out);
  bool read_int(int64_t* out);    // an integer in int64 range
  bool read_uint(uint64_t* out);  // a non-negative integer in uint64 range
  bool read_bool(bool* out);
  // Any value, nested ones included.
  bool skip();

 private:
  bool fail() { return ok_ = false; }
  void space();
  bool lit(std::string_view word);
  bool string_into(std::string* out);
  bool separator(char close, bool* more);

  const char* p_;
  const char* end_;
  bool ok_ = true;
  // Whether the current object or array has given a member or element yet (for the commas);
  // one bit per nesting level, 64 levels deep at most.
  uint64_t started_ = 0;
  int depth_ = 0;
  std::string key_;
};

// A JSON string literal of `s` (quotes included); bytes >= 0x80 are copied as they are, so
// callers that need valid UTF-8 encode them first.
void append_string(std::string* out, std::string_view s);

}  // namespace ljail::json
