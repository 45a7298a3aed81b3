// ljail-init's process entry and the few C library functions the compiler may call: only in
// the init itself (the unit tests link rt.cc, channel.cc and command.cc with the C library).
#include "rt.h"

// The process entry: the kernel's initial stack holds argc, argv, envp; main() is the init's.
namespace ljail::init {
int main(int argc);
}  // namespace ljail::init

extern "C" [[noreturn]] void ljail_init_entry(long* sp) {
  ljail::sys::raw::exit(ljail::init::main(static_cast<int>(sp[0])));
}

#if defined(__x86_64__)
asm(".text\n.global _start\n.type _start,@function\n_start:\n"
    "  xor %ebp, %ebp\n  mov %rsp, %rdi\n  and $-16, %rsp\n  call ljail_init_entry\n  hlt\n");
#elif defined(__aarch64__)
asm(".text\n.global _start\n.type _start,%function\n_start:\n"
    "  mov x29, #0\n  mov x30, #0\n  mov x0, sp\n  and sp, x0, #-16\n  bl ljail_init_entry\n");
#endif

// What the compiler may call for copies and comparisons (this file is built with
// -fno-tree-loop-distribute-patterns, so the loops are not turned back into these calls).
extern "C" {
void* memcpy(void* dst, const void* src, size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  for (size_t i = 0; i < n; ++i) d[i] = s[i];
  return dst;
}
void* memmove(void* dst, const void* src, size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  if (d < s) {
    for (size_t i = 0; i < n; ++i) d[i] = s[i];
  } else {
    for (size_t i = n; i > 0; --i) d[i - 1] = s[i - 1];
  }
  return dst;
}
void* memset(void* dst, int c, size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  for (size_t i = 0; i < n; ++i) d[i] = static_cast<unsigned char>(c);
  return dst;
}
int memcmp(const void* a, const void* b, size_t n) {
  const auto* x = static_cast<const unsigned char*>(a);
  const auto* y = static_cast<const unsigned char*>(b);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}
void* memchr(const void* s, int c, size_t n) {
  const auto* p = static_cast<const unsigned char*>(s);
  for (size_t i = 0; i < n; ++i) {
    if (p[i] == static_cast<unsigned char>(c)) return const_cast<unsigned char*>(p + i);
  }
  return nullptr;
}
size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}
}

// std::string_view::substr() past the end: a bug here, so the init ends (jail(8) sees EOF).
namespace std {
void __throw_out_of_range_fmt(const char*, ...) {
  ljail::sys::raw::exit(127);
}
}  // namespace std
