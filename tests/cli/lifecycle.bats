#!/usr/bin/env bats
# Lifetime of a jail: daemons keep it alive, jail -r kills everything (SIGTERM, stop.timeout,
# then the rest), an init killed from the host is cleaned up, concurrent creates, and 200
# create/remove cycles that leave nothing behind.

LJT_TAG=lc
load helpers

setup_file() { common_setup_file; }
teardown_file() { common_teardown_file; }

@test "a daemon started by command= keeps the jail alive; the jail goes when it exits" {
    n=$(jname)
    start=$SECONDS
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" command=/bin/probe daemon 4
    assert_success
    [ $((SECONDS - start)) -lt 3 ] || fail "jail waited for the daemon instead of its command"
    run --separate-stderr "$JLS" -j "$n" name
    assert_success
    assert_output "$n"
    run "$JEXEC" "$n" /bin/probe pids
    assert_eq "$(wc -l <<<"$output")" 3 "processes in the jail (init, daemon, probe)"
    wait_until 10 not listed "$n" || fail "jail $n still listed 10 s after its daemon exited"
    [ -z "$(state_file_of "$n")" ] || fail "state file of $n left after its last process exited"
    wait_until 3 test -z "$(cgroup_dirs "$n")" || fail "cgroups of $n left: $(cgroup_dirs "$n")"
}

@test "command= is forked by the jail's init: parent pid 1, the init's policy, its exit status, nothing left" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" \
        command=/bin/sh -c 'echo "ppid=$PPID"; grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; exit 3'
    assert_status 1
    assert_output_line "ppid=1"
    assert_eq "$(awk '$1 == "Seccomp:" { print $2 }' <<<"$output")" 2 "Seccomp mode of the command"
    assert_stderr "jail: /bin/sh -c echo \"ppid=\$PPID\"; grep -E \"^(Seccomp|NoNewPrivs):\" /proc/self/status; exit 3: failed"
    [ -z "$(state_file_of "$n")" ] || fail "state file of $n left after its command failed"
    [ -z "$(cgroup_dirs "$n")" ] || fail "cgroups of $n left: $(cgroup_dirs "$n")"
    # A command with exec.poststart after it: the init is released by jail(8), not by itself.
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" exec.poststart="echo poststart" \
        command=/bin/sh -c 'echo in; exit 0'
    assert_success
    assert_output "in
poststart"
    [ -z "$(state_file_of "$n")" ] || fail "state file of $n left"
}

@test "command= with argv and environment longer than one message to the init is attached instead" {
    n=$(jname)
    big=$(head -c 100000 /dev/zero | tr '\0' x)
    BIG=$big run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" \
        command=/bin/sh -c 'echo "${#BIG} $PPID"'
    assert_success
    # attached, as jexec is: its parent is jail(8)'s helper, outside the jail
    assert_output "100000 0"
    [ -z "$(state_file_of "$n")" ] || fail "state file of $n left"
}

@test "a jail without persist goes with its last jexec'd process" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" command=/bin/probe daemon 2
    assert_success
    run --separate-stderr "$JEXEC" "$n" /bin/probe daemon 5
    assert_success
    sleep 3
    run --separate-stderr "$JLS" -j "$n" name
    assert_success
    wait_until 8 not listed "$n" || fail "jail $n still listed after every process exited"
}

@test "jail -r kills every process of the jail" {
    n=$(jname)
    mkjail "$n"
    for k in 1 2 3; do
        "$JEXEC" "$n" /bin/probe daemon 300
    done
    "$JEXEC" "$n" /bin/probe sleep 300 3>&- &
    jx=$!
    init=$(init_pid "$n")
    wait_until 5 test "$(jail_host_pids "$n" | wc -l)" -ge 5 ||
        fail "expected 5 processes in the cgroups of $n, got: $(jail_host_pids "$n" | tr '\n' ' ')"
    pids=$(jail_host_pids "$n")
    start=$SECONDS
    run --separate-stderr "$JAIL" -r "$n"
    assert_success
    [ $((SECONDS - start)) -lt 5 ] || fail "jail -r took $((SECONDS - start)) s for processes that obey SIGTERM"
    for p in $pids $init; do
        alive "$p" && fail "process $p ($(cat /proc/$p/cmdline | tr '\0' ' ')) survived jail -r"
    done
    wait_until 5 not alive "$jx" || fail "the jexec $jx did not end with its jail"
    wait "$jx" || true
}

