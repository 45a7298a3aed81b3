#!/usr/bin/env bats
# mkjail(8) bad input: each is refused with exit 1 and a "mkjail: " message on stderr, nothing
# on stdout, and no half-made directory. None of these needs the network.

LJT_TAG=dbi
load debian_helpers

setup_file() { debian_setup_file; }
teardown_file() { common_teardown_file; }

# refused ARG...: run mkjail with a private cache, expect exit 1, empty stdout and a message
refused() {
    run --separate-stderr "$MKJAIL" --cache-dir "$LJT_TMP/cache" "$@"
    assert_status 1
    assert_output ""
    [[ "$stderr" == "mkjail: "* ]] || { show_run; fail "stderr does not start with 'mkjail: '"; }
}

@test "unknown option: usage, nothing made" {
    refused --bogus "$LJT_TMP/d1"
    assert_stderr_contains "mkjail: unrecognized option '--bogus'"
    assert_stderr_contains "usage: mkjail"
    no_half_made "$LJT_TMP/d1"
    refused -x "$LJT_TMP/d1"
    assert_stderr_contains "mkjail: invalid option -- 'x'"
}

@test "no directory, two directories: usage" {
    refused
    assert_stderr_contains "mkjail: no directory given"
    refused "$LJT_TMP/a" "$LJT_TMP/b"
    assert_stderr_contains "mkjail: too many arguments"
    no_half_made "$LJT_TMP/a"
}

@test "existing non-empty directory is refused and left untouched" {
    mkdir "$LJT_TMP/full"
    echo keep >"$LJT_TMP/full/file"
    refused "$LJT_TMP/full"
    assert_stderr "mkjail: $LJT_TMP/full: directory not empty (use --force to write into it)"
    [ "$(ls -A "$LJT_TMP/full")" = file ] || fail "the directory was changed"
    [ "$(cat "$LJT_TMP/full/file")" = keep ] || fail "the file was changed"
}

@test "a path that is a file is refused" {
    echo x >"$LJT_TMP/plain"
    refused "$LJT_TMP/plain"
    assert_stderr "mkjail: $LJT_TMP/plain: not a directory"
}

@test "bad suite: debootstrap fails, the directory is removed" {
    refused --suite nosuchsuite --no-cache "$LJT_TMP/bs"
    assert_stderr_contains "No such script"
    assert_stderr_contains "mkjail: removed $LJT_TMP/bs"
    no_half_made "$LJT_TMP/bs"
}

@test "bad suite into an existing empty directory: it is left empty" {
    mkdir "$LJT_TMP/empty"
    refused --suite nosuchsuite --no-cache "$LJT_TMP/empty"
    [ -d "$LJT_TMP/empty" ] || fail "the directory was removed"
    [ -z "$(ls -A "$LJT_TMP/empty")" ] || fail "the directory is not empty: $(ls -A "$LJT_TMP/empty")"
}

@test "unreachable mirror: clean failure, nothing left" {
    refused --suite bookworm --mirror http://127.0.0.1:9/debian "$LJT_TMP/um"
    assert_stderr_contains "debootstrap bookworm from http://127.0.0.1:9/debian failed"
    no_half_made "$LJT_TMP/um"
    [ -z "$(ls -A "$LJT_TMP/cache" 2>/dev/null | grep -v '^\.lock$')" ] || fail "cache written: $(ls -A "$LJT_TMP/cache")"
}

@test "corrupt or missing tarball: clean failure" {
    refused --from-tarball "$LJT_TMP/nonexistent.tar.zst" "$LJT_TMP/t1"
    assert_stderr "mkjail: $LJT_TMP/nonexistent.tar.zst: No such file or directory"
    no_half_made "$LJT_TMP/t1"
    head -c 100000 /dev/urandom >"$LJT_TMP/junk.tar.zst"
    refused --from-tarball "$LJT_TMP/junk.tar.zst" "$LJT_TMP/t2"
    assert_stderr_contains "unpacking $LJT_TMP/junk.tar.zst failed"
    no_half_made "$LJT_TMP/t2"
}

@test "bad values are refused before anything is made" {
    refused --ip4 10.0.0 "$LJT_TMP/v"
    assert_stderr 'mkjail: invalid IPv4 address "10.0.0"'
    refused --init upstart "$LJT_TMP/v"
    assert_stderr 'mkjail: unknown init system "upstart" (sysvinit or systemd)'
    refused --hostname 'bad_host!' "$LJT_TMP/v"
    assert_stderr 'mkjail: invalid hostname "bad_host!"'
    refused --include 'Bad;pkg' "$LJT_TMP/v"
    assert_stderr 'mkjail: invalid package name "Bad;pkg"'
    refused --suite '../etc' "$LJT_TMP/v"
    assert_stderr 'mkjail: invalid suite "../etc"'
    refused --name 1abc "$LJT_TMP/v"
    assert_stderr_contains 'mkjail: invalid jail name "1abc"'
    refused --no-cache --refresh-cache "$LJT_TMP/v"
    assert_stderr_contains "exclude each other"
    no_half_made "$LJT_TMP/v"
}

@test "--conf refuses to replace a file without --force" {
    echo old >"$LJT_TMP/x.conf"
    tar -cf "$LJT_TMP/tiny.tar" -T /dev/null
    refused --conf="$LJT_TMP/x.conf" --from-tarball "$LJT_TMP/tiny.tar" "$LJT_TMP/c"
    assert_stderr "mkjail: $LJT_TMP/x.conf: already exists (use --force to replace it)"
    no_half_made "$LJT_TMP/c"
    [ "$(cat "$LJT_TMP/x.conf")" = old ] || fail "the conf file was changed"
}

@test "no space left: the unpacking fails cleanly and the half-made tree is removed" {
    local src="$LJT_TMP/nospace-src" small="$LJT_TMP/small"
    mkdir -p "$src/etc" "$small"
    head -c 64M /dev/zero >"$src/big"
    echo old >"$src/etc/hostname"
    tar --zstd -cf "$LJT_TMP/nospace.tar.zst" -C "$src" .
    mount -t tmpfs -o size=16m tmpfs "$small" || fail "cannot mount a small tmpfs"
    run --separate-stderr "$MKJAIL" --cache-dir "$LJT_TMP/cache" \
        --from-tarball "$LJT_TMP/nospace.tar.zst" "$small/j"
    local st=$status err=$stderr left
    left=$(ls -A "$small")
    umount "$small"
    [ "$st" -eq 1 ] || { echo "$err" >&2; fail "mkjail exited $st on a full file system"; }
    [[ "$err" == *"unpacking $LJT_TMP/nospace.tar.zst failed"* ]] || fail "stderr: $err"
    [[ "$err" == *"removed $small/j"* ]] || fail "stderr: $err"
    [ -z "$left" ] || fail "left on the full file system: $left"
}
