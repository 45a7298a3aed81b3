# Shared helpers of the CLI tests (bats 1.8.2). Each .bats file sets LJT_TAG (a short tag that
# prefixes its jail names) and then loads this file.
#
# Environment (set by tests/cli/CMakeLists.txt):
#   LJAIL_BIN    directory holding jail, jls, jexec
#   LJAIL_PROBE  the static probe program (tests/probe)
#   LJAIL_SRC    the source tree (for scripts/make-test-rootfs.sh)
#
# Every file gets its own registry (LJAIL_RUNDIR) and its own test root, so the files never see
# each other's jails. Every test registers the jails it makes with `jname`; teardown removes
# them and then fails the test if anything is left behind (state file, cgroup, mount).

bats_require_minimum_version 1.5.0

JAIL="${LJAIL_BIN:-}/jail"
JLS="${LJAIL_BIN:-}/jls"
JEXEC="${LJAIL_BIN:-}/jexec"

# ---------------------------------------------------------------------------------------------
# setup and teardown

# Without root every test is skipped (bats 1.8.2 cannot skip from setup_file, and it never
# exits 77, so CTest reports the file as passed; the TAP output says "skip").
common_setup_file() {
    if [ "$(id -u)" -ne 0 ]; then
        export LJT_NOT_ROOT=1
        return 0
    fi
    local missing=""
    for v in LJAIL_BIN LJAIL_PROBE LJAIL_SRC; do
        [ -n "${!v:-}" ] || missing+=" $v"
    done
    [ -z "$missing" ] || { echo "environment variables not set:$missing" >&2; return 1; }
    for t in jail jls jexec; do
        [ -x "$LJAIL_BIN/$t" ] || { echo "$LJAIL_BIN/$t: not built" >&2; return 1; }
    done
    [ -x "$LJAIL_PROBE" ] || { echo "$LJAIL_PROBE: not built" >&2; return 1; }
    command -v jq >/dev/null || { echo "jq is needed by the tests (apt-get install jq)" >&2; return 1; }

    export LJT_RUN=$$
    export LJAIL_RUNDIR="/run/ljail-test-$LJT_TAG-$$"
    rm -rf "$LJAIL_RUNDIR"
    export LJT_TMP
    LJT_TMP=$(mktemp -d "/tmp/ljail-test-$LJT_TAG.XXXXXX")
    chmod 755 "$LJT_TMP"
    export LJT_ROOT="$LJT_TMP/root"
    "$LJAIL_SRC/scripts/make-test-rootfs.sh" "$LJT_ROOT" "$LJAIL_PROBE"
}

