#!/usr/bin/env bats
# jail(8): create, modify, remove, restart; command=; the old four-argument form; messages.

LJT_TAG=cr
load helpers

setup_file() { common_setup_file; }
teardown_file() { common_teardown_file; }

@test "jail -c of a persistent jail prints nothing and jls lists it" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" host.hostname=crhost persist
    assert_success
    assert_output ""
    assert_stderr ""
    run --separate-stderr "$JLS" -j "$n" name host.hostname path persist
    assert_success
    assert_output "$n crhost $LJT_ROOT true"
    [ -n "$(state_file_of "$n")" ] || fail "no state file for $n in $LJAIL_RUNDIR"
    [ -n "$(cgroup_dirs "$n")" ] || fail "no cgroup ljail/$n in any hierarchy"
}

@test "jail -vc prints NAME: created" {
    n=$(jname)
    run --separate-stderr "$JAIL" -vc name="$n" path="$LJT_ROOT" persist
    assert_success
    assert_output_line "$n: created"
}

@test "jail -ic prints only the jid, the one jls reports" {
    n=$(jname)
    run --separate-stderr "$JAIL" -ic name="$n" path="$LJT_ROOT" persist
    assert_success
    [[ "$output" =~ ^[1-9][0-9]*$ ]] || { show_run; fail "not a jid: '$output'"; }
    jid=$output
    run "$JLS" -j "$n" jid
    assert_output "$jid"
}

@test "jail -q -c prints nothing on stdout" {
    n=$(jname)
    run --separate-stderr "$JAIL" -q -c name="$n" path="$LJT_ROOT" persist
    assert_success
    assert_output ""
}

@test "host.hostname and host.domainname are seen inside the jail" {
    n=$(jname)
    mkjail "$n" host.hostname=web.example host.domainname=example.org
    run --separate-stderr "$JEXEC" "$n" /bin/probe hostname
    assert_success
    assert_output "web.example"
    run --separate-stderr "$JEXEC" "$n" /bin/probe domainname
    assert_success
    assert_output "example.org"
    run "$JLS" -j "$n" host.domainname
    assert_output "example.org"
}

@test "command= runs the command as jail root with the jail's stdio, then the jail is gone" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" host.hostname=cmdhost \
        command=/bin/probe hostname
    assert_success
    assert_output "cmdhost"
    wait_until 5 not listed "$n" || fail "jail $n still listed after its command exited"
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" command=/bin/probe ids
    assert_success
    [[ "$output" == "uid=0 gid=0 euid=0 egid=0 groups="* ]] || { show_run; fail "command not run as jail root"; }
    run --separate-stderr bash -c 'echo from-stdin | "$0" -c name="$1" path="$2" command=/bin/cat' \
        "$JAIL" "$n" "$LJT_ROOT"
    assert_success
    assert_output "from-stdin"
}

@test "everything after command= is the command's argv, even param=value words" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" command=/bin/probe echo persist \
        host.hostname=x 'two words' '' end
    assert_success
    assert_output "persist
host.hostname=x
two words

end"
    # persist was an argument, not a parameter: the jail is gone
    wait_until 5 not listed "$n" || fail "jail $n still listed: persist was taken as a parameter"
}

@test "a command that fails makes jail exit 1 with 'failed', and removes the jail" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist command=/bin/probe exit 3
    assert_status 1
    [[ "$stderr" =~ ^jail:\ .*:\ failed$ ]] || { show_run; fail "expected 'jail: ...: failed'"; }
    run --separate-stderr "$JLS" -j "$n"
    assert_status 1
    [ -z "$(state_file_of "$n")" ] || fail "state file of $n left"
}

@test "a command that does not exist: exit 1, nothing left" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" command=/bin/no-such-program
    assert_status 1
    [[ "$stderr" == "jail: "* ]] || { show_run; fail "stderr does not start with 'jail: '"; }
    run --separate-stderr "$JLS" -j "$n"
    assert_status 1
}

@test "persist plus command: the command runs and the jail stays" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist host.hostname=pc \
        command=/bin/probe hostname
    assert_success
    assert_output "pc"
    run "$JLS" -j "$n" name
    assert_success
    assert_output "$n"
}

# A start's only command and a start's RELEASE go to the init with the plan, before its READY
# (host/steps.cc early_message): what the command gets and what follows it must not change.
@test "the start's only command, sent with the plan: exec.consolelog and exec.timeout hold" {
    n=$(jname)
    log="$LJT_TMP/$n.log"
    start=$SECONDS
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" exec.timeout=1 \
        exec.consolelog="$log" command=/bin/sh -c 'echo out; echo err >&2; exec /bin/probe sleep 30'
    assert_status 1
    [[ "$stderr" == *"timed out"* ]] || { show_run; fail "expected 'timed out'"; }
    [ $((SECONDS - start)) -lt 5 ] || fail "jail waited $((SECONDS - start)) s with exec.timeout=1"
    [ "$(cat "$log")" = "$(printf 'out\nerr')" ] || fail "console log: $(cat "$log")"
    wait_until 5 not listed "$n" || fail "jail $n still listed after its command timed out"
    [ -z "$(state_file_of "$n")" ] || fail "state file of $n left"
}

