#!/usr/bin/env bats
# jail.conf hooks through `jail -f`: the order of every hook (FreeBSD's startcommands[] and
# stopcommands[]), the environment of host and in-jail hooks, exec.clean, exec.consolelog,
# exec.jail_user and exec.system_jail_user, exec.timeout, the shell-or-exec rule and the
# trailing '&' (reference 2.8-2.12).

LJT_TAG=ho
load conf_helpers

@test "every hook runs once, in FreeBSD's order, on create and on remove" {
    n=$(jname)
    f=$(fixture hooks-order.conf "$n")
    runj -f "$f" -c "$n"
    assert_success
    assert_stderr ""
    assert_output "exec.prepare
exec.prestart
$n: created
exec.created
exec.start
command
exec.poststart"
    assert_running "$n"
    runj -f "$f" -r "$n"
    assert_success
    assert_stderr ""
    assert_output "exec.prestop
exec.stop
$n: removed
exec.poststop
exec.release"
    assert_gone "$n"
}

@test "-q drops created/removed but not the hooks' output" {
    n=$(jname)
    f=$(fixture hooks-order.conf "$n")
    runj -f "$f" -qc "$n"
    assert_success
    assert_output "exec.prepare
exec.prestart
exec.created
exec.start
command
exec.poststart"
    runj -f "$f" -qr "$n"
    assert_success
    assert_output "exec.prestop
exec.stop
exec.poststop
exec.release"
}

@test "-v announces each command, host and in-jail, before its output" {
    n=$(jname)
    f=$(fixture hooks-order.conf "$n")
    runj -f "$f" -v -c "$n"
    assert_success
    assert_lines_in_order "$n: run command: echo exec.prepare" exec.prepare \
        "$n: run command: echo exec.prestart" exec.prestart "$n: created" \
        "$n: run command: echo exec.created" exec.created \
        "$n: run command in jail: echo exec.start" exec.start \
        "$n: run command in jail: echo command" command \
        "$n: run command: echo exec.poststart" exec.poststart
    runj -f "$f" -v -r "$n"
    assert_success
    assert_lines_in_order "$n: run command: echo exec.prestop" exec.prestop \
        "$n: run command in jail: echo exec.stop" exec.stop "$n: removed" \
        "$n: run command: echo exec.poststop" exec.poststop \
        "$n: run command: echo exec.release" exec.release
}

@test "each value of a hook list runs in order; an empty command is skipped" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    exec.prestart = "echo one", '', "echo two";
    exec.prestart += "echo three";
    exec.start = "echo in1", "echo in2";
}
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_output "one
two
three
in1
in2"
}

@test "host hooks get JID, JNAME and JPATH; in-jail hooks do not" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    exec.created = "env | grep -E '^J(ID|NAME|PATH)=' | sort | sed 's/^/created:/'";
    exec.start = "env | grep -E '^J(ID|NAME|PATH)=' | sed 's/^/start:/'; true";
    command = "env | grep -E '^J(ID|NAME|PATH)=' | sed 's/^/command:/'; true";
    exec.poststart = "env | grep -E '^J(ID|NAME|PATH)=' | sort | sed 's/^/poststart:/'";
    exec.prestop = "env | grep -E '^J(ID|NAME|PATH)=' | sort | sed 's/^/prestop:/'";
    exec.stop = "env | grep -E '^J(ID|NAME|PATH)=' | sed 's/^/stop:/'; true";
    exec.poststop = "env | grep -E '^J(ID|NAME|PATH)=' | sort | sed 's/^/poststop:/'";
}
END
)
    runj -f "$f" -qc "$n"
    assert_success
    jid=$(jid_of "$n")
    assert_output "created:JID=$jid
created:JNAME=$n
created:JPATH=$LJT_ROOT
poststart:JID=$jid
poststart:JNAME=$n
poststart:JPATH=$LJT_ROOT"
    runj -f "$f" -qr "$n"
    assert_success
    assert_output "prestop:JID=$jid
prestop:JNAME=$n
prestop:JPATH=$LJT_ROOT
poststop:JID=$jid
poststop:JNAME=$n
poststop:JPATH=$LJT_ROOT"
}

@test "host hooks before the jail exists get JNAME and JPATH" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    exec.prepare = 'echo "prepare:\$JNAME:\$JPATH"';
    exec.prestart = 'echo "prestart:\$JNAME:\$JPATH"';
}
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_output "prepare:$n:$LJT_ROOT
prestart:$n:$LJT_ROOT"
}

@test "exec.clean: host hooks get no JID/JNAME/JPATH, in-jail hooks a clean login environment" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.clean;
    exec.poststart = "env | grep -c '^J' | sed 's/^/poststart J vars:/'; true";
    exec.start = "env | grep -v -e '^SHLVL=' -e '^PWD=' -e '^_=' | sort | sed 's/^/jail:/'; pwd";
}
END
)
    TERM=xterm FOO=bar runj -f "$f" -qc "$n"
    assert_success
    assert_output "jail:HOME=/root