common_teardown_file() {
    [ -n "${LJAIL_RUNDIR:-}" ] || return 0
    "$JAIL" -r '*' >/dev/null 2>&1 || true
    # With its last jail the registry goes, every file and the directory (registry.h): a
    # host must not collect a lock, a jid counter or cached policies.
    local left=""
    [ ! -e "$LJAIL_RUNDIR" ] || left=$(ls -lA "$LJAIL_RUNDIR" 2>&1)
    rm -rf "$LJAIL_RUNDIR"
    if [ -n "${LJT_TMP:-}" ] && [ -d "$LJT_TMP" ]; then
        local m
        # a product bug may have left mounts on the host: never delete through them
        if test_dir_ok; then
            for m in $(awk -v p="$LJT_TMP/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
                umount -l "$m" 2>/dev/null || true
            done
        fi
        rm -rf --one-file-system "$LJT_TMP"
    fi
    [ -z "$left" ] || { echo "LEFT BEHIND: the registry $LJAIL_RUNDIR after jail -r '*':" >&2; echo "$left" >&2; return 1; }
}

setup() {
    [ -z "${LJT_NOT_ROOT:-}" ] || skip "the CLI tests need root"
    test_dir_ok || { echo "test bug: setup_file did not run common_setup_file" >&2; return 1; }
    : >"$BATS_TEST_TMPDIR/jails"
}

teardown() {
    [ -z "${LJT_NOT_ROOT:-}" ] || return 0
    local names=() n pid
    mapfile -t names <"$BATS_TEST_TMPDIR/jails"
    for n in "${names[@]}"; do
        "$JAIL" -r "$n" >/dev/null 2>&1 || true
    done
    # jails without a name (old form) or whose name a failing test did not record
    if [ -n "$(state_files)" ]; then
        "$JAIL" -r '*' >/dev/null 2>&1 || true
    fi
    # background jobs of the test (jexec ... &) end with their jail; reap them
    for pid in $(jobs -p); do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    assert_nothing_left "${names[@]}"
}

# jname [SUFFIX]: a jail name unique to this test, remembered for teardown. Cgroup names are
# global, so the name also carries the pid of this run (two runs of a file may overlap).
jname() {
    local n
    n="$(jprefix)${1:-}"
    echo "$n" >>"$BATS_TEST_TMPDIR/jails"
    echo "$n"
}

jprefix() {
    echo "bt$LJT_TAG$LJT_RUN-$BATS_TEST_NUMBER"
}

# remember a name given literally (for names made by the test itself)
track() {
    printf '%s\n' "$1" >>"$BATS_TEST_TMPDIR/jails"
}

# ---------------------------------------------------------------------------------------------
# what a jail leaves on the host

# state files: everything in the registry except the lock, the jid counter (lastjid or
# next_jid) and the compiled policies shared by all jails (policy.<hash>: registry.h), which
# stay while any jail does (registry_left)
state_files() {
    [ -d "$LJAIL_RUNDIR" ] || return 0
    find "$LJAIL_RUNDIR" -mindepth 1 ! -name lock ! -name lastjid ! -name next_jid \
        ! -name 'policy.*' 2>/dev/null
}

# the registry when no jail is left in it (no JID.json): there must be none, not even the
# lock, the jid counter or the policy cache (registry.h: it goes with its last jail)
registry_left() {
    [ -d "$LJAIL_RUNDIR" ] || return 0
    if find "$LJAIL_RUNDIR" -mindepth 1 -maxdepth 1 -regex '.*/[0-9]+\.json' | grep -q .; then
        return 0
    fi
    ls -lA "$LJAIL_RUNDIR"
}

# cgroup directories of a jail, in every hierarchy. Only for ordinary names: a name such as
# ".." or "a/b" would point at other cgroups (and teardown kills what is in these).
cgroup_dirs() {
    local n=$1 d
    case "$n" in
    "" | . | .. | */* | -*) return 0 ;;
    esac
    for d in /sys/fs/cgroup/*/ljail/"$n" /sys/fs/cgroup/ljail/"$n"; do
        [ -d "$d" ] && echo "$d"
    done
    return 0
}

# The test directory must be a real one under /tmp before anything is matched or unmounted by
# its name: an empty prefix would match every mount of the host.
test_dir_ok() {
    case "${LJT_TMP:-}" in
        /tmp/ljail-test-?*) return 0 ;;
        *) return 1 ;;
    esac
}

# mounts on the host that mention the test directory
host_mounts() {
    test_dir_ok || return 0
    grep -F -- "$LJT_TMP/" /proc/self/mountinfo || true
}

# the state file of the jail NAME (JSON with "name" and "init_pid")
state_file_of() {
    local f
    for f in $(state_files); do
        [ -f "$f" ] || continue
        if jq -e --arg n "$1" '.name == $n' "$f" >/dev/null 2>&1; then
            echo "$f"
            return 0
        fi
    done
    return 1
}

# host pid of the jail init of NAME, from its state file
init_pid() {
    local f
    f=$(state_file_of "$1") || { echo "no state file for jail $1" >&2; return 1; }
    jq -er '.init_pid' "$f"
}

# host pids of every process in the jail's cgroups (all hierarchies)
jail_host_pids() {
    local d
    for d in $(cgroup_dirs "$1"); do
        cat "$d/cgroup.procs" 2>/dev/null
    done | sort -un
}

# host pids of the children of a process
children_of() {
    cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | sed '/^$/d' | sort -n
}

