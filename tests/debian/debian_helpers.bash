# Helpers of the Debian tests, on top of tests/cli/helpers.bash.

load ../cli/helpers

MKJAIL="${LJAIL_BIN:-}/mkjail"
# Kept between runs: the first bootstrap costs about a minute, later ones seconds.
DEB_CACHE="${LJAIL_TEST_CACHE:-/var/cache/ljail-test}"
# What the boot tests install on top of mkjail's defaults: a daemon started by rc 2 (cron) and
# sshd (whose host keys each jail makes at its first boot).
DEB_INCLUDE="cron,openssh-server"

debian_setup_file() {
    common_setup_file
    [ -n "${LJT_NOT_ROOT:-}" ] && return 0
    [ -x "$MKJAIL" ] || { echo "$MKJAIL: not built" >&2; return 1; }
}

# processes on the host whose root directory is DIR (or below it). A jail's processes live in
# another mount namespace, where readlink of /proc/PID/root says "/": they are found by the
# device and inode of their root instead.
procs_rooted_in() {
    local p r id
    id=$(stat -c %d:%i "$1") || return 1
    for p in /proc/[0-9]*; do
        r=$(readlink "$p/root" 2>/dev/null) || continue
        case "$r" in
        "$1" | "$1"/*) ;;
        *) [ "$(stat -L -c %d:%i "$p/root" 2>/dev/null)" = "$id" ] || continue ;;
        esac
        echo "${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)"
    done
}

# no_half_made DIR: DIR does not exist
no_half_made() {
    if [ -e "$1" ]; then
        ls -la "$1" >&2
        fail "$1 is left behind"
    fi
}
