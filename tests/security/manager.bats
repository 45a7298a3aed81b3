#!/usr/bin/env bats
# Escape suite H (reference security.md 4.H and issue 5 "Bad input"): what the manager refuses
# and how it recovers: bad names and parameters leave nothing, uid ranges never overlap the
# host's users or another jail, concurrent creates of one name, a killed init.

LJT_TAG=sh
load ../cli/helpers
load sec_helpers

setup_file() { sec_setup_file; }
teardown_file() { common_teardown_file; }

@test "H48c bad names: rejected before any state is written" {
    for name in "" . .. a/b ../x "$(printf 'a\nb')" -x; do
        run --separate-stderr "$JAIL" -c name="$name" path="$LJT_ROOT" persist
        [ "$status" -ne 0 ] || { show_run; fail "name '$name' accepted"; }
        [ -n "$stderr" ] || fail "no message for name '$name'"
    done
    [ -z "$(state_files)" ] || fail "state written: $(state_files)"
}

@test "H children.max negative: refused, nothing created" {
    run --separate-stderr "$JAIL" -c name="$(jname)" path="$LJT_ROOT" persist children.max=-1
    assert_status 1
    assert_stderr_contains "children.max"
    [ -z "$(state_files)" ] || fail "state written: $(state_files)"
}

@test "H userns.uid overlapping another jail's range: refused" {
    a=$(jname a)
    mkjail "$a"
    read -r _ base _ < <("$JEXEC" "$a" /bin/probe uid_map)
    run --separate-stderr "$JAIL" -c name="$(jname b)" path="$LJT_ROOT" persist userns.uid=$((base + 100))
    assert_status 1
    assert_stderr_contains "already in use"
}

@test "H userns.uid overlapping the host's users: refused" {
    # the highest uid of the host's passwd below 2^31 (e.g. nobody, 65534)
    u=$(awk -F: '$3 > 0 && $3 < 2147483648 { print $3 }' /etc/passwd | sort -n | tail -n1)
    [ -n "$u" ] || skip "no host user besides root"
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist userns.uid="$u"
    if [ "$status" -eq 0 ]; then
        run "$JEXEC" "$n" /bin/probe uid_map
        fail "userns.uid=$u (a host user) accepted; uid_map: $output"
    fi
    assert_status 1
    [ -z "$(state_files)" ] || fail "state written: $(state_files)"
}

@test "H48a concurrent creates of one name: exactly one wins, 5 rounds" {
    for round in 1 2 3 4 5; do
        n=$(jname "r$round")
        "$JAIL" -c name="$n" path="$LJT_ROOT" persist >"$BATS_TEST_TMPDIR/o1" 2>&1 &
        p1=$!
        "$JAIL" -c name="$n" path="$LJT_ROOT" persist >"$BATS_TEST_TMPDIR/o2" 2>&1 &
        p2=$!
        s1=0 s2=0
        wait "$p1" || s1=$?
        wait "$p2" || s2=$?
        wins=0
        [ "$s1" -eq 0 ] && wins=$((wins + 1))
        [ "$s2" -eq 0 ] && wins=$((wins + 1))
        [ "$wins" -eq 1 ] || fail "round $round: $wins creates succeeded: $(cat "$BATS_TEST_TMPDIR"/o1 "$BATS_TEST_TMPDIR"/o2)"
        listed "$n" || fail "round $round: $n not listed"
        run "$JAIL" -r "$n"
        assert_success
    done
}

@test "H48f kill -9 of the init: the jail is gone and leaves nothing" {
    n=$(jname)
    mkjail "$n"
    jp=$(init_pid "$n")
    kill -9 "$jp"
    wait_until 10 not alive "$jp" || fail "init survived SIGKILL"
    wait_until 10 not listed "$n" || fail "$n still listed after its init was killed"
    run "$JEXEC" "$n" /bin/true
    [ "$status" -ne 0 ] || fail "jexec into a dead jail succeeded"
    run "$JAIL" -c name="$n" path="$LJT_ROOT" persist
    assert_success
}
