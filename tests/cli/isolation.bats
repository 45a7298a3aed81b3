#!/usr/bin/env bats
# What a jail sees from the inside: its own processes, its own mounts, lo, a private uid range,
# root that is not host root, files owned by 0 on disk, userns=inherit, loginuid, mount.no*.

LJT_TAG=is
load helpers

setup_file() { common_setup_file; }
teardown_file() { common_teardown_file; }

# uid_map of a jail as "inside outside count" with single spaces
uid_map_of() {
    "$JEXEC" "$1" /bin/probe uid_map | awk '{ print $1, $2, $3 }'
}

@test "PID isolation: the jail sees its init (pid 1) and its own processes only" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/probe pids
    assert_success
    mapfile -t pids <<<"$output"
    assert_eq "${pids[0]}" 1 "first pid in the jail"
    assert_eq "${#pids[@]}" 2 "number of processes seen (init and the probe)"
    run --separate-stderr "$JEXEC" "$n" /bin/probe daemon 60
    assert_success
    run --separate-stderr "$JEXEC" "$n" /bin/probe pids
    assert_success
    mapfile -t pids <<<"$output"
    assert_eq "${#pids[@]}" 3 "number of processes seen (init, daemon, probe)"
    run --separate-stderr "$JAIL" -c name="$(jname cmd)" path="$LJT_ROOT" command=/bin/probe pids
    assert_success
    mapfile -t pids <<<"$output"
    assert_eq "${pids[0]}" 1 "first pid seen by command="
    assert_eq "${#pids[@]}" 2 "number of processes seen by command= (init and the command)"
}

@test "where procfs takes no pidns option the builder works from inside the jail: same view" {
    # LJAIL_PROC_PIDNS=0: the way of older kernels (host/builder.h), taken on any kernel.
    n=$(jname)
    LJAIL_PROC_PIDNS=0 mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/probe pids
    assert_success
    assert_eq "$(sed -n 1p <<<"$output")" 1 "first pid in the jail"
    assert_eq "$(wc -l <<<"$output")" 2 "processes seen (init and the probe)"
    run --separate-stderr env LJAIL_PROC_PIDNS=0 "$JAIL" -c name="$(jname cmd)" path="$LJT_ROOT" \
        command=/bin/probe pids
    assert_success
    assert_eq "$(wc -l <<<"$output")" 2 "processes seen by command= (init and the command)"
    "$JAIL" -r "$n"
    [ -z "$(cgroup_dirs "$n")" ] || fail "cgroups left: $(cgroup_dirs "$n")"
}

@test "the jail's pid 1 is the jail init, not the user's command" {
    n=$(jname)
    mkjail "$n"
    init=$(init_pid "$n")
    alive "$init" || fail "init_pid $init of the state file is not alive"
    run "$JEXEC" "$n" /bin/probe cat /proc/1/comm
    [ "$output" != probe ] || fail "pid 1 is a probe"
    host_comm=$(cat /proc/$init/comm)
    assert_eq "$output" "$host_comm" "comm of pid 1 in the jail vs the host's init_pid"
}

