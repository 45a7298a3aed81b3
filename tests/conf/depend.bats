#!/usr/bin/env bats
# `depend` and hierarchical names (reference 2.8-2.11, 3.1, 3.7): creation in dependency order,
# removal in reverse, dependencies pulled in, dependants removed first, `depends on undefined
# jail`, `dependency loop`, `skipped`; `a.b` needs `a`; wildcard selection `a.*`.

LJT_TAG=dp
load conf_helpers

# a config where each jail prints "start NAME" / "stop NAME" from exec.poststart/exec.poststop
header() {
    cat <<'END'
path = "@ROOT@"; persist;
exec.poststart = "echo start $name";
exec.poststop = "echo stop $name";
END
}

@test "depend: dependencies are created first, through their exec.poststart" {
    a=$(jname a); b=$(jname b); c=$(jname c)
    f=$(conf j.conf <<END
$(header)
$c { depend = $b; }
$a { }
$b { depend = $a; }
END
)
    runj -f "$f" -c "$c"
    assert_success
    assert_output "$a: created
start $a
$b: created
start $b
$c: created
start $c"
    assert_running "$a"; assert_running "$b"; assert_running "$c"
}

@test "depend: removing every jail goes in reverse dependency order" {
    a=$(jname a); b=$(jname b); c=$(jname c)
    f=$(conf j.conf <<END
$(header)
$c { depend = $b; }
$a { }
$b { depend = $a; }
END
)
    runj -f "$f" -c "$c"
    assert_success
    runj -f "$f" -r '*'
    assert_success
    assert_output "$c: removed
stop $c
$b: removed
stop $b
$a: removed
stop $a"
}

@test "depend: removing a jail removes the jails that depend on it first" {
    a=$(jname a); b=$(jname b); c=$(jname c)
    f=$(conf j.conf <<END
$(header)
$a { }
$b { depend = $a; }
$c { }
END
)
    runj -f "$f" -c "$b"
    assert_success
    runj -f "$f" -c "$c"
    assert_success
    runj -f "$f" -r "$a"
    assert_success
    assert_output "$b: removed
stop $b
$a: removed
stop $a"
    assert_gone "$a"
    assert_gone "$b"
    assert_running "$c"
}

@test "depend: a list of dependencies; a running dependency is not created again" {
    a=$(jname a); b=$(jname b); c=$(jname c)
    f=$(conf j.conf <<END
$(header)
$a { }
$b { }
$c { depend = $a, $b; }
END
)
    runj -f "$f" -c "$a"
    assert_success
    runj -f "$f" -c "$c"
    assert_success
    assert_stderr ""
    assert_output "$b: created
start $b
$c: created
start $c"
}

@test "depend: an undefined jail: 'depends on undefined jail', exit 1, nothing created" {
    a=$(jname a)
    f=$(conf j.conf <<END
$(header)
$a { depend = nosuchjail$BATS_TEST_NUMBER; exec.prestart = "echo prestart"; }
END
)
    runj -f "$f" -c "$a"
    assert_status 1
    assert_output ""
    assert_stderr "jail: $a: depends on undefined jail \"nosuchjail$BATS_TEST_NUMBER\""
    assert_gone "$a"
}

@test "depend: a loop: 'dependency loop', exit 1, nothing created" {
    a=$(jname a); b=$(jname b); c=$(jname c)
    f=$(conf j.conf <<END
$(header)
$a { depend = $b; }
$b { depend = $c; }
$c { depend = $a; }
END
)
    runj -f "$f" -c "$a"
    assert_status 1
    assert_output ""
    assert_stderr_contains "dependency loop"
    assert_gone "$a"; assert_gone "$b"; assert_gone "$c"
}

@test "depend: a jail depending on itself is a loop" {
    a=$(jname a)
    f=$(conf j.conf <<END
$(header)
$a { depend = $a; }
END
)
    runj -f "$f" -c "$a"
    assert_status 1
    assert_stderr_contains "$a: dependency loop"
    assert_gone "$a"
}

@test "depend: a broken jail does not stop an unrelated jail of the same config" {
    a=$(jname a); b=$(jname b); ok=$(jname ok)
    f=$(conf j.conf <<END
$(header)
$a { depend = nosuchjail$BATS_TEST_NUMBER; }
$b { depend = $b; }
$ok { }
END
)
    # FreeBSD marks only the jails concerned as failed (state.c dep_setup)
    runj -f "$f" -c "$ok"
    assert_success
    assert_output_line "$ok: created"
    assert_running "$ok"
}

