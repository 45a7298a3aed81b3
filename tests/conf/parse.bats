#!/usr/bin/env bats
# Bad configurations (issue 3 "Bad input", reference 1.5 and 3.2-3.6): the message names the
# file and line where there is one, jail exits 1 before acting, and nothing is created, run or
# mounted. Every config here has an exec.prepare hook that would leave a mark if it ran.

LJT_TAG=pa
load conf_helpers

# bad_conf EXPECTED_STDERR_PART: runs jail -f $f -c $n, expects exit 1, the message, no
# hook run and nothing left
bad_conf() {
    runj -f "$f" -c "$n"
    assert_status 1
    assert_output ""
    assert_stderr_contains "$1"
    [ ! -e "$BATS_TEST_TMPDIR/ran" ] || fail "a hook ran before the error stopped jail"
    assert_gone "$n"
}

hook() {
    echo "exec.prepare = \"touch @TMP@/ran\"; exec.prestart = \"touch @TMP@/ran\";"
}

@test "unterminated string: FILE line N" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook)
    host.hostname = "oops;
}
END
)
    runj -f "$f" -c "$n"
    assert_stderr "jail: $f line 2: unterminated string"
    bad_conf "line 2: unterminated string"
}

@test "unterminated comment" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook) }

/* never closed
END
)
    bad_conf "unterminated comment"
    assert_stderr_contains "$f line "
}

@test "unterminated \${" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook)
    host.hostname = \${name;
}
END
)
    bad_conf "$f line 2: unterminated variable"
}

@test "syntax error: a stray }" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook) }
}
END
)
    runj -f "$f" -c "$n"
    assert_stderr "jail: $f line 2: }: syntax error"
    bad_conf "syntax error"
}

@test "unexpected EOF: a block never closed" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook)
END
)
    bad_conf "$f: unexpected EOF"
}

@test "a NUL byte" {
    n=$(jname)
    f="$BATS_TEST_TMPDIR/bad.conf"
    printf '%s { path = "%s"; persist; exec.prepare = "touch %s/ran";\n\0 }\n' "$n" "$LJT_ROOT" "$BATS_TEST_TMPDIR" >"$f"
    bad_conf "$f line 2:"
}

@test "an error later in the file stops the jails before it too" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook) }
other$BATS_TEST_NUMBER { path = "@ROOT@"; persist;
    = ;
}
END
)
    bad_conf "$f line 3:"
}

@test "cannot redefine parameter name" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook) name = other; }
END
)
    bad_conf "cannot redefine parameter \"name\"."
}

@test "unknown boolean value, non-integer value" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook) allow.mount = maybe; }
END
)
    bad_conf "allow.mount: unknown boolean value \"maybe\""
    f=$(conf bad2.conf <<END
$n { path = "@ROOT@"; persist; $(hook) exec.timeout = soon; }
END
)
    bad_conf "exec.timeout: non-integer value \"soon\""
}

@test "variable not found, variable loop, array substituted inline" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook) host.hostname = "\$nope"; }
END
)
    bad_conf "host.hostname: variable \"nope\" not found"
    f=$(conf bad2.conf <<END
\$a = "\$b"; \$b = "\$a";
$n { path = "@ROOT@"; persist; $(hook) host.hostname = "\$a"; }
END
)
    bad_conf "variable loop"
    f=$(conf bad3.conf <<END
\$list = x, y;
$n { path = "@ROOT@"; persist; $(hook) host.hostname = "pre-\$list"; }
END
)
    bad_conf "array cannot be substituted inline"
}

@test "a variable named like a parameter" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook) \$path = "/x"; }
END
)
    bad_conf "variable \"\$path\" cannot have the same name as a parameter."
}

@test "a relative path in a config jail: not an absolute pathname" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "relative/root"; persist; $(hook) }
END
)
    bad_conf "not an absolute pathname"
    assert_stderr_contains "relative/root"
}

@test "an unknown parameter" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook) bogus.param = 1; }
END
)
    bad_conf "unknown parameter: bogus.param"
}

@test ".include of a missing file, an include cycle, variables in the name" {
    n=$(jname)
    f=$(conf bad.conf <<END
$n { path = "@ROOT@"; persist; $(hook) }
.include "no-such-file.conf";
END
)
    bad_conf "no-such-file.conf"
    conf cyc.conf >/dev/null <<END
.include "cyc.conf";
END
    f=$(conf bad2.conf <<END
$n { path = "@ROOT@"; persist; $(hook) }
.include "cyc.conf";
END
)
    bad_conf "maximum include depth exceeded"
    f=$(conf bad3.conf <<END
\$dir = "@TMP@";
$n { path = "@ROOT@"; persist; $(hook) }
.include "\$dir/x.conf";
END
)
    bad_conf "variables not permitted in '.include' filename"
}

@test ".include depth 32 is fine, 33 is refused" {
    n=$(jname)
    d="$BATS_TEST_TMPDIR"
    echo "$n { path = \"$LJT_ROOT\"; persist; }" >"$d/leaf.conf"
    mk_chain() { # mk_chain N: top.conf includes N-1 nested files, the last includes leaf.conf
        local k
        for k in $(seq 1 "$1"); do
            if [ "$k" -lt "$1" ]; then echo ".include \"c$((k + 1)).conf\";" >"$d/c$k.conf"
            else echo ".include \"leaf.conf\";" >"$d/c$k.conf"; fi
        done
    }
    # 32 nested .include directives
    mk_chain 32
    runj -f "$d/c1.conf" -qc "$n"
    assert_success
    "$JAIL" -r "$n" >/dev/null
    # 33: one too many
    mk_chain 33
    runj -f "$d/c1.conf" -qc "$n"
    assert_status 1
    assert_stderr_contains "maximum include depth exceeded"
    assert_gone "$n"
}

@test "a 10 MiB config with an error at its end: file and line, exit 1, quickly" {
    n=$(jname)
    f="$BATS_TEST_TMPDIR/big.conf"
    {
        echo "$n { path = \"$LJT_ROOT\"; persist; exec.prepare = \"touch $BATS_TEST_TMPDIR/ran\"; }"
        for i in $(seq 1 160000); do echo "# padding line $i .............................................."; done
        echo "}"
    } >"$f"
    [ "$(stat -c %s "$f")" -gt 10000000 ] || fail "the config is not 10 MiB"
    start=$SECONDS
    runj -f "$f" -c "$n"
    [ $((SECONDS - start)) -lt 10 ] || fail "a 10 MiB config took $((SECONDS - start)) s"
    assert_stderr "jail: $f line 160002: }: syntax error"
    bad_conf "syntax error"
}

@test "a 10 MiB valid config is read" {
    n=$(jname)
    f="$BATS_TEST_TMPDIR/big.conf"
    {
        for i in $(seq 1 100000); do echo "j$i { path = \"/nonexistent\"; host.hostname = \"pad$i\"; }"; done
        echo "$n { path = \"$LJT_ROOT\"; persist; }"
    } >"$f"
    start=$SECONDS
    runj -f "$f" -qc "$n"
    [ $((SECONDS - start)) -lt 20 ] || fail "a big config took $((SECONDS - start)) s"
    assert_success
    assert_running "$n"
}

@test "a config that does not exist" {
    n=$(jname)
    runj -f "$BATS_TEST_TMPDIR/none.conf" -c "$n"
    assert_status 1
    assert_stderr "jail: $BATS_TEST_TMPDIR/none.conf: No such file or directory"
    assert_gone "$n"
}

@test "a jail not in the config: not found, exit 1" {
    n=$(jname)
    f=$(conf j.conf <<END
other$BATS_TEST_NUMBER { path = "@ROOT@"; persist; $(hook) }
END
)
    bad_conf "\"$n\" not found"
}

@test "a bad value in one jail fails that jail only" {
    n=$(jname)
    bad=$(jname bad)
    f=$(conf j.conf <<END
$bad { path = "@ROOT@"; persist; allow.mount = maybe; }
$n { path = "@ROOT@"; persist; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    assert_output "$n: created"
    # the bad jail was not selected: FreeBSD checks values only of the jails it acts on
    runj -f "$f" -c "$bad"
    assert_status 1
    assert_stderr_contains "allow.mount: unknown boolean value \"maybe\""
    assert_gone "$bad"
}
