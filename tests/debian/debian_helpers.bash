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

# debian_setup_file, then DEB_TREE=$LJT_TMP/deb: mkjail's tree with DEB_INCLUDE (from the
# cache after the first time), shared by the tests of a file
debian_tree_setup_file() {
    debian_setup_file || return 1
    [ -n "${LJT_NOT_ROOT:-}" ] && return 0
    export DEB_TREE="$LJT_TMP/deb"
    "$MKJAIL" --cache-dir "$DEB_CACHE" --include "$DEB_INCLUDE" "$DEB_TREE" >&3 2>&1 || {
        echo "mkjail failed" >&2
        return 1
    }
}

# no_half_made DIR: DIR does not exist
no_half_made() {
    if [ -e "$1" ]; then
        ls -la "$1" >&2
        fail "$1 is left behind"
    fi
}