@test "the start's only command, sent with the plan, runs before exec.poststart and is not the last" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist \
        exec.poststart="/bin/echo poststart" command=/bin/probe echo command
    assert_success
    assert_output "$(printf 'command\npoststart')"
    run "$JLS" -j "$n" name
    assert_success
    assert_output "$n"
}

@test "a persistent jail with nothing to run, released with the plan, is listed at once" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist
    assert_success
    assert_output ""
    # listed when jail(8) returns: no wait
    run "$JLS" -j "$n" name
    assert_success
    assert_output "$n"
    run "$JEXEC" "$n" /bin/probe echo inside
    assert_success
    assert_output "inside"
}

@test "jail -c without persist and without command leaves no jail behind" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT"
    # FreeBSD creates the jail and it dies at once; refusing it is also acceptable
    wait_until 5 not listed "$n" || fail "jail $n without persist or command is still listed"
}

@test "old form: jail PATH HOSTNAME IP COMMAND..." {
    run --separate-stderr "$JAIL" "$LJT_ROOT" oldhost "" /bin/probe hostname
    assert_success
    assert_output "oldhost"
    run --separate-stderr "$JAIL" "$LJT_ROOT" oldhost "" /bin/probe exit 4
    assert_status 1
    sleep 0.5
    run "$JLS"
    assert_output "   JID  IP Address      Hostname                      Path"
}

@test "jail -m changes the hostname of a running jail" {
    n=$(jname)
    mkjail "$n" host.hostname=before
    jid=$(jid_of "$n")
    run --separate-stderr "$JAIL" -m name="$n" host.hostname=after
    assert_success
    assert_stderr ""
    run "$JEXEC" "$n" /bin/probe hostname
    assert_output "after"
    run "$JLS" -j "$n" host.hostname jid
    assert_output "after $jid"
    run --separate-stderr "$JAIL" -vm name="$n" host.hostname=again host.domainname=dom.example
    assert_success
    assert_output_line "$n: updated"
    run "$JEXEC" "$n" /bin/probe domainname
    assert_output "dom.example"
    run "$JEXEC" "$n" /bin/probe hostname
    assert_output "again"
}

@test "jail -m by jid" {
    n=$(jname)
    mkjail "$n" host.hostname=before
    jid=$(jid_of "$n")
    run --separate-stderr "$JAIL" -m jid="$jid" host.hostname=byjid
    assert_success
    run "$JEXEC" "$n" /bin/probe hostname
    assert_output "byjid"
}

@test "jail -m refuses path: path cannot be changed after creation" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JAIL" -m name="$n" path=/tmp
    assert_status 1
    assert_stderr "jail: path cannot be changed after creation"
    run "$JLS" -j "$n" path
    assert_output "$LJT_ROOT"
}

@test "jail -m of a missing jail: \"x\" not found" {
    n=$(jname)
    run --separate-stderr "$JAIL" -m name="$n" host.hostname=x
    assert_status 1
    assert_stderr "jail: \"$n\" not found"
    [ -z "$(state_files)" ] || fail "jail -m of a missing jail left a state file"
}

@test "jail -r by name removes the jail quietly (no config file)" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JAIL" -r "$n"
    assert_success
    assert_output ""
    assert_stderr ""
    run --separate-stderr "$JLS" -j "$n"
    assert_status 1
    [ -z "$(cgroup_dirs "$n")" ] || fail "cgroup left after jail -r: $(cgroup_dirs "$n")"
}

@test "jail -r by jid" {
    n=$(jname)
    mkjail "$n"
    jid=$(jid_of "$n")
    run --separate-stderr "$JAIL" -r "$jid"
    assert_success
    run --separate-stderr "$JLS" -j "$n"
    assert_status 1
}

@test "jail -r with several targets prints NAME: removed for each" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a"
    mkjail "$b"
    run --separate-stderr "$JAIL" -r "$a" "$b"
    assert_success
    assert_output "$a: removed
$b: removed"
}

@test "jail -r '*' removes every jail" {
    a=$(jname a)
    b=$(jname b)
    c=$(jname c)
    mkjail "$a"
    mkjail "$b"
    mkjail "$c"
    run --separate-stderr "$JAIL" -r '*'
    assert_success
    output=$(sort <<<"$output")
    assert_output "$(printf '%s: removed\n' "$a" "$b" "$c" | sort)"
    run "$JLS"
    assert_output "   JID  IP Address      Hostname                      Path"
}

