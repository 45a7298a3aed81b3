# Helpers of the jail.conf tests (bats 1.8.2), on top of tests/cli/helpers.bash. Each .bats file
# sets LJT_TAG, then loads this file, which loads the CLI helpers (setup, teardown, leftovers
# checks, jname, assertions).

load ../cli/helpers

FIXTURES="$BATS_TEST_DIRNAME/fixtures"

# The CLI helpers' teardown removes each registered jail with `jail -r NAME`, which runs the
# hooks the jail was created with; a test whose exec.prestop or exec.stop fails on purpose would
# then leave its jail behind. So the registered jails are first removed without any hooks
# (jail -R), then the CLI teardown checks that nothing is left.
eval "cli_$(declare -f teardown)"
teardown() {
    [ -z "${LJT_NOT_ROOT:-}" ] || return 0
    local n
    while IFS= read -r n; do
        [ -n "$n" ] || continue
        listed "$n" && "$JAIL" -R "$n" >/dev/null 2>&1
    done <"$BATS_TEST_TMPDIR/jails"
    cli_teardown
}

setup_file() { common_setup_file; }
teardown_file() { common_teardown_file; }

# conf FILE: writes stdin to $BATS_TEST_TMPDIR/FILE and prints the path. Every config of the
# tests uses @ROOT@ for the jail root and @TMP@ for the test's own directory.
conf() {
    local f="$BATS_TEST_TMPDIR/$1"
    sed -e "s|@ROOT@|$LJT_ROOT|g" -e "s|@TMP@|$BATS_TEST_TMPDIR|g" >"$f"
    echo "$f"
}

# fixture NAME [SUBST...]: a fixture with @ROOT@, @TMP@ and @J@ (SUBST: the jail name) filled in
fixture() {
    local src="$FIXTURES/$1" j=${2:-}
    sed -e "s|@ROOT@|$LJT_ROOT|g" -e "s|@TMP@|$BATS_TEST_TMPDIR|g" -e "s|@J@|$j|g" "$src" \
        >"$BATS_TEST_TMPDIR/$1"
    echo "$BATS_TEST_TMPDIR/$1"
}

# runj ARGS...: run jail with separate stdout and stderr
runj() {
    run --separate-stderr "$JAIL" "$@"
}

# assert_gone NAME: the jail does not run, and has no state file or cgroup
assert_gone() {
    local n=$1
    if listed "$n"; then
        fail "jail $n still runs"
        return 1
    fi
    [ -z "$(state_file_of "$n")" ] || { fail "state file of $n left"; return 1; }
    wait_until 3 test -z "$(cgroup_dirs "$n")" || { fail "cgroups of $n left: $(cgroup_dirs "$n")"; return 1; }
    [ -z "$(host_mounts)" ] || { fail "host mounts left: $(host_mounts)"; return 1; }
}

assert_running() {
    listed "$1" || fail "jail $1 does not run"
}

# assert_lines_in_order LINE...: the lines appear in stdout in this order (others may be between)
assert_lines_in_order() {
    local want=("$@") i=0 l
    while IFS= read -r l; do
        [ "$i" -lt "${#want[@]}" ] || break
        [ "$l" = "${want[$i]}" ] && i=$((i + 1))
    done <<<"$output"
    if [ "$i" -lt "${#want[@]}" ]; then
        show_run
        fail "stdout lacks, in order: ${want[*]} (stopped at '${want[$i]}')"
    fi
}

assert_stderr_empty() {
    if [ -n "$stderr" ]; then
        show_run
        fail "stderr not empty"
    fi
}

refute_output_contains() {
    if [[ "$output" == *"$1"* ]]; then
        show_run
        fail "stdout contains: $1"
    fi
}

# runjf ARGS...: like runj, but stdout and stderr go to files, so jail's exit is not held up by
# a command it left running with its output (a timed-out or background hook). Sets status,
# output and stderr like run.
runjf() {
    local o="$BATS_TEST_TMPDIR/runjf.out" e="$BATS_TEST_TMPDIR/runjf.err"
    if "$JAIL" "$@" >"$o" 2>"$e"; then status=0; else status=$?; fi
    output=$(cat "$o")
    stderr=$(cat "$e")
}
