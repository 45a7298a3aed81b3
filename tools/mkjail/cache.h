// The rootfs cache: one tar.zst per suite, mirror, variant and package set, made from the first
// bootstrap and unpacked by the later ones. Archives keep numeric owners, ACLs and every
// extended attribute, so file capabilities (ping's cap_net_raw) survive.
#pragma once

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"
#include "options.h"

namespace mkjail {

// The cache file for the options' bootstrap: CACHE_DIR/SUITE-VARIANT-ARCH-HASH.tar.zst.
std::string cache_path(const Options& o);
// The text the hash is computed from, stored next to the archive as .txt.
std::string cache_description(const Options& o);

// An exclusive lock on the cache directory (CACHE_DIR/.lock), so that two mkjail runs do not
// both build the entry `path`.
ljail::Result<ljail::UniqueFd> lock_cache_entry(const std::string& path, bool quiet);

// Writes `dir` as the archive `path` (through a temporary file, renamed at the end).
ljail::Ok pack(const std::string& dir, const std::string& path, const std::string& description);
// Unpacks the archive `path` (any compression tar recognises) into `dir`.
ljail::Ok unpack(const std::string& path, const std::string& dir);

}  // namespace mkjail
