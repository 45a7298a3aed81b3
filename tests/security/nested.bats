#!/usr/bin/env bats
# Jails inside jails (issue 5, reference freebsd-jail.md 8.2 `nested` and 8.4): children.max
# lets jail(8) run inside a jail create jails beneath it, named parent.child on the host, with
# FreeBSD's messages at the limit and when it is 0; the limit is the kernel's (the jail's
# user.max_user_namespaces), which the jail can neither bypass nor raise.
#
# The parent jails see the host's libraries and the jail, jls and jexec under test read-only in
# /usr/lib, /usr/lib64 and /usr/local/sbin, as a Debian jail would have its own.

LJT_TAG=sn
load ../cli/helpers
load sec_helpers

setup_file() {
    sec_setup_file || return 1
    [ -z "${LJT_NOT_ROOT:-}" ] || return 0
    ln -sfn usr/lib "$LJT_ROOT/lib"
    ln -sfn usr/lib64 "$LJT_ROOT/lib64"
    mkdir -p "$LJT_ROOT/usr/lib" "$LJT_ROOT/usr/lib64" "$LJT_ROOT/usr/local/sbin"
}
teardown_file() { common_teardown_file; }

# parent NAME PARAMS...: a persistent jail with the tools under test inside
parent() {
    local n=$1
    shift
    run "$JAIL" -c name="$n" path="$LJT_ROOT" persist \
        "mount=/usr/lib $LJT_ROOT/usr/lib nullfs ro" \
        "mount=/usr/lib64 $LJT_ROOT/usr/lib64 nullfs ro" \
        "mount=$LJAIL_BIN $LJT_ROOT/usr/local/sbin nullfs ro" "$@"
    [ "$status" -eq 0 ] || { show_run; fail "creating $n"; }
}

# inside PARENT CMD...: CMD run as the parent's root, with the parent's own registry
inside() {
    local p=$1
    shift
    run --separate-stderr "$JEXEC" "$p" env -u LJAIL_RUNDIR "$@" </dev/null
}

@test "FreeBSD nested: children.max=1 allows one jail inside, the second is 'prison limit exceeded'" {
    b=$(jname b)
    parent "$b" children.max=1 ip4.addr=10.231.0.1
    inside "$b" jail -c name=nestedjail path=/ persist ip4.addr=10.231.0.1
    [ "$status" -eq 0 ] || { show_run; fail "the first nested jail was refused"; }
    [ -z "$output" ] || fail "a command-line nested create printed: $output"
    inside "$b" jail -c name=nestedjail2 path=/ persist
    [ "$status" -eq 1 ] || { show_run; fail "the second nested jail was not refused"; }
    [ "$stderr" = "jail: prison limit exceeded" ] || fail "stderr: '$stderr'"
    # nothing of the refused one is left in the parent's registry
    inside "$b" jls name
    [ "$output" = "nestedjail" ] || fail "the parent lists: $output"
    # the host: parent.child, children.cur, parent
    run "$JLS" -j "$b" children.cur children.max
    [ "$output" = "1 1" ] || fail "host jls -j $b children.cur children.max: $output"
    run "$JLS" -j "$b.nestedjail" name parent path
    [ "$output" = "$b.nestedjail $("$JLS" -j "$b" jid) $LJT_ROOT" ] || fail "host jls: $output"
    run "$JLS" -N
    [[ "$output" == *" $b.nestedjail "* ]] || fail "jls -N does not list $b.nestedjail: $output"
}