@test "jail -r: stop.timeout bounds the wait for processes that ignore SIGTERM" {
    n=$(jname)
    mkjail "$n" stop.timeout=2
    run --separate-stderr "$JEXEC" "$n" /bin/probe stubborn 300
    assert_success
    init=$(init_pid "$n")
    wait_until 5 test -n "$(children_of "$init")" || fail "no stubborn process"
    pid=$(children_of "$init")
    start=$(date +%s%N)
    run --separate-stderr "$JAIL" -r "$n"
    assert_success
    ms=$((($(date +%s%N) - start) / 1000000))
    [ "$ms" -ge 1900 ] || fail "jail -r took $ms ms: it did not wait stop.timeout=2 for SIGTERM"
    [ "$ms" -lt 6000 ] || fail "jail -r took $ms ms with stop.timeout=2"
    alive "$pid" && fail "the process that ignored SIGTERM ($pid) survived"
    true
}

@test "jail -r: the default stop.timeout is 10 seconds" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/probe stubborn 300
    assert_success
    init=$(init_pid "$n")
    wait_until 5 test -n "$(children_of "$init")" || fail "no stubborn process"
    pid=$(children_of "$init")
    start=$(date +%s%N)
    run --separate-stderr "$JAIL" -r "$n"
    assert_success
    ms=$((($(date +%s%N) - start) / 1000000))
    [ "$ms" -ge 9500 ] && [ "$ms" -lt 15000 ] || fail "jail -r took $ms ms, expected about 10 s"
    alive "$pid" && fail "the process that ignored SIGTERM ($pid) survived"
    true
}

@test "jail -r of a jail whose processes all exit at SIGTERM does not wait stop.timeout" {
    n=$(jname)
    mkjail "$n" stop.timeout=8
    run --separate-stderr "$JEXEC" "$n" /bin/probe daemon 300
    assert_success
    start=$SECONDS
    run --separate-stderr "$JAIL" -r "$n"
    assert_success
    [ $((SECONDS - start)) -lt 4 ] || fail "jail -r waited $((SECONDS - start)) s although every process had exited"
}

@test "the init killed from the host: the jail is gone and the next command cleans up" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/probe daemon 300
    assert_success
    init=$(init_pid "$n")
    sf=$(state_file_of "$n")
    alive "$init" || fail "init $init not alive"
    kill -9 "$init"
    wait_until 5 not alive "$init" || fail "init $init did not die"
    run --separate-stderr "$JLS"
    assert_success
    assert_output "   JID  IP Address      Hostname                      Path"
    [ ! -e "$sf" ] || fail "state file $sf left after jls saw a dead init"
    wait_until 3 test -z "$(cgroup_dirs "$n")" || fail "cgroups left after jls: $(cgroup_dirs "$n")"
    run --separate-stderr "$JLS" -j "$n"
    assert_status 1
    assert_stderr_contains "not found"
    # the name is free again
    mkjail "$n"
    run "$JEXEC" "$n" /bin/probe pids
    assert_eq "$(wc -l <<<"$output")" 2 "processes in the new jail"
}

@test "the init killed from the host: jail -c of the same name cleans up and succeeds" {
    n=$(jname)
    mkjail "$n"
    init=$(init_pid "$n")
    kill -9 "$init"
    wait_until 5 not alive "$init" || fail "init $init did not die"
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist
    assert_success
    [ "$(init_pid "$n")" != "$init" ] || fail "the state file still holds the dead init"
}

@test "the init killed from the host: jail -r cleans up" {
    n=$(jname)
    mkjail "$n"
    init=$(init_pid "$n")
    kill -9 "$init"
    wait_until 5 not alive "$init" || fail "init $init did not die"
    run --separate-stderr "$JAIL" -r "$n"
    # FreeBSD: the jail is gone, so "not found"; either way nothing may be left
    [ "$status" -eq 0 ] || assert_stderr "jail: \"$n\" not found"
}

@test "two concurrent creates of the same name: exactly one wins" {
    for round in $(seq 1 10); do
        n=$(jname "r$round")
        pids=()
        for k in 1 2 3 4; do
            "$JAIL" -c name="$n" path="$LJT_ROOT" persist host.hostname="racer$k" \
                >"$BATS_TEST_TMPDIR/out$k" 2>"$BATS_TEST_TMPDIR/err$k" 3>&- &
            pids+=($!)
        done
        ok=0
        for k in 1 2 3 4; do
            if wait "${pids[$((k - 1))]}"; then
                ok=$((ok + 1))
            else
                err=$(cat "$BATS_TEST_TMPDIR/err$k")
                assert_eq "$err" "jail: \"$n\" already exists" "stderr of a losing create (round $round)"
            fi
        done
        assert_eq "$ok" 1 "number of creates of $n that succeeded (round $round)"
        run "$JLS" name
        assert_output "$n"
        run "$JEXEC" "$n" /bin/probe pids
        assert_eq "$(wc -l <<<"$output")" 2 "processes in the jail (round $round)"
        "$JAIL" -r "$n"
        [ -z "$(cgroup_dirs "$n")" ] || fail "cgroups left in round $round: $(cgroup_dirs "$n")"
    done
}