# descendant_running PID CMDLINE: print the first descendant of PID whose command line is
# CMDLINE (arguments separated by spaces); fail if there is none
descendant_running() {
    local c
    for c in $(children_of "$1"); do
        if [ "$(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null)" = "$2 " ]; then
            echo "$c"
            return 0
        fi
        descendant_running "$c" "$2" && return 0
    done
    return 1
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

alive() {
    [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# assert_nothing_left NAME...: no state file, no cgroup of any NAME, no host mount under the
# test directory. What is found is cleaned up by force (only our own jails' processes are
# killed, by pid) so the next test starts clean, and the test fails.
assert_nothing_left() {
    local problems="" n d f pid
    f=$(state_files)
    [ -z "$f" ] || problems+="state files left in $LJAIL_RUNDIR:"$'\n'"$f"$'\n'"$(for x in $f; do echo "--- $x"; cat "$x" 2>/dev/null; echo; done)"$'\n'
    for n in "$@"; do
        d=$(cgroup_dirs "$n")
        [ -z "$d" ] || problems+="cgroups left for $n:"$'\n'"$d"$'\n'
    done
    d=$(host_mounts)
    [ -z "$d" ] || problems+="host mounts left under $LJT_TMP:"$'\n'"$d"$'\n'
    d=$(registry_left)
    [ -z "$d" ] || problems+="registry left with no jail in it:"$'\n'"$d"$'\n'
    [ -n "$problems" ] || return 0

    # force the leftovers away
    for n in "$@"; do
        for pid in $(jail_host_pids "$n"); do kill -9 "$pid" 2>/dev/null || true; done
        sleep 0.2
        for d in $(cgroup_dirs "$n"); do
            find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
        done
    done
    if test_dir_ok; then
        for d in $(awk -v p="$LJT_TMP/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
            umount -l "$d" 2>/dev/null || true
        done
    fi
    for f in $(state_files); do rm -rf "$f"; done
    [ -z "$(registry_left)" ] || rm -rf "$LJAIL_RUNDIR"
    echo "LEFT BEHIND after the test:" >&2
    echo "$problems" >&2
    return 1
}

# ---------------------------------------------------------------------------------------------
# assertions (messages show what was expected and what came)

fail() {
    echo "FAIL: $*" >&2
    return 1
}

show_run() {
    echo "command status: $status" >&2
    echo "stdout:" >&2
    printf '%s\n' "$output" | sed 's/^/  | /' >&2
    if [ -n "${stderr+x}" ]; then
        echo "stderr:" >&2
        printf '%s\n' "$stderr" | sed 's/^/  | /' >&2
    fi
}

assert_status() {
    if [ "$status" -ne "$1" ]; then
        show_run
        fail "expected exit status $1, got $status"
    fi
}

assert_success() { assert_status 0; }

assert_output() {
    if [ "$output" != "$1" ]; then
        show_run
        echo "expected stdout:" >&2
        printf '%s\n' "$1" | sed 's/^/  | /' >&2
        fail "stdout differs"
    fi
}

assert_stderr() {
    if [ "$stderr" != "$1" ]; then
        show_run
        echo "expected stderr:" >&2
        printf '%s\n' "$1" | sed 's/^/  | /' >&2
        fail "stderr differs"
    fi
}

assert_output_contains() {
    if [[ "$output" != *"$1"* ]]; then
        show_run
        fail "stdout does not contain: $1"
    fi
}

assert_output_line() {
    local l
    while IFS= read -r l; do
        [ "$l" = "$1" ] && return 0
    done <<<"$output"
    show_run
    fail "stdout has no line: $1"
}

assert_stderr_contains() {
    if [[ "$stderr" != *"$1"* ]]; then
        show_run
        fail "stderr does not contain: $1"
    fi
}

assert_eq() {
    # assert_eq ACTUAL EXPECTED [WHAT]
    if [ "$1" != "$2" ]; then
        fail "${3:-value}: expected '$2', got '$1'"
    fi
}

# ---------------------------------------------------------------------------------------------
# jails

# make a persistent jail: mkjail NAME [param=value ...]
mkjail() {
    local n=$1
    shift
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist "$@"
    if [ "$status" -ne 0 ]; then
        show_run
        fail "jail -c name=$n path=$LJT_ROOT persist $* failed"
        return 1
    fi
}

# jid of a running jail, by name
jid_of() {
    "$JLS" -j "$1" jid
}

# is the jail listed?
listed() {
    "$JLS" -j "$1" name >/dev/null 2>&1
}

# wait_until SECONDS COMMAND...: poll every 0.1 s
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    while ! "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

not() { ! "$@"; }

# make an extra root under the test directory (for tests that change the root)
make_root() {
    "$LJAIL_SRC/scripts/make-test-rootfs.sh" "$1" "$LJAIL_PROBE" >&2
}
