#!/usr/bin/env bats
# FreeBSD's usr.sbin/jail/tests/jail_basic_test.sh cases that apply (reference 8.2): basic,
# commands, jid_name_set and param_consistency, through `jail -f`; plus the rest of the jail(8)
# command line with a config: -rc, -cm, -m, removal by jid, -e, -f - (reference 1.2-1.5).

LJT_TAG=fb
load conf_helpers

# a jid no jail has, from 5309 up (jail_basic_test's jid_name_set does the same)
free_jid() {
    local j=5309
    while "$JLS" -j "$j" jid >/dev/null 2>&1; do j=$((j + 1)); done
    echo "$j"
}

@test "basic: -c, -r, -r by jid, -cm, -rc with parameters on the command line" {
    n=$(jname)
    runj -c name="$n" path="$LJT_ROOT" persist ip4.addr=192.0.1.1
    assert_success
    run "$JLS"; assert_success
    run "$JLS" -v; assert_success
    run "$JLS" -n; assert_success
    runj -r "$n"
    assert_success
    runj -c name="$n" path="$LJT_ROOT" persist ip4.addr=192.0.1.1
    assert_success
    runj -r "$(jid_of "$n")"
    assert_success
    assert_gone "$n"
    runj -cm name="$n" path="$LJT_ROOT" persist ip4.addr=192.0.1.1
    assert_success
    runj -rc name="$n" path="$LJT_ROOT" persist ip4.addr=192.0.1.1
    assert_success
    assert_running "$n"
    runj -r "$n"
    assert_success
}

@test "commands: START, then JID/JNAME/JPATH from exec.poststart env; -qr prints STOP, by name and by jid" {
    n=$(jname)
    f=$(fixture commands.jail.conf "$n")
    echo "path = \"$LJT_ROOT\";" >>"$f"
    runj -f "$f" -qc "$n"
    assert_success
    assert_stderr ""
    assert_output_line START
    [[ "$output" =~ (^|$'\n')JID=[0-9]+($'\n'|$) ]] || { show_run; fail "no line JID=<n>"; }
    assert_output_line "JNAME=$n"
    assert_output_line "JPATH=$LJT_ROOT"
    runj -f "$f" -qr "$n"
    assert_success
    assert_output STOP
    assert_stderr ""
    # removal by jid still finds the config entry's exec.prestop
    runj -f "$f" -qc "$n"
    assert_success
    runj -f "$f" -qr "$(jid_of "$n")"
    assert_success
    assert_output STOP
    assert_gone "$n"
}

@test "jid_name_set: a numeric block sets the jid; name may be set inside it" {
    jid=$(free_jid)
    track basejail
    f=$(conf j.conf <<END
$jid { path = "@ROOT@"; name = basejail; persist; }
END
)
    runj -f "$f" -c "$jid"
    assert_success
    assert_output "$jid: created"
    run "$JLS" -j "$jid" name
    assert_output basejail
    runj -f "$f" -r "$jid"
    assert_success
    assert_output "$jid: removed"
    assert_gone basejail
}

@test "jid_name_set: in a numeric block \${name} is the jid" {
    jid=$(free_jid)
    track "$jid"
    f=$(conf j.conf <<END
$jid { path = "@ROOT@"; host.hostname = "\${name}"; persist; }
END
)
    runj -f "$f" -c "$jid"
    assert_success
    assert_output "$jid: created"
    run "$JLS" -j "$jid" host.hostname
    assert_output "$jid"
    runj -f "$f" -r "$jid"
    assert_success
    assert_output "$jid: removed"
}

@test "jid_name_set: a named block may set jid" {
    jid=$(free_jid)
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; jid = $jid; persist; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    assert_output "$n: created"
    run "$JLS" -j "$n" jid
    assert_output "$jid"
    runj -f "$f" -r "$n"
    assert_success
    assert_output "$n: removed"
}

@test "param_consistency: a hook on a command-line jail (no config name)" {
    runj -c path="$LJT_ROOT" exec.poststart="true" command=/bin/true
    assert_success
    assert_output ""
}

@test "param_consistency: as FreeBSD, with path=/" {
    runj -c path=/ userns=inherit exec.poststart="true" command=/bin/true
    assert_success
}

