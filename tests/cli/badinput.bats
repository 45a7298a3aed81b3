#!/usr/bin/env bats
# Bad input: each is refused with exit 1 and a FreeBSD-style message on stderr starting with
# "jail: ", and leaves nothing behind (teardown checks state files, cgroups and mounts).

LJT_TAG=bi
load helpers

setup_file() { common_setup_file; }
teardown_file() { common_teardown_file; }

# refused ARG...: run jail, expect exit 1, empty stdout, stderr starting with "jail: ",
# no jail listed and no state file.
refused() {
    run --separate-stderr "$JAIL" "$@"
    assert_status 1
    assert_output ""
    [[ "$stderr" == "jail: "* ]] || { show_run; fail "stderr does not start with 'jail: '"; }
    [ "$(wc -l <<<"$stderr")" -le 2 ] || { show_run; fail "more than a short message on stderr"; }
    [ -z "$(state_files)" ] || fail "state file left: $(state_files)"
    local l
    l=$("$JLS" -q name 2>&1)
    [ -z "$l" ] || fail "a jail is listed after a refused create: $l"
}

@test "missing path" {
    n=$(jname)
    refused -c name="$n" persist
    assert_stderr_contains "path"
    [ -z "$(cgroup_dirs "$n")" ] || fail "cgroup left"
}

@test "path that does not exist" {
    n=$(jname)
    refused -c name="$n" path="$LJT_TMP/nonexistent" persist
    assert_stderr "jail: path $LJT_TMP/nonexistent: No such file or directory"
}

@test "path that is not a directory" {
    n=$(jname)
    refused -c name="$n" path="$LJT_ROOT/etc/passwd" persist
    assert_stderr "jail: path $LJT_ROOT/etc/passwd: Not a directory"
}

@test "unknown parameter" {
    n=$(jname)
    refused -c name="$n" path="$LJT_ROOT" persist foo=bar
    assert_stderr "jail: unknown parameter: foo"
}

@test "bad boolean" {
    n=$(jname)
    refused -c name="$n" path="$LJT_ROOT" persist=y
    assert_stderr "jail: persist: unknown boolean value \"y\""
}

@test "bad integer" {
    n=$(jname)
    refused -c name="$n" path="$LJT_ROOT" persist stop.timeout=x
    assert_stderr "jail: stop.timeout: non-integer value \"x\""
}

@test "bad IPv4 address" {
    n=$(jname)
    refused -c name="$n" path="$LJT_ROOT" persist ip4.addr=1.2.3
    assert_stderr_contains "not an IPv4 address"
}

@test "bad IPv6 address" {
    n=$(jname)
    refused -c name="$n" path="$LJT_ROOT" persist ip6.addr=fe80:::1
    assert_stderr_contains "not an IPv6 address"
}

@test "bad userns value" {
    n=$(jname)
    refused -c name="$n" path="$LJT_ROOT" persist userns=maybe
    assert_stderr_contains "userns"
}

@test "bad names: '/', whitespace, control characters, leading '-', '.' and '..', over 255 bytes" {
    long=$(printf 'a%.0s' $(seq 256))
    for bad in a/b /abs ../up 'a b' $'a\tb' $'a\nb' $'a\x01b' $'a\x7fb' -lead . .. "$long"; do
        q=$(printf %q "$bad")
        run --separate-stderr "$JAIL" -c name="$bad" path="$LJT_ROOT" persist
        if [ "$status" -ne 1 ] || [[ "$stderr" != "jail: "* ]]; then
            show_run
            "$JAIL" -r "$bad" >/dev/null 2>&1 || true
            fail "name $q was not refused with exit 1 and a 'jail: ' message"
        fi
        [ -z "$(state_files)" ] || fail "name $q: state file left: $(state_files)"
        if [ "$bad" != . ] && [ "$bad" != .. ]; then
            for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
                [ ! -e "$h/ljail/$bad" ] || fail "name $q: cgroup $h/ljail/$q made"
            done
        fi
    done
    # nothing was created outside the registry either
    [ ! -e "$LJAIL_RUNDIR/../up" ] || fail "name ../up escaped the registry"
    run "$JLS" -q name
    assert_output ""
}

@test "a name already running: \"N\" already exists, the first jail untouched" {
    n=$(jname)
    mkjail "$n" host.hostname=first
    jid=$(jid_of "$n")
    init=$(init_pid "$n")
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist host.hostname=second
    assert_status 1
    assert_output ""
    assert_stderr "jail: \"$n\" already exists"
    run "$JLS" -j "$n" jid host.hostname
    assert_output "$jid first"
    assert_eq "$(init_pid "$n")" "$init" "init pid of the first jail"
    run "$JEXEC" "$n" /bin/probe hostname
    assert_output "first"
}

@test "a jid already running: \"JID\" already exists" {
    n=$(jname)
    m=$(jname b)
    mkjail "$n"
    jid=$(jid_of "$n")
    run --separate-stderr "$JAIL" -c jid="$jid" name="$m" path="$LJT_ROOT" persist
    assert_status 1
    assert_stderr "jail: \"$jid\" already exists"
    [ -z "$(cgroup_dirs "$m")" ] || fail "cgroup of $m left"
}

@test "removing a jail that does not exist: \"x\" not found" {
    n=$(jname)
    run --separate-stderr "$JAIL" -r "$n"
    assert_status 1
    assert_output ""
    assert_stderr "jail: \"$n\" not found"
    run --separate-stderr "$JAIL" -r 999999
    assert_status 1
    assert_stderr "jail: \"999999\" not found"
}

@test "modifying a jail that does not exist: \"x\" not found" {
    n=$(jname)
    run --separate-stderr "$JAIL" -m name="$n" host.hostname=x
    assert_status 1
    assert_stderr "jail: \"$n\" not found"
}

@test "modify with a bad value leaves the jail unchanged" {
    n=$(jname)
    mkjail "$n" host.hostname=keep
    run --separate-stderr "$JAIL" -m name="$n" host.hostname=new persist=y
    assert_status 1
    assert_stderr "jail: persist: unknown boolean value \"y\""
    run "$JLS" -j "$n" host.hostname
    assert_output "keep"
    run "$JEXEC" "$n" /bin/probe hostname
    assert_output "keep"
}

@test "jail with no operation or arguments prints the usage" {
    run --separate-stderr "$JAIL"
    assert_status 1
    assert_output ""
    assert_stderr_contains "usage: jail"
    run --separate-stderr "$JAIL" -Z
    assert_status 1
    assert_stderr_contains "usage: jail"
}

@test "jail -r with parameters is a usage error" {
    n=$(jname)
    run --separate-stderr "$JAIL" -r name="$n" path="$LJT_ROOT"
    assert_status 1
    assert_stderr_contains "usage: jail"
}

@test "a failing create (bad command) leaves nothing behind, several times" {
    for k in 1 2 3; do
        n=$(jname "f$k")
        run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" command=/nonexistent
        assert_status 1
        [ -z "$(state_files)" ] || fail "state file left: $(state_files)"
        [ -z "$(cgroup_dirs "$n")" ] || fail "cgroup left: $(cgroup_dirs "$n")"
    done
}