@test "/proc/mounts in the jail lists only the jail's mounts" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/probe mounts
    assert_success
    mounts=$output
    [[ "$mounts" != *"$LJT_TMP"* ]] || { show_run; fail "the jail sees the test root's host path"; }
    [[ "$mounts" != *"/work"* ]] || { show_run; fail "the jail sees /work"; }
    [[ "$mounts" != *" /tmp/"* ]] || { show_run; fail "the jail sees mounts under the host's /tmp"; }
    points=$(awk '{ print $2 }' <<<"$mounts" | sort -u)
    for p in / /proc /sys /dev /dev/pts /dev/shm /run; do
        grep -qx -- "$p" <<<"$points" || { show_run; fail "no mount on $p in the jail"; }
    done
    # only mount points the jail is meant to have
    while read -r p; do
        case "$p" in
        / | /proc | /proc/* | /sys | /sys/* | /dev | /dev/* | /run | /run/*) ;;
        *) show_run; fail "unexpected mount point in the jail: $p" ;;
        esac
    done <<<"$points"
    sysopts=$(awk '$2 == "/sys" { print $4 }' <<<"$mounts" | head -n1)
    [[ "$sysopts" == ro,* || "$sysopts" == ro ]] || fail "/sys is not read-only: $sysopts"
    # none of it is visible on the host
    [ -z "$(host_mounts)" ] || fail "jail mounts visible on the host: $(host_mounts)"
}

@test "the jail has lo up with 127.0.0.1 and ::1, and no host interface" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/probe ifaces
    assert_success
    ifs=$output
    assert_output_line "lo up"
    assert_output_line "lo inet 127.0.0.1"
    assert_output_line "lo inet6 ::1"
    addrs=$(grep -E ' inet6? ' <<<"$ifs" | sort)
    assert_eq "$addrs" "lo inet 127.0.0.1
lo inet6 ::1" "addresses in the jail"
    while read -r ifname state; do
        [ "$ifname" = lo ] && continue
        case "$state" in inet | inet6) continue ;; esac
        assert_eq "$state" down "state of $ifname (only lo may be up)"
        [ "$ifname" != eth0 ] || fail "the host's eth0 is in the jail"
    done <<<"$ifs"
}

@test "ping without raw sockets: ping_group_range is the jail's own groups, also for host ids above 2^31" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/cat /proc/sys/net/ipv4/ping_group_range
    assert_success
    assert_output "0	65535"
    h=$(jname high)
    run --separate-stderr "$JAIL" -c name="$h" path="$LJT_ROOT" userns.uid=3000000000 \
        command=/bin/cat /proc/sys/net/ipv4/ping_group_range
    assert_success
    assert_output "0	65535"
}

@test "/proc/self/uid_map is a private non-zero range of 65536 ids; jails do not overlap" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a"
    mkjail "$b"
    read -r ins outa cnt <<<"$(uid_map_of "$a")"
    assert_eq "$ins" 0 "first id inside"
    assert_eq "$cnt" 65536 "size of the range"
    [ "$outa" -ge 1073741824 ] || fail "host base $outa is below 1073741824"
    run "$JEXEC" "$a" /bin/probe gid_map
    assert_eq "$(awk '{ print $1, $2, $3 }' <<<"$output")" "0 $outa 65536" "gid_map"
    run "$JEXEC" "$a" /bin/probe uid_map
    assert_eq "$(wc -l <<<"$output")" 1 "lines in uid_map"
    read -r _ outb _ <<<"$(uid_map_of "$b")"
    [ "$outa" -ne "$outb" ] || fail "two jails share the host range $outa"
    diff=$((outa > outb ? outa - outb : outb - outa))
    [ "$diff" -ge 65536 ] || fail "ranges of two jails overlap: $outa and $outb"
}

@test "jailed root is a non-root uid on the host; its files are owned by 0 on disk" {
    n=$(jname)
    mkjail "$n"
    read -r _ base _ <<<"$(uid_map_of "$n")"
    run --separate-stderr "$JEXEC" "$n" /bin/probe daemon 60
    assert_success
    init=$(init_pid "$n")
    wait_until 5 test -n "$(children_of "$init")" || fail "init $init has no child after probe daemon"
    pid=$(children_of "$init" | head -n1)
    uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$pid/status)
    gids=$(awk '/^Gid:/ { print $2, $3, $4, $5 }' /proc/$pid/status)
    assert_eq "$uids" "$base $base $base $base" "host Uid of the jailed root daemon $pid"
    assert_eq "$gids" "$base $base $base $base" "host Gid of the jailed root daemon $pid"
    init_uid=$(awk '/^Uid:/ { print $2 }' /proc/$init/status)
    [ "$init_uid" -ne 0 ] || fail "the jail init runs as host root"

    f="owned-$BATS_TEST_NUMBER"
    rm -f "$LJT_ROOT/$f" "$LJT_ROOT/home/alice/$f"
    run --separate-stderr "$JEXEC" "$n" /bin/probe create "/$f"
    assert_success
    assert_eq "$(stat -c %u:%g "$LJT_ROOT/$f")" "0:0" "owner on disk of a file jailed root made"
    run --separate-stderr "$JEXEC" -U alice "$n" /bin/probe create "/home/alice/$f"
    assert_success
    assert_eq "$(stat -c %u:%g "$LJT_ROOT/home/alice/$f")" "1000:1000" "owner on disk of alice's file"
    # jailed alice cannot write where only root may
    run --separate-stderr "$JEXEC" -U alice "$n" /bin/probe create "/etc/$f"
    assert_status 100
    rm -f "$LJT_ROOT/$f" "$LJT_ROOT/home/alice/$f"
}

@test "files on disk owned by 0 are owned by root in the jail" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/stat -c %u:%g /etc/passwd /home/alice
    assert_success
    assert_output "0:0
1000:1000"
}

@test "userns=inherit: jail root is host uid 0" {
    n=$(jname)
    mkjail "$n" userns=inherit
    run --separate-stderr "$JEXEC" "$n" /bin/probe uid_map
    assert_success
    assert_eq "$(awk '{ print $1, $2, $3 }' <<<"$output")" "0 0 4294967295" "uid_map with userns=inherit"
    run --separate-stderr "$JEXEC" "$n" /bin/probe daemon 60
    assert_success
    init=$(init_pid "$n")
    wait_until 5 test -n "$(children_of "$init")" || fail "init has no child after probe daemon"
    pid=$(children_of "$init" | head -n1)
    assert_eq "$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)" 0 "host uid of jail root"
    run "$JLS" -j "$n" userns
    assert_output "inherit"
}

@test "loginuid of jailed processes is unset even when the caller has one" {
    run bash -c 'echo 1000 >/proc/self/loginuid && cat /proc/self/loginuid'
    [ "$status" -eq 0 ] && [ "$output" = 1000 ] || skip "cannot set a loginuid here (no audit support?)"
    n=$(jname)
    run --separate-stderr bash -c 'echo 1000 >/proc/self/loginuid || exit 99
        exec "$0" -c name="$1" path="$2" persist command=/bin/probe loginuid' "$JAIL" "$n" "$LJT_ROOT"
    assert_success
    assert_output "4294967295"
    run --separate-stderr bash -c 'echo 1000 >/proc/self/loginuid || exit 99
        exec "$0" "$1" /bin/probe loginuid' "$JEXEC" "$n"
    assert_success
    assert_output "4294967295"
    init=$(init_pid "$n")
    assert_eq "$(cat /proc/$init/loginuid)" 4294967295 "loginuid of the jail init"
}

@test "default mounts are there; each mount.no* switch removes its mount" {
    n=$(jname)
    mkjail "$n"
    for p in /proc /sys /dev /run /dev/pts /dev/shm; do
        run --separate-stderr "$JEXEC" "$n" /bin/probe ismount "$p"
        assert_output "yes"
    done
    run "$JEXEC" "$n" /bin/readlink /dev/fd
    assert_output "/proc/self/fd"
    for d in null zero full random urandom tty ptmx stdin stdout stderr; do
        run "$JEXEC" "$n" /bin/sh -c "test -e /dev/$d || test -L /dev/$d"
        [ "$status" -eq 0 ] || fail "/dev/$d missing in the jail"
    done
    run "$JEXEC" "$n" /bin/sh -c 'echo x >/dev/null && head -c 4 /dev/zero | wc -c'
    assert_output "4"
    "$JAIL" -r "$n"

    check() { # check PARAM PATH
        local j
        j=$(jname "$1")
        run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" "mount.no$1" \
            command=/bin/probe ismount "$2"
        assert_success
        assert_output "no"
    }
    check procfs /proc
    check sysfs /sys
    check devfs /dev
    check tmpfs /run
    j=$(jname fdescfs)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" mount.nofdescfs \
        command=/bin/sh -c 'if test -e /dev/fd || test -L /dev/fd; then echo present; else echo absent; fi'
    assert_success
    assert_output "absent"
    for d in proc dev run sys; do
        [ -z "$(ls -A "$LJT_ROOT/$d")" ] ||
            fail "the jail wrote into /$d on disk: $(ls -lA "$LJT_ROOT/$d")"
    done
}

@test "the jail's view of a file it cannot change: /proc/sys and /sys are read-only" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/sh -c 'echo 1 >/proc/sys/kernel/sysrq'
    [ "$status" -ne 0 ] || fail "jail root wrote /proc/sys/kernel/sysrq"
    run --separate-stderr "$JEXEC" "$n" /bin/probe create /sys/probe-file
    assert_status 100
}