jail:PATH=/bin:/usr/bin
jail:SHELL=/bin/sh
jail:TERM=xterm
jail:USER=root
/root
poststart J vars:0"
}

@test "exec.clean: host hooks get TERM, PATH and the login variables of the host user, in its home" {
    n=$(jname)
    IFS=: read -r _ _ _ _ _ home shell < <(getent passwd "$(id -un)")
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.clean;
    exec.prestart = "env | grep -v -e '^SHLVL=' -e '^PWD=' -e '^_=' -e '^OLDPWD=' | sort | sed 's/^/host:/'; pwd";
}
END
)
    cd /tmp
    TERM=xterm FOO=bar runj -f "$f" -qc "$n"
    assert_success
    assert_output "host:HOME=$home
host:PATH=/bin:/usr/bin
host:SHELL=${shell:-/bin/sh}
host:TERM=xterm
host:USER=$(id -un)
$home"
}

@test "in-jail hooks run inside the jail, at its /, as jail root" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    exec.start = "pwd; id -u; test -x /bin/probe && echo root-is-jail";
    exec.prestart = "echo host-cwd-is-not-checked";
}
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_output "host-cwd-is-not-checked
/
0
root-is-jail"
    # the start hook ran in the jail's pid namespace: same view as jexec
    run "$JEXEC" "$n" /bin/probe pids
    assert_success
}

@test "exec.consolelog gets in-jail output (stdout and stderr, appended), not host hooks' output" {
    n=$(jname)
    log="$BATS_TEST_TMPDIR/console.log"
    echo "earlier line" >"$log"
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.consolelog = "$log";
    exec.prestart = "echo host-prestart";
    exec.start = "echo in-start; echo in-start-err >&2";
    command = "echo in-command";
    exec.poststart = "echo host-poststart";
    exec.stop = "echo in-stop";
    exec.poststop = "echo host-poststop";
}
END
)
    runj -f "$f" -c "$n"
    assert_success
    assert_output "host-prestart
$n: created
host-poststart"
    assert_stderr ""
    runj -f "$f" -r "$n"
    assert_success
    assert_output "$n: removed
host-poststop"
    assert_eq "$(cat "$log")" "earlier line
in-start
in-start-err
in-command
in-stop" "console log"
}

@test "exec.consolelog is created when missing" {
    n=$(jname)
    log="$BATS_TEST_TMPDIR/new.log"
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.consolelog = "$log"; exec.start = "echo hello"; }
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_output ""
    assert_eq "$(cat "$log")" hello "console log"
}

@test "exec.jail_user: in-jail hooks run as that user of the jail's passwd; host hooks stay root" {
    getent passwd alice >/dev/null && skip "the host has a user alice: the test needs a jail-only user"
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.jail_user = alice;
    exec.prestart = "id -u";
    exec.start = 'id -u; id -g; id -un; echo "\$HOME \$USER \$SHELL"';
    exec.stop = "id -u";
    exec.poststop = "id -u";
}
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_output "0
1000
1000
alice
/home/alice alice /bin/sh"
    runj -f "$f" -qr "$n"
    assert_success
    assert_output "1000
0"
}

@test "exec.jail_user with exec.clean starts in the user's home" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.jail_user = alice; exec.clean;
    exec.start = 'pwd; id -u; echo "\$HOME"';
}
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_output "/home/alice
1000
/home/alice"
}

@test "exec.system_jail_user looks the user up in the host's passwd, not the jail's" {
    getent passwd nobody >/dev/null || skip "the host has no user nobody"
    IFS=: read -r _ _ nuid _ < <(getent passwd nobody)
    grep -q '^nobody:' "$LJT_ROOT/etc/passwd" && skip "the test root has a user nobody"
    n=$(jname)
    n2=$(jname b)
    f=$(conf j.conf <<END
path = "@ROOT@"; persist; exec.start = "id -u";
$n { exec.jail_user = nobody; exec.system_jail_user; }
$n2 { exec.jail_user = nobody; }
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_output "$nuid"
    # without exec.system_jail_user the jail's passwd is used, which has no nobody
    runj -f "$f" -qc "$n2"
    assert_status 1
    assert_stderr_contains "nobody"
    assert_gone "$n2"
}

@test "an unknown exec.jail_user fails the creation and removes the jail" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.jail_user = nosuchuser; exec.start = "true"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_stderr_contains "$n: "
    assert_stderr_contains "nosuchuser"
    assert_gone "$n"
}

