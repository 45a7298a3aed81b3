// The jail.conf block that boots a tree made by mkjail.
#pragma once

#include <string>

#include "base/result.h"
#include "options.h"

namespace mkjail {

// `sshd`: the tree holds an OpenSSH server, whose host keys are made at the first boot.
std::string conf_block(const Options& o, bool sshd);

// Writes the block to o.conf_file (refusing to replace one unless --force).
ljail::Ok write_conf(const Options& o, const std::string& block);

// Whether /etc/jail.conf includes /etc/jail.conf.d/*.conf (for the hint after --conf).
bool jail_conf_includes_dir();

}  // namespace mkjail
