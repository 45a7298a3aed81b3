#!/usr/bin/env bats
# A Debian system made by mkjail(8) booted Linux style (issue 6, item 3): exec.init=/sbin/init
# runs sysvinit as the jail's PID 1 on a /dev/console of the jail's own, with a getty there;
# shutdown and reboot inside end just that jail; jail -r sends the init its shutdown signal
# (SIGPWR, which mkjail's inittab turns into `shutdown -h now`) and waits stop.timeout.

LJT_TAG=di
load debian_helpers

setup_file() { debian_tree_setup_file; }
teardown_file() { common_teardown_file; }

# boot_init NAME ADDR [PARAMS...]: a jail booted by the tree's /sbin/init; its console goes to
# $LJT_TMP/NAME.console
boot_init() {
    local n=$1 a=$2
    shift 2
    run --separate-stderr "$JAIL" -c name="$n" path="$DEB_TREE" host.hostname="$n" \
        ip4.addr="$a" exec.init=/sbin/init exec.consolelog="$LJT_TMP/$n.console" \
        stop.timeout=30 "$@"
    assert_success
}

console_has() {
    grep -qF "$2" "$LJT_TMP/$1.console"
}

running_in() {
    "$JEXEC" "$1" pidof "$2" >/dev/null 2>&1
}

# live ljail-console relays writing NAME's console log
relays_of() {
    local p
    for p in $(pgrep -x ljail-console); do
        [ "$(awk '/^State:/ { print $2 }' "/proc/$p/status" 2>/dev/null)" = Z ] && continue
        ls -l "/proc/$p/fd" 2>/dev/null | grep -qF "$LJT_TMP/$1.console" && echo "$p"
    done
    return 0
}

@test "sysvinit is PID 1: runlevel 2, a getty on /dev/console, the services of rc 2 run" {
    n=$(jname)
    boot_init "$n" 10.77.201.2
    run "$JEXEC" "$n" cat /proc/1/comm
    assert_output "init"
    wait_until 20 running_in "$n" sshd || fail "sshd did not start"
    wait_until 20 running_in "$n" cron || fail "cron did not start"
    run "$JEXEC" "$n" runlevel
    assert_output "N 2"
    # sysvinit starts the respawn entries (the gettys) once the "wait" entry rc 2 is done,
    # which may be after sshd and cron run
    wait_until 20 running_in "$n" getty || fail "no getty started"
    run "$JEXEC" "$n" sh -c 'pgrep -a getty'
    assert_output_contains "console"
    run "$JEXEC" "$n" sh -c 'test -c /dev/console && tty </dev/console'
    assert_output "/dev/console"
    # the console reaches the host's log: sysvinit's own messages and the getty's prompt
    wait_until 10 console_has "$n" "login:" || { cat "$LJT_TMP/$n.console" >&2; fail "no login prompt on the console"; }
    console_has "$n" "INIT: Entering runlevel: 2" || fail "no runlevel message on the console"
    # each jail has made its own ssh host keys at its first boot
    run "$JEXEC" "$n" sh -c 'ls /etc/ssh/ssh_host_*_key | wc -l'
    [ "$output" -ge 1 ] || fail "no ssh host key"
    [ -n "$(relays_of "$n")" ] || fail "no ljail-console process holds the console"
    sleep 2
    running_in "$n" sshd || fail "sshd is gone two seconds later"
}

@test "jail -r: the init shuts the jail down on SIGPWR within stop.timeout; nothing is left" {
    n=$(jname)
    boot_init "$n" 10.77.201.3
    wait_until 20 running_in "$n" sshd || fail "sshd did not start"
    local t=$SECONDS
    run --separate-stderr timeout 60 "$JAIL" -r "$n"
    local took=$((SECONDS - t))
    assert_success
    [ "$took" -lt 30 ] || fail "jail -r took $took s: the init did not shut down on its own"
    # rc 0 ran through to halt
    console_has "$n" "Asking all remaining processes to terminate" || { cat "$LJT_TMP/$n.console" >&2; fail "rc 0 did not run"; }
    console_has "$n" "Will now halt" || fail "rc 0 did not reach halt"
    not listed "$n" || fail "$n still listed"
    [ -z "$(state_files)" ] || fail "state files left: $(state_files)"
    [ -z "$(cgroup_dirs "$n")" ] || fail "cgroups left: $(cgroup_dirs "$n")"
    wait_until 5 test -z "$(relays_of "$n")" || fail "the console relay outlived the jail"
    [ -z "$(procs_rooted_in "$DEB_TREE")" ] || fail "processes left: $(procs_rooted_in "$DEB_TREE")"
}

@test "shutdown -h now and reboot inside end just that jail" {
    a=$(jname a)
    b=$(jname b)
    boot_init "$a" 10.77.201.4
    boot_init "$b" 10.77.201.5
    wait_until 20 running_in "$a" cron || fail "cron did not start in $a"
    run "$JEXEC" "$a" shutdown -h now
    wait_until 30 not listed "$a" || fail "$a still runs after shutdown -h now"
    console_has "$a" "Will now halt" || fail "$a did not halt"
    listed "$b" || fail "$b went down with $a"
    running_in "$b" cron || wait_until 20 running_in "$b" cron || fail "cron is not running in $b"
    run "$JEXEC" "$b" reboot
    wait_until 30 not listed "$b" || fail "$b still runs after reboot"
    [ -z "$(state_files)" ] || fail "state files left: $(state_files)"
    [ -z "$(procs_rooted_in "$DEB_TREE")" ] || fail "processes left: $(procs_rooted_in "$DEB_TREE")"
}

@test "bad input: an init that cannot run, a relative path, an unknown signal: nothing made" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$DEB_TREE" exec.init=/sbin/no-such-init
    assert_status 1
    assert_stderr "jail: exec.init: /sbin/no-such-init: No such file or directory"
    run --separate-stderr "$JAIL" -c name="$n" path="$DEB_TREE" exec.init=sbin/init
    assert_status 1
    assert_stderr "jail: exec.init: not an absolute path: \"sbin/init\""
    run --separate-stderr "$JAIL" -c name="$n" path="$DEB_TREE" exec.init=/sbin/init stop.signal=SIGNOPE
    assert_status 1
    assert_stderr "jail: stop.signal: unknown signal \"SIGNOPE\""
    [ -z "$(state_files)" ] || fail "state files left: $(state_files)"
    [ -z "$(cgroup_dirs "$n")" ] || fail "cgroups left"
}