@test "exec.timeout: a host hook that runs too long fails with 'timed out', nothing is left" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.timeout = 1;
    exec.prestart = "sleep 5";
    exec.poststop = "echo poststop"; exec.release = "echo release";
}
END
)
    start=$SECONDS
    runjf -f "$f" -c "$n"
    assert_status 1
    [ $((SECONDS - start)) -lt 4 ] || fail "jail waited $((SECONDS - start)) s for a hook with exec.timeout=1"
    assert_stderr "jail: $n: sleep 5: timed out"
    assert_output ""
    assert_gone "$n"
}

@test "exec.timeout: an in-jail hook that runs too long fails with 'timed out', the jail is removed" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.timeout = 1; exec.start = "sleep 5"; }
END
)
    start=$SECONDS
    runj -f "$f" -c "$n"
    assert_status 1
    [ $((SECONDS - start)) -lt 4 ] || fail "jail waited $((SECONDS - start)) s for a hook with exec.timeout=1"
    assert_output "$n: created"
    assert_stderr "jail: $n: sleep 5: timed out"
    assert_gone "$n"
}

@test "exec.timeout: hooks that end in time are not affected" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.timeout = 3; exec.prestart = "sleep 0.2"; exec.start = "sleep 0.2"; }
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_running "$n"
}

@test "shell or exec: a command without shell characters is exec'd, split on whitespace" {
    n=$(jname)
    # '#' is not a shell character for jail(8): exec'd, it is an ordinary argument; through
    # sh it would start a comment
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    exec.prestart = "echo  host   #not-a-comment";
    exec.start = "echo jail #not-a-comment";
    exec.poststart = "FOO=1 true";
}
END
)
    runj -f "$f" -qc "$n"
    # "FOO=1 true" is exec'd: there is no program "FOO=1"
    assert_status 1
    assert_output "host #not-a-comment
jail #not-a-comment"
    assert_stderr_contains "$n: FOO=1 true: failed"
    assert_gone "$n"
}

@test "shell or exec: a command with a shell character runs with /bin/sh -c" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    exec.prestart = "echo a; echo b", "FOO=1 env | grep '^FOO='", 'echo \$((6*7))';
    exec.start = "echo c && echo d", "echo e | tr e E";
}
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_output "a
b
FOO=1
42
c
d
E"
}

@test "a trailing '&' runs a host command directly in the background, in its own session" {
    n=$(jname)
    out="$BATS_TEST_TMPDIR/bg.out"
    cat >"$BATS_TEST_TMPDIR/bg.sh" <<END
sleep 2
echo "\$\$ \$(cut -d' ' -f6 /proc/\$\$/stat)" >$out
END
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.prestart = "/bin/sh @TMP@/bg.sh &"; }
END
)
    start=$SECONDS
    runjf -f "$f" -qc "$n"
    assert_success
    [ $((SECONDS - start)) -lt 2 ] || fail "jail waited for a background command"
    [ ! -e "$out" ] || fail "the background command finished before jail returned"
    wait_until 10 test -s "$out" || fail "the background command did not run"
    read -r pid sid <"$out"
    # exec'd directly (no sh -c around it) and setsid: the script's shell leads its session
    assert_eq "$sid" "$pid" "session of the background command"
}

@test "a '&' that is not trailing is a shell character" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.prestart = "echo a & wait; echo b"; }
END
)
    runj -f "$f" -qc "$n"
    assert_success
    assert_output "a
b"
}

@test "a trailing '&' in exec.start: the jail is created at once and lives as long as the command" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; exec.start = "sleep 3 &"; }
END
)
    start=$SECONDS
    runjf -f "$f" -c "$n"
    assert_success
    [ $((SECONDS - start)) -lt 2 ] || fail "jail waited for a background exec.start"
    assert_running "$n"
    wait_until 12 not listed "$n" || fail "jail $n still listed after its background exec.start ended"
    wait_until 3 test -z "$(cgroup_dirs "$n")" || fail "cgroups of $n left"
}

@test "a host hook that does not exist: exit 1, nothing created, nothing left" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.prestart = "/no/such/hook";
    mount = "tmpfs @ROOT@/mnt/$n tmpfs rw 0 0";
    exec.poststop = "echo poststop"; exec.release = "echo release"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_output ""
    assert_stderr_contains "$n: /no/such/hook: failed"
    assert_gone "$n"
}

@test "an in-jail hook that does not exist: exit 1, the jail is removed" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.start = "/no/such/hook"; exec.poststop = "echo poststop"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_output "$n: created"
    assert_stderr_contains "$n: /no/such/hook: failed"
    assert_gone "$n"
}

@test "a hook killed by a signal: 'exited on signal N'" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.prestart = 'kill -TERM \$\$'; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_stderr "jail: $n: kill -TERM \$\$: exited on signal 15"
    assert_gone "$n"
}