@test "param_consistency: vnet.interface on a command-line jail" {
    a=ljtfb$$a
    ip link add "$a" type veth peer name "ljtfb$$b" 2>/dev/null || skip "cannot make a veth pair here"
    runj -c path="$LJT_ROOT" vnet=new vnet.interface="$a" command=/bin/true
    st=$status
    ip link del "$a" 2>/dev/null || true
    ip link del "ljtfb$$b" 2>/dev/null || true
    status=$st
    assert_success
}

@test "param_consistency: exec.prestop runs for a jail known by name, numeric block, numeric block with name" {
    n=$(jname)
    f=$(conf j.conf <<END
$n {path = "@ROOT@"; exec.prestop = 'echo STOP'; persist; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    runj -f "$f" -r "$n"
    assert_success
    assert_output_line STOP

    jid=$(free_jid)
    track "$jid"
    f=$(conf k.conf <<END
$jid {path = "@ROOT@"; exec.prestop = 'echo STOP'; persist; }
END
)
    runj -f "$f" -c "$jid"
    assert_success
    runj -f "$f" -r "$jid"
    assert_success
    assert_output_line STOP

    f=$(conf l.conf <<END
$jid {path = "@ROOT@"; name = $n; exec.prestop = 'echo STOP'; persist; }
END
)
    runj -f "$f" -c "$jid"
    assert_success
    runj -f "$f" -r "$jid"
    assert_success
    assert_output_line STOP
    assert_gone "$n"
}

@test "param_consistency: exec.poststop sees the JID of the jail just removed" {
    n=$(jname)
    f=$(conf j.conf <<END
$n {path = "@ROOT@"; exec.poststop = 'echo JID=\$JID'; persist; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    jid=$(jid_of "$n")
    runj -f "$f" -r "$n"
    assert_success
    assert_output_line "JID=$jid"
}

@test "-rc with a config: the stop hooks, then the start hooks; a new jail" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.prestart = "echo prestart"; exec.prestop = "echo prestop";
     exec.poststop = "echo poststop"; exec.release = "echo release"; exec.poststart = "echo poststart"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    init1=$(init_pid "$n")
    runj -f "$f" -rc "$n"
    assert_success
    assert_output "prestop
$n: removed
poststop
release
prestart
$n: created
poststart"
    assert_running "$n"
    init2=$(init_pid "$n")
    [ "$init1" != "$init2" ] || fail "-rc kept the old jail"
}

@test "-rc with a config on a jail that does not run: not found, exit 1, nothing created" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.prestart = "echo prestart"; }
END
)
    runj -f "$f" -rc "$n"
    assert_status 1
    assert_output ""
    assert_stderr_contains "\"$n\" not found"
    assert_gone "$n"
}

@test "-cm with a config: creates when missing, updates when running" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; host.hostname = "one"; }
END
)
    runj -f "$f" -cm "$n"
    assert_success
    assert_output "$n: created"
    jid=$(jid_of "$n")
    sed -i 's/"one"/"two"/' "$f"
    runj -f "$f" -cm "$n"
    assert_success
    assert_output "$n: updated"
    assert_eq "$(jid_of "$n")" "$jid" "jid after -cm"
    run "$JLS" -j "$n" host.hostname
    assert_output two
}

@test "-m with a config on a jail that does not run: not found, exit 1" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; }
END
)
    runj -f "$f" -m "$n"
    assert_status 1
    assert_stderr_contains "\"$n\" not found"
    assert_gone "$n"
}

@test "-c with a config on a running jail: already exists, exit 1, no hook" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.prestart = "echo prestart"; }
END
)
    runj -f "$f" -qc "$n"
    assert_success
    runj -f "$f" -c "$n"
    assert_status 1
    assert_output ""
    assert_stderr "jail: \"$n\" already exists"
}

@test "-r of a configured jail that does not run: not found, exit 1, no hook" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.prestop = "echo prestop"; exec.poststop = "echo poststop"; }
END
)
    runj -f "$f" -r "$n"
    assert_status 1
    assert_output ""
    assert_stderr "jail: \"$n\" not found"
}

