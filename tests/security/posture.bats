#!/usr/bin/env bats
# Escape suite A (reference security.md 4.A, checks 1-8): the baseline posture of a default
# jail (userns=new): namespaces, uid map, bounding set, seccomp, no_new_privs, procfs, fds,
# keyring.

LJT_TAG=sa
load ../cli/helpers
load sec_helpers

setup_file() { sec_setup_file; }
teardown_file() { common_teardown_file; }

# the bounding set a default jail must have: every capability of this kernel less those no
# jail needs (src/host/policy.cc) and CAP_IPC_LOCK (allow.mlock is off by default)
default_capbnd() {
    local last mask drop c
    last=$(cat /proc/sys/kernel/cap_last_cap)
    mask=$(((1 << (last + 1)) - 1))
    # SYS_MODULE SYS_RAWIO SYS_TIME SYSLOG MAC_ADMIN MAC_OVERRIDE AUDIT_CONTROL WAKE_ALARM
    # BLOCK_SUSPEND BPF PERFMON CHECKPOINT_RESTORE IPC_LOCK
    for c in 16 17 25 34 33 32 30 35 36 39 38 40 14; do
        [ "$c" -le "$last" ] && mask=$((mask & ~(1 << c)))
    done
    printf '%016x\n' "$mask"
}

@test "A1 namespaces: mnt pid net uts ipc cgroup user all differ from the host's" {
    n=$(jname)
    mkjail "$n"
    jp=$(init_pid "$n")
    for ns in mnt pid net uts ipc cgroup user; do
        [ "$(readlink /proc/$jp/ns/$ns)" != "$(readlink /proc/1/ns/$ns)" ] ||
            fail "the jail shares the host's $ns namespace"
    done
}

@test "A2 user namespace: 0 BASE 65536 with BASE >= 65536, disjoint between two jails" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a"
    mkjail "$b"
    read -r ia ba sa < <("$JEXEC" "$a" /bin/probe uid_map)
    read -r ib bb sb < <("$JEXEC" "$b" /bin/probe uid_map)
    assert_eq "$ia $sa" "0 65536" "uid_map of $a"
    assert_eq "$ib $sb" "0 65536" "uid_map of $b"
    [ "$ba" -ge 65536 ] || fail "uid base $ba of $a is below 65536"
    [ "$bb" -ge 65536 ] || fail "uid base $bb of $b is below 65536"
    [ $((ba + sa)) -le "$bb" ] || [ $((bb + sb)) -le "$ba" ] || fail "ranges overlap: $ba+$sa, $bb+$sb"
    run "$JEXEC" "$a" /bin/probe gid_map
    read -r g0 gb gs <<<"$output"
    assert_eq "$g0 $gb $gs" "0 $ba 65536" "gid_map of $a"
    # the host sees the same map
    jp=$(init_pid "$a")
    read -r h0 hb hs </proc/$jp/uid_map
    assert_eq "$h0 $hb $hs" "0 $ba 65536" "uid_map of the init on the host"
}

@test "A3 capability bounding set: the profile's mask; CapInh and CapAmb empty" {
    n=$(jname)
    mkjail "$n"
    want=$(default_capbnd)
    for pid in 1 self; do
        expect "$n" "$want" status CapBnd "$pid"
        expect "$n" 0000000000000000 status CapInh "$pid"
        expect "$n" 0000000000000000 status CapAmb "$pid"
    done
    # and on the host, for the init itself
    assert_eq "$(host_status "$(init_pid "$n")" CapBnd)" "$want" "CapBnd of the init (host view)"
}

@test "A4 seccomp: mode 2 with the same filter count in the init and in jexec" {
    n=$(jname)
    mkjail "$n"
    expect "$n" 2 status Seccomp 1
    expect "$n" 2 status Seccomp self
    ep "$n" status Seccomp_filters 1
    init_filters=$output
    [ "$init_filters" -ge 1 ] || fail "init has $init_filters seccomp filters"
    expect "$n" "$init_filters" status Seccomp_filters self
}

@test "A5 no_new_privs: 0 in the VPS profile (setuid programs keep working)" {
    n=$(jname)
    mkjail "$n"
    expect "$n" 0 status NoNewPrivs self
    expect "$n" 0 status NoNewPrivs 1
}

@test "A6 fresh procfs of the jail's PID namespace: pid 1 is ljail-init, only jail pids" {
    n=$(jname)
    mkjail "$n"
    run "$JEXEC" "$n" /bin/probe cat /proc/1/cmdline
    assert_success
    assert_eq "$(tr -d '\0 ' <<<"$output")" "ljail-init" "cmdline of pid 1"
    run "$JEXEC" "$n" /bin/probe pids
    assert_success
    assert_output "1
$(sed -n 2p <<<"$output")"
    # the second pid is the probe itself: nothing of the host
    [ "$(wc -l <<<"$output")" -eq 2 ] || fail "pids seen: $output"
}

@test "A7 fd hygiene: jexec and init's children see only 0 1 2; the init holds nothing of the host" {
    n=$(jname)
    mkjail "$n"
    # descriptors the host might hand down: leak some on purpose into jexec
    exec 7<"$LJT_TMP" 8</sys/fs/cgroup
    run --separate-stderr "$JEXEC" "$n" /bin/escape_probe fds
    exec 7<&- 8<&-
    assert_success
    assert_output ""
    # the same for a command the init forks (RUN carries jail(8)'s stdio, nothing else)
    exec 7<"$LJT_TMP" 8</sys/fs/cgroup
    run --separate-stderr "$JAIL" -c name="$(jname cmd)" path="$LJT_ROOT" command=/bin/escape_probe fds
    exec 7<&- 8<&-
    assert_success
    assert_output ""
    jp=$(init_pid "$n")
    for f in /proc/$jp/fd/*; do
        t=$(readlink "$f")
        case "$t" in
        "$LJT_TMP"* | "$LJAIL_RUNDIR"* | /sys/* | /run/* | /dev/* | /tmp/* | /work/* | /home/*)
            fail "the init holds a host descriptor: $f -> $t" ;;
        esac
    done
}

@test "A8 keyring: /proc/keys empty, keyctl refused (EPERM)" {
    n=$(jname)
    mkjail "$n"
    expect "$n" 0 size /proc/keys
    expect "$n" EPERM keyctl
    expect "$n" EPERM add_key
}
