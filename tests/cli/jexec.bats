#!/usr/bin/env bats
# jexec(8): by name and jid, exit status, users (-u host, -U jail), -l, -d, descriptors,
# default shell, cgroup membership, and jexec at once after jail -c.

LJT_TAG=jx
load helpers

setup_file() {
    common_setup_file
    export JXJAIL="bt${LJT_TAG}${LJT_RUN:-0}-shared"
    [ -z "${LJT_NOT_ROOT:-}" ] || return 0
    "$JAIL" -c name="$JXJAIL" path="$LJT_ROOT" persist host.hostname=jxhost
}
teardown_file() {
    "$JAIL" -r "$JXJAIL" >/dev/null 2>&1 || true
    common_teardown_file
}

# the tests below share the jail made in setup_file; teardown must not count it as a leftover
# (its state file and its name link: registry.h)
state_files() {
    local f sf
    [ -d "$LJAIL_RUNDIR" ] || return 0
    sf=$(state_file_of_shared)
    for f in $(find "$LJAIL_RUNDIR" -mindepth 1 ! -name lock ! -name lastjid ! -name next_jid \
        ! -name 'policy.*' 2>/dev/null); do
        case "$f" in
        "$sf" | "$LJAIL_RUNDIR/name.$JXJAIL") ;;
        *) echo "$f" ;;
        esac
    done
}
state_file_of_shared() {
    local f
    for f in $(find "$LJAIL_RUNDIR" -mindepth 1 -type f ! -name lock ! -name lastjid ! -name next_jid \
        ! -name 'policy.*' 2>/dev/null); do
        if jq -e --arg n "$JXJAIL" '.name == $n' "$f" >/dev/null 2>&1; then
            echo "$f"
        fi
    done
}

@test "the shared jail is running" {
    run --separate-stderr "$JLS" -j "$JXJAIL" name
    assert_success
    assert_output "$JXJAIL"
}

@test "jexec J hostname" {
    run --separate-stderr "$JEXEC" "$JXJAIL" hostname
    assert_success
    assert_output "jxhost"
    assert_stderr ""
    run --separate-stderr "$JEXEC" "$JXJAIL" /bin/probe hostname
    assert_success
    assert_output "jxhost"
}

@test "jexec by jid" {
    jid=$(jid_of "$JXJAIL")
    run --separate-stderr "$JEXEC" "$jid" /bin/probe hostname
    assert_success
    assert_output "jxhost"
}

@test "jexec propagates the exit status" {
    for s in 0 1 42 255; do
        run --separate-stderr "$JEXEC" "$JXJAIL" /bin/probe exit "$s"
        assert_status "$s"
    done
    run --separate-stderr "$JEXEC" "$JXJAIL" /bin/sh -c 'kill -9 $$'
    assert_status 137
}

@test "jexec runs as jail root by default" {
    run --separate-stderr "$JEXEC" "$JXJAIL" /bin/probe ids
    assert_success
    [[ "$output" == "uid=0 gid=0 euid=0 egid=0 groups="* ]] || { show_run; fail "not jail root"; }
}

@test "jexec -U alice takes the user from the jail's passwd" {
    run --separate-stderr "$JEXEC" -U alice "$JXJAIL" /bin/probe ids
    assert_success
    assert_output "uid=1000 gid=1000 euid=1000 egid=1000 groups=1000"
}

@test "jexec -U of a user missing from the jail's passwd fails" {
    getent passwd nobody >/dev/null || skip "the host has no user nobody"
    run --separate-stderr "$JEXEC" -U nobody "$JXJAIL" /bin/probe ids
    assert_status 1
    assert_output ""
    [[ "$stderr" == "jexec: "* ]] || { show_run; fail "stderr does not start with 'jexec: '"; }
}

@test "jexec -u takes the user from the host's passwd" {
    IFS=: read -r _ _ uid gid _ < <(getent passwd nobody) || skip "the host has no user nobody"
    run --separate-stderr "$JEXEC" -u nobody "$JXJAIL" /bin/probe ids
    assert_success
    assert_output "uid=$uid gid=$gid euid=$uid egid=$gid groups=$(id -G nobody | tr ' ' ,)"
    if ! getent passwd alice >/dev/null; then
        run --separate-stderr "$JEXEC" -u alice "$JXJAIL" /bin/probe ids
        assert_status 1
        assert_output ""
    fi
}

@test "jexec -u and -U together is a usage error" {
    run --separate-stderr "$JEXEC" -u root -U root "$JXJAIL" /bin/probe ids
    assert_status 1
    assert_output ""
    assert_stderr_contains "usage: jexec"
}