@test "a create of a name whose jail is ending either runs or is refused, and kills nothing" {
    # The second create starts while the first one's command ends: it may find that jail dead
    # and clean it up, and make its own of the same name (and cgroup) while the first jail(8)
    # has still to clean up after its command. That must not touch the new jail.
    for round in $(seq 1 30); do
        n=$(jname "e$round")
        "$JAIL" -c name="$n" path="$LJT_ROOT" command=/bin/true \
            >"$BATS_TEST_TMPDIR/outA" 2>"$BATS_TEST_TMPDIR/errA" 3>&- &
        a=$!
        sleep "0.00$((2 + round % 6))"
        "$JAIL" -c name="$n" path="$LJT_ROOT" command=/bin/true \
            >"$BATS_TEST_TMPDIR/outB" 2>"$BATS_TEST_TMPDIR/errB" 3>&- &
        b=$!
        wait "$a" || assert_eq "$(cat "$BATS_TEST_TMPDIR/errA")" "jail: \"$n\" already exists" \
            "stderr of the first create (round $round)"
        wait "$b" || assert_eq "$(cat "$BATS_TEST_TMPDIR/errB")" "jail: \"$n\" already exists" \
            "stderr of the second create (round $round)"
        [ -z "$(cgroup_dirs "$n")" ] || fail "cgroups left in round $round: $(cgroup_dirs "$n")"
    done
    run "$JLS" name
    assert_output ""
}