@test "FreeBSD nested: children.max=0 gives 'jail_set: Operation not permitted' and makes nothing" {
    b=$(jname z)
    parent "$b"
    inside "$b" jail -c name=nestedjail path=/ persist
    [ "$status" -eq 1 ] || { show_run; fail "a jail with children.max=0 created a jail"; }
    [ "$stderr" = "jail: jail_set: Operation not permitted" ] || fail "stderr: '$stderr'"
    run "$JEXEC" "$b" sh -c 'ls /run/ljail 2>/dev/null | grep -c json || true'
    [ "$output" = "0" ] || fail "state left inside: $output"
    # no nesting mounts, no user namespaces
    run "$JEXEC" "$b" sh -c 'test -e /dev/.ljail && echo yes || echo no'
    [ "$output" = "no" ] || fail "/dev/.ljail exists without children.max"
    run "$JEXEC" "$b" cat /proc/sys/user/max_user_namespaces
    [ "$output" = "0" ] || fail "user.max_user_namespaces: $output"
    run "$JEXEC" "$b" unshare -U true
    [ "$status" -ne 0 ] || fail "a user namespace was made"
    [[ "$output" == *"Operation not permitted"* ]] || fail "unshare: $output"
    # a jail made without children cannot be given any later
    run "$JAIL" -m name="$b" children.max=1
    [ "$status" -eq 1 ] || fail "jail -m children.max=1 accepted"
    [[ "$output" == *"children.max cannot be raised from 0 after creation"* ]] || fail "$output"
}

@test "the limit is the kernel's: jail root can neither go around jail(8) nor raise it" {
    b=$(jname k)
    parent "$b" children.max=1
    run "$JEXEC" "$b" cat /proc/sys/user/max_user_namespaces
    [ "$output" = "1" ] || fail "user.max_user_namespaces: $output"
    inside "$b" jail -c name=one path=/ persist
    [ "$status" -eq 0 ] || { show_run; fail "nested create"; }
    # a second user namespace without jail(8): the kernel's ENOSPC
    run "$JEXEC" "$b" unshare -U true
    [ "$status" -ne 0 ] || fail "a second user namespace was made"
    [[ "$output" == *"No space left on device"* ]] || fail "unshare: $output"
    # the limit cannot be raised: /proc/sys and the nesting procfs are read-only, and every
    # procfs the jail may mount is read-only too
    run "$JEXEC" "$b" sh -c 'echo 100 > /proc/sys/user/max_user_namespaces'
    [ "$status" -ne 0 ] || fail "/proc/sys/user/max_user_namespaces was writable"
    run "$JEXEC" "$b" sh -c 'echo 100 > /dev/.ljail/proc/sys/user/max_user_namespaces'
    [ "$status" -ne 0 ] || fail "the nesting procfs was writable"
    run "$JEXEC" "$b" sh -c 'mkdir -p /tmp/p && mount -t proc proc /tmp/p'
    [ "$status" -ne 0 ] || fail "jail root mounted a writable procfs"
    run "$JEXEC" "$b" cat /proc/sys/user/max_user_namespaces
    [ "$output" = "1" ] || fail "user.max_user_namespaces changed: $output"
    # jail -m moves the kernel's limit: one more jail fits, then none
    run "$JAIL" -m name="$b" children.max=2
    [ "$status" -eq 0 ] || { show_run; fail "jail -m children.max=2"; }
    run "$JLS" -j "$b" children.max
    [ "$output" = "2" ] || fail "jls children.max: $output"
    inside "$b" jail -c name=two path=/ persist
    [ "$status" -eq 0 ] || { show_run; fail "create after raising the limit"; }
    inside "$b" jail -c name=three path=/ persist
    [ "$stderr" = "jail: prison limit exceeded" ] || fail "third child: $stderr"
}