@test "depend: when a dependency fails, its dependants are 'skipped', exit 1" {
    a=$(jname a); b=$(jname b); c=$(jname c)
    f=$(conf j.conf <<END
$(header)
$a { exec.prestart = "false"; }
$b { depend = $a; exec.prepare = "echo prepare $b"; }
$c { depend = $b; exec.prepare = "echo prepare $c"; }
END
)
    runj -f "$f" -c "$c"
    assert_status 1
    assert_output ""
    assert_stderr "jail: $a: false: failed
jail: $b: skipped
jail: $c: skipped"
    assert_gone "$a"; assert_gone "$b"; assert_gone "$c"
}

@test "depend: jail -c with no jail creates every configured jail in dependency order" {
    a=$(jname a); b=$(jname b); c=$(jname c)
    f=$(conf j.conf <<END
$(header)
$b { depend = $a; }
$c { }
$a { }
END
)
    runj -f "$f" -q -c
    assert_success
    # c has no dependency: it may come anywhere, but a comes before b
    assert_lines_in_order "start $a" "start $b"
    assert_output_line "start $c"
    assert_running "$a"; assert_running "$b"; assert_running "$c"
}

@test "hierarchical names: a.b needs a, which is created first" {
    p=$(jname p)
    f=$(conf j.conf <<END
$(header)
$p.child { }
$p { }
END
)
    track "$p.child"
    runj -f "$f" -c "$p.child"
    assert_success
    assert_output "$p: created
start $p
$p.child: created
start $p.child"
    run "$JLS" -j "$p.child" name
    assert_output "$p.child"
}

@test "hierarchical names: nested blocks define parent.child" {
    p=$(jname p)
    f=$(conf j.conf <<END
$(header)
$p {
    child { host.hostname = "nested"; }
}
END
)
    track "$p.child"
    runj -f "$f" -c "$p.child"
    assert_success
    assert_output "$p: created
start $p
$p.child: created
start $p.child"
    run "$JLS" -j "$p.child" host.hostname
    assert_output nested
}

@test "hierarchical names: removing the parent removes its children first" {
    p=$(jname p)
    f=$(conf j.conf <<END
$(header)
$p { }
$p.c1 { }
$p.c2 { }
END
)
    track "$p.c1"; track "$p.c2"
    runj -f "$f" -c "$p.*"
    assert_success
    runj -f "$f" -r "$p"
    assert_success
    assert_lines_in_order "$p.c2: removed" "$p: removed"
    assert_lines_in_order "$p.c1: removed" "$p: removed"
    assert_gone "$p.c1"; assert_gone "$p.c2"; assert_gone "$p"
}

@test "wildcard selection: jail -c 'a.*' creates a's children (and a), nothing else" {
    p=$(jname p); q=$(jname q)
    f=$(conf j.conf <<END
$(header)
$p.x { }
$p { }
$p.y { }
$q { }
$q.z { }
END
)
    track "$p.x"; track "$p.y"; track "$q.z"
    runj -q -f "$f" -c "$p.*"
    assert_success
    assert_output "start $p
start $p.x
start $p.y"
    listed "$q" && fail "$q was created by $p.*"
    listed "$q.z" && fail "$q.z was created by $p.*"
    # already running jails chosen by a wildcard are skipped quietly
    runj -f "$f" -c "$p.*"
    assert_success
    assert_stderr ""
    # removal by wildcard goes children first, in reverse config order
    runj -f "$f" -r "$p.*"
    assert_success
    assert_lines_in_order "$p.y: removed" "$p.x: removed"
    assert_gone "$p.x"; assert_gone "$p.y"
}

@test "wildcard blocks: a.* parameters apply to a's children only" {
    p=$(jname p)
    f=$(conf j.conf <<END
$(header)
$p.* { host.hostname = "child-of-p"; }
$p { }
$p.x { }
END
)
    track "$p.x"
    runj -q -f "$f" -c "$p.x"
    assert_success
    run "$JLS" -j "$p.x" host.hostname
    assert_output child-of-p
    run "$JLS" -j "$p" host.hostname
    [ "$output" != child-of-p ] || fail "the wildcard block applied to $p itself"
}
