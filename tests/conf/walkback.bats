#!/usr/bin/env bats
# Failures walk back (reference 2.11): a failing creation step removes the jail (when it was
# made) and whatever was mounted, runs no later hook and neither exec.poststop nor
# exec.release, and leaves no state file, cgroup or mount; jail(8) exits 1. A failing
# exec.prestop or exec.stop leaves the jail running, with exit 1.

LJT_TAG=wb
load conf_helpers

# fail_at STEP: the config of walkback.conf with `false` appended to STEP; runs jail -c and
# checks the common walk-back outcome. Prints nothing; leaves status/output/stderr set.
fail_at() {
    local step=$1
    n=$(jname)
    f=$(fixture walkback.conf "$n")
    sed -i "s|^}|    $step += \"false\";\n}|" "$f"
    : >"$BATS_TEST_TMPDIR/trace"
    runj -f "$f" -c "$n"
    assert_status 1
    assert_stderr "jail: $n: false: failed"
    assert_gone "$n"
    trace=$(cat "$BATS_TEST_TMPDIR/trace")
    [[ "$trace" != *exec.poststop* ]] || fail "exec.poststop ran after a failed creation"
    [[ "$trace" != *exec.release* ]] || fail "exec.release ran after a failed creation"
}

@test "walkback.conf itself creates and removes cleanly (control)" {
    n=$(jname)
    f=$(fixture walkback.conf "$n")
    : >"$BATS_TEST_TMPDIR/trace"
    runj -f "$f" -c "$n"
    assert_success
    assert_output "$n: created
exec.start
command"
    runj -f "$f" -r "$n"
    assert_success
    assert_eq "$(cat "$BATS_TEST_TMPDIR/trace")" "exec.prepare
exec.prestart
exec.created
exec.poststart
exec.poststop
exec.release" "trace"
    assert_gone "$n"
}

@test "failing exec.prepare: nothing created, no later hook, exit 1" {
    fail_at exec.prepare
    assert_output ""
    assert_eq "$trace" "exec.prepare" "trace"
}

@test "failing exec.prestart: nothing created, no later hook, exit 1" {
    fail_at exec.prestart
    assert_output ""
    assert_eq "$trace" "exec.prepare
exec.prestart" "trace"
}

@test "failing exec.created: the jail is removed, no later hook, exit 1" {
    fail_at exec.created
    assert_output "$n: created"
    assert_eq "$trace" "exec.prepare
exec.prestart
exec.created" "trace"
}

@test "failing exec.start: the jail is removed, command and exec.poststart do not run, exit 1" {
    fail_at exec.start
    assert_output "$n: created
exec.start"
    assert_eq "$trace" "exec.prepare
exec.prestart
exec.created" "trace"
}

@test "failing command: the jail is removed, exec.poststart does not run, exit 1" {
    fail_at command
    assert_output "$n: created
exec.start
command"
    assert_eq "$trace" "exec.prepare
exec.prestart
exec.created" "trace"
}

@test "failing exec.poststart: the jail is removed, exit 1" {
    fail_at exec.poststart
    assert_output "$n: created
exec.start
command"
    assert_eq "$trace" "exec.prepare
exec.prestart
exec.created
exec.poststart" "trace"
}

@test "the first failing value of a hook list stops the list" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.created = "echo one", "false", "echo three"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_output "$n: created
one"
    assert_gone "$n"
}

@test "a failed creation leaves processes started by its hooks in the jail killed" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.start = "/bin/probe daemon 300"; exec.poststart = "false"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_gone "$n"
    run pgrep -f "probe daemon 300"
    [ "$status" -ne 0 ] || fail "the jail's daemon survived the walk-back: $output"
}

@test "a failing exec.prestop leaves the jail running, runs nothing else, exit 1" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    exec.prestop = "echo prestop", "false";
    exec.stop = "echo stop"; exec.poststop = "echo poststop"; exec.release = "echo release"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    jid=$(jid_of "$n")
    runj -f "$f" -r "$n"
    assert_status 1
    assert_output "prestop"
    assert_stderr "jail: $n: false: failed"
    assert_running "$n"
    assert_eq "$(jid_of "$n")" "$jid" "jid after the failed removal"
    run "$JEXEC" "$n" /bin/true
    assert_success
}

@test "a failing exec.stop leaves the jail running, exit 1" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    exec.prestop = "echo prestop"; exec.stop = "echo stop; exit 3";
    exec.poststop = "echo poststop"; exec.release = "echo release"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    runj -f "$f" -r "$n"
    assert_status 1
    assert_output "prestop
stop"
    assert_stderr "jail: $n: echo stop; exit 3: failed"
    assert_running "$n"
}

@test "a timed-out exec.stop leaves the jail running, exit 1" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.timeout = 1; exec.stop = "sleep 5"; exec.poststop = "echo poststop"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    runjf -f "$f" -r "$n"
    assert_status 1
    assert_output ""
    assert_stderr "jail: $n: sleep 5: timed out"
    assert_running "$n"
}

@test "a failing exec.poststop is reported, exec.release still runs, the jail is gone, exit 1" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.poststop = "false"; exec.release = "echo release"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    runj -f "$f" -r "$n"
    assert_status 1
    assert_output "$n: removed
release"
    assert_stderr "jail: $n: false: failed"
    assert_gone "$n"
}

@test "a failing mount walks back: no hook after it, nothing created" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    mount = "tmpfs @ROOT@/mnt/$n tmpfs rw 0 0", "@TMP@/no-such-dir @ROOT@/mnt/$n-b nullfs ro 0 0";
    exec.prepare = "echo prepare"; exec.prestart = "echo prestart"; exec.created = "echo created";
    exec.poststop = "echo poststop"; exec.release = "echo release"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_stderr_contains "$n: "
    assert_stderr_contains "no-such-dir"
    # FreeBSD mounts after exec.prepare and before exec.prestart
    assert_output "prepare"
    assert_gone "$n"
}
