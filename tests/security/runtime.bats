#!/usr/bin/env bats
# Escape suite F (reference security.md 4.F, checks 35-45): regressions of the runtime escapes
# of runc, crun and LXC: /proc/N/exe, ptrace of the init, leaked descriptors and cwd, symlinked
# /proc, /dev, mount targets and mask sources, policy parity of jexec, --user parsing.

LJT_TAG=sf
load ../cli/helpers
load sec_helpers

setup_file() { sec_setup_file; }
teardown_file() { common_teardown_file; }

@test "F35 CVE-2019-5736: no /proc/N/exe opens for writing during 60 jexec; binaries unchanged" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    "$JEXEC" "$n" /bin/escape_probe exe-race 6 >"$BATS_TEST_TMPDIR/race" 2>&1 </dev/null &
    racer=$!
    sleep 0.3
    for i in $(seq 60); do "$JEXEC" "$n" /bin/true </dev/null || true; done
    wait "$racer"
    out=$(cat "$BATS_TEST_TMPDIR/race")
    [[ "$out" == REFUSED* ]] || fail "exe race: $out"
    expect "$n" EACCES open-proc1-exe-write
    assert_host_unchanged
}

@test "F36 CVE-2016-9962: ptrace of the init EPERM, its /proc/1/fd EACCES" {
    n=$(jname)
    mkjail "$n"
    expect "$n" EPERM ptrace-init
    expect "$n" EACCES open-proc1-fd
    jp=$(init_pid "$n")
    assert_eq "$(host_status "$jp" State)" S "state of the init after the attempt"
}

@test "F37 CVE-2024-21626: jexec -d /proc/self/fd/N and /proc/1/cwd are refused" {
    n=$(jname)
    mkjail "$n"
    exec 7<"$LJT_TMP" 8</sys/fs/cgroup
    for fd in 3 4 5 6 7 8 9 10 12 16 20; do
        run --separate-stderr "$JEXEC" -d "/proc/self/fd/$fd" "$n" /bin/probe cwd
        [ "$status" -ne 0 ] || { exec 7<&- 8<&-; show_run; fail "jexec -d /proc/self/fd/$fd ran"; }
        [ -z "$output" ] || { exec 7<&- 8<&-; show_run; fail "output with -d /proc/self/fd/$fd"; }
    done
    exec 7<&- 8<&-
    for d in /proc/1/cwd /proc/1/root; do
        run --separate-stderr "$JEXEC" -d "$d" "$n" /bin/probe cwd
        [ "$status" -ne 0 ] || { show_run; fail "jexec -d $d ran"; }
    done
}

@test "F38 /proc symlinked out of the root: start refused, nothing mounted on the host" {
    r="$LJT_TMP/r38"
    make_sec_root "$r"
    mkdir -p "$LJT_TMP/badproc"
    rmdir "$r/proc"
    ln -s "$LJT_TMP/badproc" "$r/proc"
    snapshot_host
    run --separate-stderr "$JAIL" -c name="$(jname)" path="$r" persist
    assert_status 1
    assert_stderr_contains "mounting /proc"
    [ -z "$(ls -A "$LJT_TMP/badproc")" ] || fail "something appeared in the symlink's target"
    assert_host_unchanged
}

@test "F39 mount target through a symlink to ../../etc: lands inside the root" {
    r="$LJT_TMP/r39"
    make_sec_root "$r"
    mkdir -p "$LJT_TMP/src39"
    echo from-source >"$LJT_TMP/src39/file"
    ln -s ../../../../../../../../etc "$r/data"
    snapshot_host
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$r" persist mount="$LJT_TMP/src39 $r/data nullfs ro 0 0"
    assert_success
    run "$JEXEC" "$n" /bin/probe cat /etc/file
    assert_output from-source
    [ ! -e /etc/file ] || fail "the mount went to the host's /etc"
    assert_host_unchanged
}

