#!/usr/bin/env bats
# `mount` and `mount.fstab` lines (reference 2.8, issue 3 "Mounts"): nullfs = bind mount
# honouring ro, tmpfs, procfs/linprocfs = proc, linsysfs = sysfs, devfs; made inside the jail's
# mount namespace (never visible on the host), mount points under path, created when missing.

LJT_TAG=mn
load conf_helpers

setup() {
    [ -z "${LJT_NOT_ROOT:-}" ] || skip "the CLI tests need root"
    : >"$BATS_TEST_TMPDIR/jails"
    mkdir -p "$BATS_TEST_TMPDIR/src-ro" "$BATS_TEST_TMPDIR/src-rw"
    chmod 755 "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/src-ro" "$BATS_TEST_TMPDIR/src-rw"
    echo hello >"$BATS_TEST_TMPDIR/src-ro/file"
    chmod 644 "$BATS_TEST_TMPDIR/src-ro/file"
    chmod 777 "$BATS_TEST_TMPDIR/src-rw"
}

# mounts_in NAME: the jail's /proc/mounts lines under /mnt
mounts_in() {
    "$JEXEC" "$1" /bin/cat /proc/mounts | awk '$2 ~ /^\/mnt\// { print $2, $3, $4 }'
}

@test "nullfs ro: the source is visible in the jail and writes are refused" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount = "@TMP@/src-ro @ROOT@/mnt/$n/ro nullfs ro 0 0"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    run "$JEXEC" "$n" /bin/cat /mnt/$n/ro/file
    assert_success
    assert_output hello
    run --separate-stderr "$JEXEC" "$n" /bin/sh -c "echo x >/mnt/$n/ro/new"
    [ "$status" -ne 0 ] || fail "writing into a read-only nullfs mount succeeded"
    assert_stderr_contains "Read-only file system"
    run "$JEXEC" "$n" /bin/rm -f /mnt/$n/ro/file
    [ "$status" -ne 0 ] || fail "removing a file of a read-only nullfs mount succeeded"
    [ -e "$BATS_TEST_TMPDIR/src-ro/file" ] || fail "the jail removed a file of its read-only mount"
    [ ! -e "$BATS_TEST_TMPDIR/src-ro/new" ] || fail "the jail wrote into its read-only mount"
    run mounts_in "$n"
    [[ "$output" == "/mnt/$n/ro "*" ro,"* ]] || fail "mount in the jail: $output"
    # made in the jail's mount namespace only
    [ -z "$(host_mounts)" ] || fail "the jail's mount shows on the host: $(host_mounts)"
}

@test "nullfs rw: writes in the jail reach the source directory" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount = "@TMP@/src-rw @ROOT@/mnt/$n/rw nullfs rw 0 0";
     exec.start = "echo from-jail >/mnt/$n/rw/new"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    assert_eq "$(cat "$BATS_TEST_TMPDIR/src-rw/new" 2>&1)" from-jail "file written through the rw mount"
    echo from-host >"$BATS_TEST_TMPDIR/src-rw/host"
    run "$JEXEC" "$n" /bin/cat /mnt/$n/rw/host
    assert_output from-host
}

@test "a single file can be bind-mounted" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount = "@TMP@/src-ro/file @ROOT@/mnt/$n/file nullfs ro 0 0"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    run "$JEXEC" "$n" /bin/cat /mnt/$n/file
    assert_output hello
}

@test "tmpfs, procfs and linsysfs lines" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist;
    mount = "tmpfs @ROOT@/mnt/$n/tmp tmpfs rw,size=2m 0 0";
    mount += "proc @ROOT@/mnt/$n/proc procfs rw 0 0";
    mount += "linproc @ROOT@/mnt/$n/linproc linprocfs rw 0 0";
    mount += "linsys @ROOT@/mnt/$n/sys linsysfs rw 0 0";
    exec.start = "echo data >/mnt/$n/tmp/f";
}
END
)
    runj -f "$f" -c "$n"
    assert_success
    run mounts_in "$n"
    assert_success
    m=$output
    [[ "$m" == *"/mnt/$n/tmp tmpfs rw,"*"size=2048k"* ]] || fail "no 2 MiB rw tmpfs: $m"
    [[ "$m" == *"/mnt/$n/proc proc "* ]] || fail "no procfs: $m"
    [[ "$m" == *"/mnt/$n/linproc proc "* ]] || fail "no linprocfs (proc): $m"
    [[ "$m" == *"/mnt/$n/sys sysfs "* ]] || fail "no linsysfs (sysfs): $m"
    run "$JEXEC" "$n" /bin/cat /mnt/$n/tmp/f
    assert_output data
    # the jail's tmpfs is not the host's directory
    [ ! -e "$LJT_ROOT/mnt/$n/tmp/f" ] || fail "the tmpfs file landed in the host directory"
    # the mounted procfs is the jail's: its pid 1 is the jail's init
    run "$JEXEC" "$n" /bin/cat /mnt/$n/proc/1/comm
    assert_output ljail-init
}

