// sysvinit's /etc/inittab made fit for a jail booted with exec.init=/sbin/init: no gettys on
// virtual consoles a jail has not got, one on /dev/console (ljail's pty), and SIGPWR (what
// `jail -r` sends the init by default) shuts the jail down, as LXC's templates do.
#pragma once

#include <string>
#include <string_view>

namespace mkjail {

std::string jail_inittab(std::string_view text);

}  // namespace mkjail
