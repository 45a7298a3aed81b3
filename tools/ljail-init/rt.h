// ljail-init's run time: the little a C library would give it (sys/raw.h is its system call
// layer): descriptors owned by Fd, failures as Status values rendered like ljail's Error
// ("context: operation: strerror"), text built in fixed buffers. No heap, no exceptions, no
// global constructors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

#include <linux/errno.h>

#include "sys/raw.h"

namespace ljail::init {

// strerror(3)'s text of an errno ("Unknown error N" past the table).
std::string_view error_text(int code);

// Text of at most N - 1 bytes (what does not fit is cut), always NUL-terminated.
template <size_t N>
class Text {
 public:
  Text& operator<<(std::string_view s) {
    for (char c : s) {
      if (n_ + 1 >= N) break;
      buf_[n_++] = c;
    }
    buf_[n_] = '\0';
    return *this;
  }
  Text& operator<<(int64_t v) {
    return number(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), v < 0);
  }
  Text& operator<<(uint64_t v) { return number(v, false); }
  Text& operator<<(int v) { return *this << static_cast<int64_t>(v); }
  // Puts `s` in front of what is there.
  void prepend(std::string_view s) {
    size_t k = s.size() + n_ + 1 >= N ? 0 : s.size();
    for (size_t i = n_; i > 0; --i) buf_[i - 1 + k] = buf_[i - 1];
    for (size_t i = 0; i < k; ++i) buf_[i] = s[i];
    n_ += k;
    buf_[n_] = '\0';
  }
  std::string_view view() const { return {buf_, n_}; }
  const char* c_str() const { return buf_; }
  bool full() const { return n_ + 1 >= N; }

 private:
  Text& number(uint64_t u, bool negative) {
    char digits[24];
    size_t i = sizeof(digits);
    do {
      digits[--i] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (negative) digits[--i] = '-';
    return *this << std::string_view(digits + i, sizeof(digits) - i);
  }

  char buf_[N] = {};
  size_t n_ = 0;
};

// A failure: its errno and its text.
class Status {
 public:
  Status() = default;
  // A failed system call (`r` is -errno): "op: strerror".
  static Status sys(long r, std::string_view op) {
    Status s;
    s.code_ = static_cast<int>(-r);
    s.text_ << op << ": " << error_text(s.code_);
    return s;
  }
  // A failure its text describes (EINVAL, as Error::invalid).
  static Status invalid(std::string_view text) {
    Status s;
    s.code_ = 22;
    s.text_ << text;
    return s;
  }
  Status& context(std::string_view frame) {
    text_.prepend(": ");
    text_.prepend(frame);
    return *this;
  }
  bool ok() const { return code_ == 0; }
  int code() const { return code_; }
  std::string_view text() const { return text_.view(); }

 private:
  int code_ = 0;
  Text<512> text_;
};

// Owns one descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(long fd) : fd_(fd >= 0 ? static_cast<int>(fd) : -1) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) sys::raw::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Closes every descriptor from `first` up but the (at most four) in `keep`.
void close_all_but(unsigned first, std::initializer_list<int> keep);

// Writes all of `data`; -errno on failure.
long write_all(int fd, std::string_view data);

}  // namespace ljail::init