@test "a devfs line gives a jail /dev at that point" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount = "devfs @ROOT@/mnt/$n/dev devfs rw 0 0"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    run "$JEXEC" "$n" /bin/sh -c "echo x >/mnt/$n/dev/null && test -c /mnt/$n/dev/zero && echo ok"
    assert_output ok
}

@test "mount.fstab: each line of the file is a mount, comments ignored" {
    n=$(jname)
    fst=$(fixture mounts.fstab "$n")
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount.fstab = "$fst"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    run mounts_in "$n"
    [[ "$output" == *"/mnt/$n/fst-tmp tmpfs rw,"*"mode=700"* ]] || fail "no tmpfs from the fstab: $output"
    [[ "$output" == *"/mnt/$n/fst-ro "*" ro,"* ]] || fail "no read-only bind from the fstab: $output"
    run "$JEXEC" "$n" /bin/cat /mnt/$n/fst-ro/file
    assert_output hello
}

@test "mount and mount.fstab together: mount lines first, then the fstab's" {
    n=$(jname)
    fst=$(fixture mounts.fstab "$n")
    # the fstab's tmpfs goes over mnt/N/fst-tmp; a `mount` line made later would hide it
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount.fstab = "$fst";
     mount = "tmpfs @ROOT@/mnt/$n tmpfs rw,size=1m 0 0"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    run mounts_in "$n"
    assert_eq "$(awk '{ print $1 }' <<<"$output" | tr '\n' ' ')" "/mnt/$n /mnt/$n/fst-tmp /mnt/$n/fst-ro " "mount order"
}

@test "a mount point outside path is refused: exit 1, nothing created" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount = "@TMP@/src-ro @TMP@/elsewhere nullfs ro 0 0";
     exec.prestart = "touch @TMP@/prestart-ran"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_stderr_contains "$n: "
    assert_stderr_contains "$BATS_TEST_TMPDIR/elsewhere"
    [ ! -e "$BATS_TEST_TMPDIR/elsewhere" ] || fail "the mount point outside path was made"
    assert_gone "$n"
}

@test "a mount point with '..' leaving path is refused" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount = "@TMP@/src-ro @ROOT@/mnt/../../$n-out nullfs ro 0 0"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_stderr_contains "$n: "
    [ ! -e "$LJT_TMP/$n-out" ] || fail "a mount point outside the root was made"
    assert_gone "$n"
}

@test "a symlink in the root never leads a mount point out of it" {
    n=$(jname)
    mkdir -p "$LJT_ROOT/mnt"
    ln -sfn "$BATS_TEST_TMPDIR" "$LJT_ROOT/mnt/$n-link"
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount = "tmpfs @ROOT@/mnt/$n-link/escaped tmpfs rw 0 0"; }
END
)
    runj -f "$f" -c "$n"
    rm -f "$LJT_ROOT/mnt/$n-link"
    [ ! -e "$BATS_TEST_TMPDIR/escaped" ] || fail "the mount point was made through the symlink, outside the root"
    "$JAIL" -R "$n" >/dev/null 2>&1 || true
}

@test "an unknown file system type is refused with the line" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount = "/dev/sda1 @ROOT@/mnt/$n zfs rw 0 0"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_stderr_contains "zfs"
    assert_gone "$n"
}

@test "a mount.fstab file that does not exist: exit 1, nothing created" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount.fstab = "@TMP@/no-such-fstab"; exec.prestart = "echo prestart"; }
END
)
    runj -f "$f" -c "$n"
    assert_status 1
    assert_output ""
    assert_stderr_contains "no-such-fstab"
    assert_gone "$n"
}

@test "mounts go with the jail: a new jail does not see the old one's tmpfs data" {
    n=$(jname)
    f=$(conf j.conf <<END
$n { path = "@ROOT@"; persist; mount = "tmpfs @ROOT@/mnt/$n tmpfs rw 0 0"; exec.start = "echo old >/mnt/$n/f"; }
END
)
    runj -f "$f" -c "$n"
    assert_success
    runj -f "$f" -r "$n"
    assert_success
    sed -i 's/exec.start = [^;]*;//' "$f"
    runj -f "$f" -c "$n"
    assert_success
    run "$JEXEC" "$n" /bin/ls /mnt/$n
    assert_output ""
}