@test "jail -R removes a jail" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JAIL" -R "$n"
    assert_success
    run --separate-stderr "$JLS" -j "$n"
    assert_status 1
}

@test "jail -rc restarts the jail with the new parameters" {
    n=$(jname)
    mkjail "$n" host.hostname=first
    jid=$(jid_of "$n")
    run --separate-stderr "$JAIL" -rc name="$n" path="$LJT_ROOT" persist host.hostname=second
    assert_success
    run "$JLS" -j "$n" host.hostname
    assert_output "second"
    newjid=$(jid_of "$n")
    [ "$newjid" -gt "$jid" ] || fail "restarted jail got jid $newjid, not above the old $jid"
    run "$JEXEC" "$n" /bin/probe hostname
    assert_output "second"
}

@test "jail -cm creates a missing jail, then modifies it" {
    n=$(jname)
    run --separate-stderr "$JAIL" -cm name="$n" path="$LJT_ROOT" persist host.hostname=one
    assert_success
    jid=$(jid_of "$n")
    run "$JEXEC" "$n" /bin/probe hostname
    assert_output "one"
    run --separate-stderr "$JAIL" -cm name="$n" path="$LJT_ROOT" persist host.hostname=two
    assert_success
    run "$JLS" -j "$n" jid host.hostname
    assert_output "$jid two"
    run "$JEXEC" "$n" /bin/probe hostname
    assert_output "two"
}

@test "FreeBSD basic test sequence: -c, -r, -r JID, -cm, -rc with ip4.addr" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist ip4.addr=192.0.2.1
    assert_success
    run "$JLS"
    assert_success
    run "$JLS" -v
    assert_success
    run "$JLS" -n
    assert_success
    run --separate-stderr "$JAIL" -r "$n"
    assert_success
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist ip4.addr=192.0.2.1
    assert_success
    run --separate-stderr "$JAIL" -r "$(jid_of "$n")"
    assert_success
    run --separate-stderr "$JAIL" -cm name="$n" path="$LJT_ROOT" persist ip4.addr=192.0.2.1
    assert_success
    run --separate-stderr "$JAIL" -rc name="$n" path="$LJT_ROOT" persist ip4.addr=192.0.2.1
    assert_success
    run "$JLS" -j "$n" ip4.addr
    assert_output "192.0.2.1"
}

@test "jids increase: a new jail gets a jid above every earlier one" {
    a=$(jname a)
    b=$(jname b)
    c=$(jname c)
    d=$(jname d)
    mkjail "$a"
    mkjail "$b"
    mkjail "$c"
    ja=$(jid_of "$a") jb=$(jid_of "$b") jc=$(jid_of "$c")
    [ "$ja" -lt "$jb" ] && [ "$jb" -lt "$jc" ] || fail "jids not increasing: $ja $jb $jc"
    "$JAIL" -r "$b"
    mkjail "$d"
    jd=$(jid_of "$d")
    [ "$jd" -gt "$jc" ] || fail "jid $jd of a new jail is not above $jc"
    run "$JLS" jid
    assert_output "$ja
$jc
$jd"
}

@test "jail -J FILE writes the jid and parameters" {
    n=$(jname)
    run --separate-stderr "$JAIL" -J "$BATS_TEST_TMPDIR/jidfile" -c name="$n" path="$LJT_ROOT" persist
    assert_success
    jid=$(jid_of "$n")
    run head -n1 "$BATS_TEST_TMPDIR/jidfile"
    [[ "$output" == "jid=$jid"$'\t'"name=$n"$'\t'* ]] || { show_run; fail "jid file does not start with jid=$jid<TAB>name=$n<TAB>"; }
    [[ "$output" == *$'\t'"path=$LJT_ROOT"* ]] || fail "jid file lacks path=$LJT_ROOT"
}

@test "jail root can set its own hostname (allow.set_hostname is on by default)" {
    n=$(jname)
    mkjail "$n" host.hostname=orig
    run --separate-stderr "$JEXEC" "$n" /bin/probe sethostname changed
    assert_success
    run "$JEXEC" "$n" /bin/probe hostname
    assert_output "changed"
    [ "$(hostname)" != changed ] || fail "the host's hostname changed"
}

@test "a 255-byte name is accepted" {
    n=$(jprefix)
    n="$n$(printf 'x%.0s' $(seq $((255 - ${#n}))))"
    [ "${#n}" -eq 255 ]
    track "$n"
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist
    assert_success
    run "$JLS" -j "$n" name
    assert_output "$n"
    run --separate-stderr "$JAIL" -r "$n"
    assert_success
}
