#include "rt.h"

namespace ljail::init {

#include "errtext.inc"

std::string_view error_text(int code) {
  if (code >= 0 && static_cast<size_t>(code) < sizeof(kErrorText) / sizeof(kErrorText[0])) {
    return kErrorText[code];
  }
  static Text<32> unknown;
  unknown = Text<32>();
  unknown << "Unknown error " << code;
  return unknown.view();
}

void close_all_but(unsigned first, std::initializer_list<int> keep) {
  // Ascending, without negatives (at most four: a sort by insertion).
  int k[4];
  size_t n = 0;
  for (int fd : keep) {
    if (fd < 0 || n == 4) continue;
    size_t i = n++;
    for (; i > 0 && k[i - 1] > fd; --i) k[i] = k[i - 1];
    k[i] = fd;
  }
  unsigned next = first;
  for (size_t i = 0; i < n; ++i) {
    unsigned fd = static_cast<unsigned>(k[i]);
    if (fd < next) continue;
    if (fd > next) sys::raw::close_range(next, fd - 1);
    next = fd + 1;
  }
  sys::raw::close_range(next, ~0U);
}

long write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    long r = sys::raw::write(fd, data.data(), data.size());
    if (r == -EINTR) continue;
    if (r < 0) return r;
    data.remove_prefix(static_cast<size_t>(r));
  }
  return 0;
}

}  // namespace ljail::init
