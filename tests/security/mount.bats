#!/usr/bin/env bats
# allow.mount and allow.mount.<fs> (issue 5, jail.8): each refused by default and allowed when
# set. The seccomp filter sees a mount call's flags, never its file system type: allow.mount
# alone allows the calls on existing mounts; binds (nullfs) need allow.mount.nullfs; new file
# systems need allow.mount.tmpfs or allow.mount.fusefs; fuse also needs /dev/fuse, which only
# allow.mount.fusefs puts in the jail's /dev and its device list; proc and sysfs the kernel
# refuses behind ljail's locked masks, whatever is allowed.

LJT_TAG=sm
load ../cli/helpers
load sec_helpers

setup_file() { sec_setup_file; }
teardown_file() { common_teardown_file; }

@test "allow.mount: every mount call EPERM by default" {
    d=$(jname)
    mkjail "$d"
    snapshot_host
    expect "$d" EPERM make-private /
    expect "$d" EPERM mount-tmpfs /tmp/m
    expect "$d" EPERM fsopen tmpfs
    expect "$d" EPERM mount-bind /tmp/a /tmp/b
    expect "$d" EPERM open-tree-clone /tmp
    expect "$d" EPERM umount /tmp
    expect "$d" "open ENOENT" mount-fuse /tmp/f
    assert_host_unchanged
}

@test "allow.mount alone: existing mounts only; no binds, no new file systems" {
    a=$(jname)
    mkjail "$a" allow.mount
    snapshot_host
    expect "$a" OK make-private /
    expect "$a" EPERM mount-bind /tmp/a /tmp/b
    expect "$a" EPERM open-tree-clone /tmp
    expect "$a" EPERM mount-tmpfs /tmp/m
    expect "$a" EPERM mount-tmpfs-magic /tmp/m
    expect "$a" EPERM fsopen tmpfs
    assert_host_unchanged
}

@test "allow.mount.nullfs: bind mounts EPERM without it, allowed with allow.mount" {
    n=$(jname n)
    mkjail "$n" allow.mount.nullfs
    expect "$n" EPERM mount-bind /tmp/a /tmp/b
    a=$(jname a)
    mkjail "$a" allow.mount allow.mount.nullfs
    snapshot_host
    expect "$a" OK mount-bind /tmp/a /tmp/b
    expect "$a" OK open-tree-clone /tmp
    # binds only: no new file system
    expect "$a" EPERM mount-tmpfs /tmp/m
    expect "$a" EPERM fsopen tmpfs
    assert_host_unchanged
}

@test "allow.mount.tmpfs: new file systems EPERM without it, allowed with allow.mount" {
    t=$(jname t)
    mkjail "$t" allow.mount.tmpfs
    expect "$t" EPERM mount-tmpfs /tmp/m
    a=$(jname a)
    mkjail "$a" allow.mount allow.mount.tmpfs
    snapshot_host
    expect "$a" OK mount-tmpfs /tmp/m
    expect "$a" OK mount-tmpfs-magic /tmp/m
    expect "$a" OK fsopen tmpfs
    # no binds
    expect "$a" EPERM mount-bind /tmp/a /tmp/b
    expect "$a" EPERM open-tree-clone /tmp
    assert_host_unchanged
}

@test "allow.mount.procfs/linprocfs/linsysfs: the kernel refuses proc and sysfs (locked masks)" {
    a=$(jname)
    mkjail "$a" allow.mount allow.mount.tmpfs allow.mount.procfs allow.mount.linprocfs \
        allow.mount.linsysfs
    n=$(jname n)
    mkjail "$n" children.max=1 allow.mount allow.mount.tmpfs allow.mount.procfs
    snapshot_host
    # the filter lets new file systems through (tmpfs mounts) ...
    expect "$a" OK mount-tmpfs /tmp/m
    # ... and the kernel refuses these: the jail's /proc and /sys are not fully visible
    expect "$a" EPERM mount-fs proc /tmp/p
    expect "$a" EPERM mount-fs sysfs /tmp/s
    # and in a nested user, mount and PID namespace too
    expect "$n" "mount EPERM" nested-proc
    assert_host_unchanged
}

@test "allow.mount.fusefs: no /dev/fuse without it; /dev/fuse and fuse mounts with allow.mount" {
    f=$(jname f)
    mkjail "$f" allow.mount.fusefs
    expect "$f" "open ENOENT" mount-fuse /tmp/f
    m=$(jname m)
    mkjail "$m" allow.mount allow.mount.tmpfs
    expect "$m" "open ENOENT" mount-fuse /tmp/f
    a=$(jname a)
    mkjail "$a" allow.mount allow.mount.fusefs
    snapshot_host
    run "$JEXEC" "$a" /bin/busybox stat -c '%F %t:%T %a' /dev/fuse
    assert_output "character special file a:e5 666"
    expect "$a" OK mount-fuse /tmp/f
    assert_host_unchanged
}

@test "device list: a fuse node placed by the host: EPERM without allow.mount.fusefs, opens with it" {
    mknod -m 666 "$LJT_ROOT/tmp/fuse" c 10 229
    d=$(jname d)
    mkjail "$d"
    expect "$d" EPERM open-rw /tmp/fuse
    expect "$d" OK open-rw /dev/null
    m=$(jname m)
    mkjail "$m" allow.mount allow.mount.tmpfs
    expect "$m" EPERM open-rw /tmp/fuse
    a=$(jname a)
    mkjail "$a" allow.mount allow.mount.fusefs
    expect "$a" OK open-rw /tmp/fuse
    rm -f "$LJT_ROOT/tmp/fuse"
}