@test "F40 CVE-2024-45310: mount target a/b with a -> host dir: refused, no host directory made" {
    r="$LJT_TMP/r40"
    make_sec_root "$r"
    mkdir -p "$LJT_TMP/src40" "$LJT_TMP/canary40"
    ln -s "$LJT_TMP/canary40" "$r/a"
    snapshot_host
    run --separate-stderr "$JAIL" -c name="$(jname)" path="$r" persist \
        mount="$LJT_TMP/src40 $r/a/b nullfs ro 0 0"
    assert_status 1
    [ -z "$(ls -A "$LJT_TMP/canary40")" ] || fail "a directory was made through the symlink"
    assert_host_unchanged
}

@test "F41 CVE-2026-41579: /dev symlinked to a host dir: refused, the marker intact" {
    r="$LJT_TMP/r41"
    make_sec_root "$r"
    mkdir -p "$LJT_TMP/devcanary"
    echo marker >"$LJT_TMP/devcanary/ptmx"
    rmdir "$r/dev"
    ln -s "$LJT_TMP/devcanary" "$r/dev"
    snapshot_host
    run --separate-stderr "$JAIL" -c name="$(jname)" path="$r" persist
    assert_status 1
    assert_eq "$(ls -A "$LJT_TMP/devcanary")" ptmx "entries of the canary /dev"
    assert_eq "$(cat "$LJT_TMP/devcanary/ptmx")" marker "marker"
    assert_host_unchanged
}

@test "F42 CVE-2025-31133: root's dev/null -> core_pattern does not unmask anything" {
    r="$LJT_TMP/r42"
    make_sec_root "$r"
    ln -s /proc/sys/kernel/core_pattern "$r/dev/null"
    snapshot_host
    n=$(jname)
    # the masks come from the host's /dev/null, never the root's
    run --separate-stderr "$JAIL" -c name="$n" path="$r" persist
    assert_success
    expect "$n" EACCES open-w /proc/sys/kernel/core_pattern
    expect "$n" 0 size /proc/timer_list
    expect "$n" 0 size /proc/keys
    assert_host_unchanged
}

@test "F44 jexec policy parity: same Seccomp_filters, CapBnd, NoNewPrivs, cgroup as the init, even after tampering" {
    n=$(jname)
    mkjail "$n"
    # tamper with everything the jail can write
    run "$JEXEC" "$n" /bin/sh -c 'mkdir -p /run/ljail /var/run; echo garbage > /run/ljail/policy; echo x > /tmp/seccomp; true'
    for f in Seccomp Seccomp_filters CapBnd NoNewPrivs CapInh CapAmb; do
        ep "$n" status "$f" 1
        want=$output
        expect "$n" "$want" status "$f" self
    done
    # a command started by the init (command=) and one started by jexec: the same cgroup
    run --separate-stderr "$JEXEC" "$n" /bin/probe daemon 30
    assert_success
    jp=$(init_pid "$n")
    d=$(descendant_running "$jp" "/bin/probe daemon 30") || true
    [ -n "$d" ] || d=$(jail_host_pids "$n" | grep -vx "$jp" | head -n1)
    [ -n "$d" ] || fail "no jexec'd daemon found"
    assert_eq "$(cat /proc/$d/cgroup)" "$(cat /proc/$jp/cgroup)" "cgroup of the jexec'd daemon vs the init"
    for f in Seccomp_filters CapBnd NoNewPrivs; do
        assert_eq "$(host_status "$d" "$f")" "$(host_status "$jp" "$f")" "$f of the daemon (host view)"
    done
    c=$(jname cmd)
    run --separate-stderr "$JAIL" -c name="$c" path="$LJT_ROOT" command=/bin/escape_probe status Seccomp_filters
    assert_success
    assert_output "$(host_status "$jp" Seccomp_filters)"
}

@test "F45 jexec -U parsing: a known user, unknown names and numbers refused" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" -U alice "$n" /bin/probe ids
    assert_success
    assert_output "uid=1000 gid=1000 euid=1000 egid=1000 groups=1000"
    for u in -1 99999999999 "" 1:2 "root:x"; do
        run --separate-stderr "$JEXEC" -U "$u" "$n" /bin/probe ids
        assert_status 1
        assert_output ""
    done
}
