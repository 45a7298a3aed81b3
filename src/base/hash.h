// FNV-1a: short names derived from longer texts (registry tags, cache file names, BPF program
// names). Not a check of anything: whatever is named this way also holds what it stands for.
#pragma once

#include <cstdint>
#include <string_view>

namespace ljail {

inline uint32_t fnv1a32(std::string_view data) {
  uint32_t h = 2166136261u;
  for (unsigned char c : data) h = (h ^ c) * 16777619u;
  return h;
}

inline uint64_t fnv1a64(std::string_view data) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace ljail