@test "-rC runs the clean-up hooks of a jail that no longer runs" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.prestop = "echo prestop"; exec.poststop = "echo poststop"; exec.release = "echo release"; }
END
)
    runj -f "$f" -rC "$n"
    assert_success
    assert_output "poststop
release"
}

@test "-r '*' with a config removes configured and unconfigured jails" {
    n=$(jname)
    o=$(jname other)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; exec.poststop = "echo poststop $n"; }
END
)
    runj -f "$f" -qc "$n"
    assert_success
    mkjail "$o"
    runj -f "$f" -r '*'
    assert_success
    assert_output_line "$n: removed"
    assert_output_line "poststop $n"
    assert_output_line "$o: removed"
    assert_gone "$n"; assert_gone "$o"
}

@test "-e '|' prints every non-wildcard jail with its merged parameters, creating nothing" {
    a=$(jname a)
    b=$(jname b)
    f=$(conf j.conf <<END
path = "/nonexistent"; persist;
$a { host.hostname = "h"; allow.mount; ip4.addr = 10.0.0.1, 10.0.0.2; exec.start = "echo a b"; }
$b { allow.nomount; }
$a.* { host.hostname = "child"; }
$a.c { }
* { exec.stop = "echo stop \$name"; }
END
)
    runj -f "$f" -e '|'
    assert_success
    assert_stderr ""
    assert_output "name=$a|path=/nonexistent|persist|host.hostname=h|allow.mount|ip4.addr=10.0.0.1,10.0.0.2|exec.start=\"echo a b\"|exec.stop=\"echo stop $a\"
name=$b|path=/nonexistent|persist|allow.nomount|exec.stop=\"echo stop $b\"
name=$a.c|path=/nonexistent|persist|host.hostname=child|exec.stop=\"echo stop $a.c\""
    listed "$a" && fail "-e created $a"
    true
}

@test "-f - reads the configuration from stdin" {
    n=$(jname)
    run --separate-stderr "$JAIL" -f - -c "$n" <<END
$n { path = "$LJT_ROOT"; persist; exec.prestart = "echo from-stdin"; }
END
    assert_success
    assert_output "from-stdin
$n: created"
    run --separate-stderr "$JAIL" -f - -r "$n" <<END
$n { path = "$LJT_ROOT"; exec.prestop = "echo STOP"; }
END
    assert_success
    assert_output "STOP
$n: removed"
    assert_gone "$n"
}

@test "-f - errors name STDIN" {
    n=$(jname)
    run --separate-stderr "$JAIL" -f - -c "$n" <<END
$n { path = "$LJT_ROOT"; persist;
  exec.prestart = "oops;
}
END
    assert_status 1
    assert_stderr "jail: STDIN line 2: unterminated string"
    assert_gone "$n"
}

@test "without -f, /etc/jail.conf is the default (absent here: jail -c NAME fails)" {
    [ ! -e /etc/jail.conf ] || skip "this host has an /etc/jail.conf"
    n=$(jname)
    runj -c "$n"
    assert_status 1
    assert_stderr_contains "/etc/jail.conf"
    assert_gone "$n"
}

@test "-mr modifies in place, and restarts when a create-only parameter changes; -cmr creates" {
    n=$(jname)
    runj -c name="$n" path="$LJT_ROOT" persist host.hostname=one
    assert_success
    jid=$(jid_of "$n")
    runj -mr name="$n" path="$LJT_ROOT" persist host.hostname=two
    assert_success
    assert_eq "$(jid_of "$n")" "$jid" "a plain change keeps the jail (same jid)"
    run "$JEXEC" "$n" hostname
    assert_output "two"
    runj -mr name="$n" path="$LJT_ROOT" persist host.hostname=three userns=inherit
    assert_success
    [ "$(jid_of "$n")" != "$jid" ] || fail "userns changed but the jail was not restarted"
    run "$JLS" -j "$n" host.hostname userns
    assert_output "three inherit"
    m=$(jname)
    runj -cmr name="$m" path="$LJT_ROOT" persist
    assert_success
    run "$JLS" -j "$m" name
    assert_output "$m"
    runj -mr name="$(jname)x" path="$LJT_ROOT" persist
    assert_status 1
    assert_stderr_contains "not found"
}
