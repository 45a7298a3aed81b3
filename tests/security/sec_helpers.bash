# Helpers of the escape suite, on top of tests/cli/helpers.bash (each .bats file loads
# ../cli/helpers first, then this file).
#
# Environment (set by tests/security/CMakeLists.txt): as for the CLI tests, plus
#   LJAIL_ESCAPE_PROBE  the static escape probe (tests/security/escape_probe.c)
#
# The probe runs only inside jails. The host side of every check only reads: /proc, mountinfo,
# /sys/module, /proc/sysvipc, file hashes.

# setup_file of every security file: the shared test root gets the escape probe, the jail
# marker /.ljail-root, and the host gets a canary file the jail must never see.
sec_setup_file() {
    common_setup_file || return 1
    [ -z "${LJT_NOT_ROOT:-}" ] || return 0
    [ -x "${LJAIL_ESCAPE_PROBE:-}" ] || {
        echo "LJAIL_ESCAPE_PROBE (${LJAIL_ESCAPE_PROBE:-unset}): not built" >&2
        return 1
    }
    install_escape_probe "$LJT_ROOT"
    export LJT_CANARY="$LJT_TMP/host-canary"
    echo "host canary" >"$LJT_CANARY"
}

# install_escape_probe ROOT: /bin/escape_probe and /.ljail-root in a jail root
install_escape_probe() {
    cp "$LJAIL_ESCAPE_PROBE" "$1/bin/escape_probe"
    chmod 755 "$1/bin/escape_probe"
    : >"$1/.ljail-root"
    chown 0:0 "$1/bin/escape_probe" "$1/.ljail-root"
}

# make_sec_root DIR: an extra root with both probes
make_sec_root() {
    make_root "$1"
    install_escape_probe "$1"
}

# ep JAIL CHECK [ARGS...]: run the escape probe in JAIL (stdin not a terminal)
ep() {
    local j=$1
    shift
    run --separate-stderr "$JEXEC" "$j" /bin/escape_probe "$@" </dev/null
}

# expect JAIL RESULT CHECK [ARGS...]: the probe's answer must be exactly RESULT
expect() {
    local j=$1 want=$2
    shift 2
    ep "$j" "$@"
    if [ "$status" -ne 0 ] || [ "$output" != "$want" ]; then
        show_run
        fail "escape_probe $*: expected '$want', got '$output'"
        return 1
    fi
}

# expect_one_of JAIL "R1|R2" CHECK [ARGS...]
expect_one_of() {
    local j=$1 want=$2 r
    shift 2
    ep "$j" "$@"
    local IFS='|'
    for r in $want; do
        [ "$status" -eq 0 ] && [ "$output" = "$r" ] && return 0
    done
    show_run
    fail "escape_probe $*: expected one of '$want', got '$output'"
}

# ---------------------------------------------------------------------------------------------
# the host, before and after

# host_state: a digest of what a jail must not change on the host
host_state() {
    {
        echo "modules $(ls /sys/module | wc -l)"
        [ -r /proc/modules ] && echo "lsmod $(wc -l </proc/modules)"
        echo "mounts $(awk '{ print $5 }' /proc/1/mountinfo | sort | md5sum)"
        echo "shm $(md5sum </proc/sysvipc/shm)"
        echo "sem $(md5sum </proc/sysvipc/sem)"
        echo "hostname $(cat /proc/sys/kernel/hostname)"
        echo "core_pattern $(cat /proc/sys/kernel/core_pattern)"
        echo "canary $(cat "$LJT_CANARY")"
        echo "etc $(cat /etc/passwd /etc/group /etc/hosts | md5sum)"
        echo "bins $(cat "$JAIL" "$JEXEC" "$JLS" | sha256sum)"
        echo "tmp $(ls -A "$LJT_TMP" | md5sum)"
    }
}

snapshot_host() {
    host_state >"$BATS_TEST_TMPDIR/host.before"
}

assert_host_unchanged() {
    host_state >"$BATS_TEST_TMPDIR/host.after"
    if ! diff -u "$BATS_TEST_TMPDIR/host.before" "$BATS_TEST_TMPDIR/host.after" >&2; then
        fail "the host changed"
    fi
}

# a field of /proc/PID/status on the host
host_status() {
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