@test "jexec without a jail is a usage error" {
    run --separate-stderr "$JEXEC"
    assert_status 1
    assert_stderr_contains "usage: jexec"
}

@test "jexec keeps the environment; the working directory is the jail root" {
    run --separate-stderr env FOO=bar "$JEXEC" "$JXJAIL" /bin/probe env
    assert_success
    assert_output_line "FOO=bar"
    run --separate-stderr bash -c 'cd /tmp && exec "$0" "$1" /bin/probe cwd' "$JEXEC" "$JXJAIL"
    assert_success
    assert_output "/"
}

@test "jexec -d sets the working directory" {
    run --separate-stderr "$JEXEC" -d /tmp "$JXJAIL" /bin/probe cwd
    assert_success
    assert_output "/tmp"
}

@test "jexec -l -U alice: clean environment and home directory" {
    run --separate-stderr env -i FOO=bar TERM=xterm-test PATH="$PATH" LJAIL_RUNDIR="$LJAIL_RUNDIR" \
        "$JEXEC" -l -U alice "$JXJAIL" /bin/probe env
    assert_success
    for l in HOME=/home/alice SHELL=/bin/sh USER=alice TERM=xterm-test; do
        assert_output_line "$l"
    done
    # FreeBSD sets PATH=/bin:/usr/bin, then the login class may replace it: any clean PATH
    path=$(grep '^PATH=' <<<"$output")
    [[ ":${path#PATH=}:" == *:/bin:* ]] || { show_run; fail "-l: PATH lacks /bin"; }
    [ "${path#PATH=}" != "$PATH" ] || { show_run; fail "-l kept the caller's PATH"; }
    [[ "$output" != *FOO=* ]] || { show_run; fail "-l kept FOO"; }
    run --separate-stderr "$JEXEC" -l -U alice "$JXJAIL" /bin/probe cwd
    assert_success
    assert_output "/home/alice"
    run --separate-stderr "$JEXEC" -l -U alice -d /tmp "$JXJAIL" /bin/probe cwd
    assert_success
    assert_output "/tmp"
}

@test "jexec closes every descriptor but 0, 1 and 2" {
    exec 7</dev/null 200</dev/null
    run --separate-stderr "$JEXEC" "$JXJAIL" /bin/probe fds
    exec 7<&- 200<&-
    assert_success
    assert_output ""
}

@test "jexec with no command runs \$SHELL -i" {
    run --separate-stderr bash -c 'printf "/bin/probe hostname\nexit 7\n" | SHELL=/bin/sh "$0" "$1"' \
        "$JEXEC" "$JXJAIL"
    assert_status 7
    # an interactive busybox sh prints its prompt on stdout: "/ # jxhost"
    assert_output_contains "jxhost"
}

@test "jexec of an unknown jail: not found, exit 1" {
    run --separate-stderr "$JEXEC" "bt${LJT_TAG}nosuch" /bin/probe hostname
    assert_status 1
    assert_output ""
    assert_stderr_contains "not found"
    run --separate-stderr "$JEXEC" 999999 /bin/probe hostname
    assert_status 1
    assert_stderr_contains "not found"
}

@test "a jexec'd process is in the jail's cgroups and is not host root" {
    "$JEXEC" "$JXJAIL" /bin/probe sleep 60 3>&- &
    jx=$!
    wait_until 5 descendant_running "$jx" "/bin/probe sleep 60" ||
        fail "no descendant of jexec ($jx) runs /bin/probe sleep 60"
    pid=$(descendant_running "$jx" "/bin/probe sleep 60")
    dirs=$(cgroup_dirs "$JXJAIL")
    [ -n "$dirs" ] || fail "no cgroup for $JXJAIL"
    for d in $dirs; do
        grep -qx "$pid" "$d/cgroup.procs" || fail "pid $pid not in $d/cgroup.procs"
    done
    uid=$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)
    [ "$uid" -ne 0 ] || fail "jailed root is host uid 0"
    kill "$jx" "$pid" 2>/dev/null || true
    wait "$jx" || true
}

@test "jexec at once after jail -c sees the hostname, 50 times" {
    for k in $(seq 1 50); do
        n=$(jname "x$k")
        run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist host.hostname="h$k.example"
        assert_success
        run --separate-stderr "$JEXEC" "$n" /bin/probe hostname
        [ "$status" -eq 0 ] && [ "$output" = "h$k.example" ] || { show_run; fail "round $k: jexec right after jail -c"; }
        run --separate-stderr "$JAIL" -r "$n"
        assert_success
    done
}