@test "a jail inside a jail is its own; jexec and jail -r of parent.child work from the host" {
    b=$(jname p)
    parent "$b" children.max=2 ip4.addr=10.231.1.1
    inside "$b" jail -c name=in path=/ persist host.hostname=inner ip4.addr=10.231.1.2
    [ "$status" -eq 0 ] || { show_run; fail "nested create"; }
    run "$JEXEC" "$b.in" hostname
    [ "$output" = "inner" ] || { show_run; fail "jexec $b.in hostname: $output"; }
    # its own PID namespace: the parent's processes are not there
    "$JEXEC" "$b" sleep 300 </dev/null >/dev/null 2>&1 &
    sleep 0.3
    run "$JEXEC" "$b.in" sh -c 'cat /proc/1/comm; cat /proc/[0-9]*/comm | grep -c sleep'
    [ "$output" = "ljail-init"$'\n'"0" ] || fail "the nested jail sees: $output"
    # its own address, and its parent's filter stays beneath its own
    run "$JEXEC" "$b.in" sh -c 'ip -4 -o addr show eth0'
    [[ "$output" == *"10.231.1.2/32"* ]] || fail "eth0: $output"
    run "$JEXEC" "$b.in" sh -c 'grep Seccomp_filters /proc/self/status'
    n=${output##*:}
    [ "$n" -ge 2 ] || fail "Seccomp_filters in the nested jail: $output"
    # its procfs is read-only: nothing of the parent's limits becomes writable there
    run "$JEXEC" "$b.in" sh -c 'grep " /proc proc " /proc/mounts'
    [[ "$output" == *" ro,"* ]] || fail "the nested /proc: $output"
    run "$JEXEC" "$b.in" sh -c 'exit 7'
    [ "$status" -eq 7 ] || fail "exit status through the parent: $status"
    # removed by its host name, its processes asked with SIGTERM first; then the limit is free
    rm -f "$LJT_ROOT/tmp/nested-term"
    "$JEXEC" "$b.in" sh -c 'trap "echo term > /tmp/nested-term; exit 0" TERM; while :; do sleep 0.1; done' \
        </dev/null >/dev/null 2>&1 &
    sleep 0.5
    run "$JAIL" -r "$b.in"
    [ -e "$LJT_ROOT/tmp/nested-term" ] || fail "the nested jail's process got no SIGTERM"
    rm -f "$LJT_ROOT/tmp/nested-term"
    [ "$status" -eq 0 ] || { show_run; fail "jail -r $b.in"; }
    run "$JLS" -j "$b" children.cur
    [ "$output" = "0" ] || fail "children.cur after removal: $output"
    inside "$b" jail -c name=in2 path=/ persist
    [ "$status" -eq 0 ] || { show_run; fail "create after removal"; }
    inside "$b" jail -c name=in3 path=/ persist
    [ "$status" -eq 0 ] || { show_run; fail "create of the second child"; }
    run "$JLS" -j "$b" children.cur
    [ "$output" = "2" ] || fail "children.cur: $output"
    # jail -r of the parent takes every jail beneath it: nothing rooted in the tree is left
    run "$JAIL" -r "$b"
    [ "$status" -eq 0 ] || { show_run; fail "jail -r $b"; }
    for i in $(seq 50); do
        left=$(procs_rooted_in "$LJT_ROOT")
        [ -z "$left" ] && break
        sleep 0.1
    done
    [ -z "$left" ] || fail "processes left: $left"
}

@test "a jail's own registry can neither hang nor fool the host's jls" {
    b=$(jname f)
    parent "$b" children.max=2
    inside "$b" jail -c name=real path=/ persist
    [ "$status" -eq 0 ] || { show_run; fail "nested create"; }
    # a FIFO where a state file would be (an open for reading would wait for a writer), and
    # a forged entry whose name carries a terminal escape (written from the host through the
    # init's root, by jq)
    run "$JEXEC" "$b" mkfifo /run/ljail/77.json
    [ "$status" -eq 0 ] || { show_run; fail "mkfifo"; }
    local pid
    pid=$(jq -r .init_pid "$(state_file_of "$b")")
    jq '.jid = 78 | .name = "x\u001b[2Jx"' "/proc/$pid/root/run/ljail/1.json" \
        >"/proc/$pid/root/run/ljail/78.json" || fail "could not forge the entry"
    grep -q 'u001b' "/proc/$pid/root/run/ljail/78.json" || fail "the forged entry has no escape"
    run timeout 20 "$JLS" -N
    [ "$status" -eq 0 ] || { show_run; fail "host jls hung or failed (status $status)"; }
    [[ "$output" == *" $b.real "* ]] || fail "the real child is not listed: $output"
    [[ "$output" != *$'\e'* ]] || fail "an escape sequence from the jail reached the host's jls"
}

@test "bad input: children.max negative is refused, nothing made" {
    n=$(jname)
    run "$JAIL" -c name="$n" path="$LJT_ROOT" persist children.max=-1
    [ "$status" -eq 1 ] || fail "children.max=-1 accepted"
    [[ "$output" == *"children.max"* ]] || fail "message: $output"
    [ -z "$(state_files)" ] || fail "state left"
}
