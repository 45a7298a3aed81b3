// The target directory: claiming it, removing what mkjail made on failure, and the per-jail
// files written into a fresh tree (hostname, hosts, resolv.conf, host keys, machine-id).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace mkjail {

// What mkjail found at the target before it began, which decides what a failure removes.
enum class Claim {
  kCreated,   // mkjail created the directory: remove it
  kWasEmpty,  // it existed and was empty: empty it again
  kForced,    // it held files (--force): leave it as it is
};

// Creates `dir` (its parent must exist) or accepts an empty one; a non-empty one only with
// `force`.
ljail::Result<Claim> claim_dir(const std::string& dir, bool force);

// Undoes claim_dir after a failure: detaches mounts left under `dir` (debootstrap mounts /proc
// and /sys in the target), then deletes its contents without crossing file systems, and the
// directory itself when mkjail created it. Returns a description of what is left, "" if
// nothing.
std::string release_dir(const std::string& dir, Claim claim);

// Deletes files the cache must not carry: downloaded .debs, apt lists, ssh host keys.
ljail::Ok scrub_tree(const std::string& dir);

struct Personal {
  std::string hostname;
  std::vector<std::string> ip4;  // as given on the command line
};
// Writes /etc/hostname, /etc/hosts, /etc/resolv.conf and a new machine-id (when the tree has
// one), and removes ssh host keys. Warnings are printed on standard error.
ljail::Ok personalize(const std::string& dir, const Personal& p);

// True when the tree holds an OpenSSH server.
bool has_sshd(const std::string& dir);

// Size of a file in bytes, -1 if it cannot be read.
long long file_size(const std::string& path);

}  // namespace mkjail