@test "concurrent creates of different names all succeed with distinct jids" {
    pids=()
    for k in $(seq 1 8); do
        n=$(jname "p$k")
        "$JAIL" -c name="$n" path="$LJT_ROOT" persist 2>"$BATS_TEST_TMPDIR/err$k" 3>&- &
        pids+=($!)
    done
    for k in $(seq 1 8); do
        wait "${pids[$((k - 1))]}" || fail "create $k failed: $(cat "$BATS_TEST_TMPDIR/err$k")"
    done
    run "$JLS" jid
    if [ "$(wc -l <<<"$output")" != 8 ]; then
        # what the registry holds, for the report
        ls -la "$LJAIL_RUNDIR" >&2
        for f in "$LJAIL_RUNDIR"/*.json; do
            jq -c '{jid, name, init_pid, init_start, status}' "$f" >&2
            pid=$(jq -r .init_pid "$f")
            echo "init $pid: $(tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null) state $(awk '/^State/ {print $2}' /proc/$pid/status 2>/dev/null)" >&2
        done
        for k in $(seq 1 8); do cat "$BATS_TEST_TMPDIR/err$k" >&2; done
    fi
    assert_eq "$(wc -l <<<"$output")" 8 "jails listed"
    assert_eq "$(sort -u <<<"$output" | wc -l)" 8 "distinct jids"
}

# namespaces (as "type:[inode]") of a process
ns_of() {
    local t
    for t in mnt pid uts ipc net user cgroup; do
        readlink "/proc/$1/ns/$t"
    done
}

@test "the registry goes with its last jail: no lock, jid counter or policy cache is left" {
    [ ! -e "$LJAIL_RUNDIR" ] || fail "a registry before any jail: $(ls -lA "$LJAIL_RUNDIR")"
    run "$JLS"
    assert_success
    [ ! -e "$LJAIL_RUNDIR" ] || fail "jls made a registry"
    a=$(jname a)
    b=$(jname b)
    "$JAIL" -c name="$a" path="$LJT_ROOT" persist || fail "create $a failed"
    # Not the default policy parameters, whose policy is compiled into ljail and never cached.
    "$JAIL" -c name="$b" path="$LJT_ROOT" persist allow.raw_sockets || fail "create $b failed"
    "$JAIL" -r "$a" || fail "remove $a failed"
    # While a jail runs, the registry keeps its counter and cache.
    [ -e "$LJAIL_RUNDIR/next_jid" ] || fail "the jid counter went while $b runs"
    compgen -G "$LJAIL_RUNDIR/policy.*" >/dev/null || fail "no cached policy while $b runs"
    "$JAIL" -r "$b" || fail "remove $b failed"
    [ ! -e "$LJAIL_RUNDIR" ] || fail "left after the last jail: $(ls -lA "$LJAIL_RUNDIR")"
    # A create refused after its jid was counted, before its state file.
    run --separate-stderr "$JAIL" -c name=424242 path="$LJT_ROOT" persist
    assert_status 1
    assert_stderr_contains "must be the jail's jid"
    [ ! -e "$LJAIL_RUNDIR" ] || fail "left by a refused create: $(ls -lA "$LJAIL_RUNDIR")"
    # A jail that ends with its failed command.
    run --separate-stderr "$JAIL" -c name="$a" path="$LJT_ROOT" command=/nonexistent
    [ "$status" -ne 0 ] || fail "a command that does not exist succeeded"
    [ ! -e "$LJAIL_RUNDIR" ] || fail "left by a failed command: $(ls -lA "$LJAIL_RUNDIR")"
}

@test "the builder of a jail does not outlive 100 ms of its command, nor jail(8)" {
    # It stays after sending the jail's mounts (its exit frees mounts, which waits for RCU
    # grace periods), until jail(8) lets go of it or 100 ms have passed.
    n=$(jname)
    "$JAIL" -c name="$n" path="$LJT_ROOT" command=/bin/probe sleep 2 </dev/null >/dev/null 2>&1 &
    jpid=$!
    sleep 0.1
    builders=$(ps --ppid "$jpid" -o pid=,comm= | awk '$2 == "jail" { print $1 }')
    [ -n "$builders" ] || fail "test bug: no builder found beside jail(8) $jpid"
    sleep 0.5
    live=$(ps --ppid "$jpid" -o stat=,comm= | awk '$1 !~ /^Z/ && $2 == "jail"')
    [ -z "$live" ] || fail "the builder still runs 0.6 s into the command: $live"
    wait "$jpid" || fail "jail -c failed"
    for b in $builders; do
        [ ! -e "/proc/$b" ] || grep -q '^State:.*Z' "/proc/$b/status" ||
            fail "builder $b outlived jail(8)"
    done
}

@test "a persistent jail is there when jail -c returns, however soon its creator exits" {
    # jail(8) may read READY and BYE and exit before the init is scheduled again: the init must
    # have stopped dying with its creator (PDEATHSIG) before it says BYE.
    for k in $(seq 1 100); do
        n=$(jname "p$k")
        "$JAIL" -c name="$n" path="$LJT_ROOT" persist </dev/null >/dev/null 2>&1 ||
            fail "create $k failed"
        "$JAIL" -r "$n" </dev/null >/dev/null 2>&1 || fail "cycle $k: $n gone before jail -r"
    done
}

@test "200 create/remove cycles leave no state file, mount, cgroup or namespace behind" {
    nsfile="$BATS_TEST_TMPDIR/namespaces"
    : >"$nsfile"
    loop_start=$(ticks_now)
    for k in $(seq 1 200); do
        n=$(jname "c$k")
        "$JAIL" -c name="$n" path="$LJT_ROOT" persist || fail "create $k failed"
        if [ $((k % 20)) -eq 1 ]; then
            init=$(init_pid "$n") || fail "cycle $k: no init_pid"
            ns_of "$init" >>"$nsfile"
        fi
        "$JAIL" -r "$n" || fail "remove $k failed"
    done
    run "$JLS"
    assert_output "   JID  IP Address      Hostname                      Path"
    [ -z "$(state_files)" ] || fail "state files left: $(state_files)"
    left=$(ls -d /sys/fs/cgroup/*/ljail/"$(jprefix)"c* /sys/fs/cgroup/ljail/"$(jprefix)"c* 2>/dev/null || true)
    [ -z "$left" ] || fail "cgroups left: $left"
    [ -z "$(host_mounts)" ] || fail "mounts left: $(host_mounts)"
    # Namespaces of the removed jails must not be held by any process, descriptor or mount.
    # The kernel reuses namespace inode numbers at once, so a namespace made meanwhile by
    # someone else can carry a recorded number: only processes started during the loop (which
    # is when ljail made its processes) count as holders.
    loop_end=$(ticks_now)
    sort -u "$nsfile" | grep -v '^$' >"$nsfile.sorted"
    [ -s "$nsfile.sorted" ] || fail "test bug: no namespace recorded"
    held=""
    for p in /proc/[0-9]*; do
        start=$(started_ticks "${p#/proc/}") || continue
        [ "$start" -ge "$loop_start" ] && [ "$start" -le "$loop_end" ] || continue
        # A dead init waiting for its reaper (the host's pid 1, or a subreaper above the test)
        # holds nothing but the credentials it died with; reaping it is not ljail's to do.
        if grep -q '^State:.*Z' "$p/status" 2>/dev/null; then
            continue
        fi
        hit=$(readlink "$p"/ns/* "$p"/fd/* 2>/dev/null | sort -u | comm -12 - "$nsfile.sorted")
        [ -z "$hit" ] || held+="pid ${p#/proc/} ($(tr '\0' ' ' <"$p/cmdline")): $hit"$'\n'
    done
    mounted=$(awk '{ print $4 }' /proc/self/mountinfo | sort -u | comm -12 - "$nsfile.sorted")
    [ -z "$mounted" ] || held+="nsfs mounts: $mounted"
    [ -z "$held" ] || fail "namespaces of removed jails are still held: $held"
}

# clock ticks since boot, now and at the start of a process (field 22 of /proc/PID/stat)
ticks_now() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%d\n", $1 * hz }' /proc/uptime
}
started_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    awk '{ print $20 }' <<<"$stat"
}
