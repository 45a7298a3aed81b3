#!/usr/bin/env bats
# Escape suite D and E (reference security.md 4.D-E, checks 28-34): devices and filesystem
# escapes: /dev allow-list, no device nodes, double chroot, /proc/*/root, mount propagation,
# no writable mount shared between two jails.

LJT_TAG=sd
load ../cli/helpers
load sec_helpers

setup_file() { sec_setup_file; }
teardown_file() { common_teardown_file; }

@test "D28 /dev holds only the allow-list" {
    n=$(jname)
    mkjail "$n"
    run "$JEXEC" "$n" /bin/ls -A /dev
    assert_success
    for e in $output; do
        case "$e" in
        null | zero | full | random | urandom | tty | console | ptmx | pts | shm | mqueue | fd | stdin | stdout | stderr) ;;
        *) fail "unexpected /dev entry in the jail: $e" ;;
        esac
    done
}

@test "D29 block device: mknod 8:0 EPERM" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    expect "$n" EPERM mknod-blk
    assert_host_unchanged
}

@test "D30 /dev/mem: mknod 1:1 EPERM" {
    n=$(jname)
    mkjail "$n"
    expect "$n" EPERM mknod-mem
}

@test "E31 double-chroot escape: the jail marker stays visible, the host canary never" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    expect "$n" CONTAINED chroot-escape "$LJT_CANARY"
    assert_host_unchanged
}

@test "E32 /proc/*/root: every readable one is the jail's /" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JEXEC" "$n" /bin/probe daemon 30
    assert_success
    ep "$n" proc-root
    assert_success
    [[ "$output" == *" differ=0" ]] || { show_run; fail "a /proc/N/root differs from /"; }
    same=${output#same=}
    same=${same%% *}
    [ "$same" -ge 2 ] || { show_run; fail "expected the daemon and the probe to be checked"; }
}

@test "E33 mount propagation: the jail's / is private; its mounts never show on the host" {
    n=$(jname)
    mkjail "$n" allow.mount allow.mount.tmpfs
    jp=$(init_pid "$n")
    prop=$(findmnt -N "$jp" -n -o PROPAGATION /)
    [[ "$prop" == private* || "$prop" == slave* ]] || fail "propagation of the jail's /: $prop"
    snapshot_host
    run "$JEXEC" "$n" /bin/sh -c 'mkdir -p /tmp/m && mount -t tmpfs none /tmp/m && grep -c " /tmp/m " /proc/self/mountinfo'
    assert_success
    assert_output 1
    [ -z "$(host_mounts)" ] || fail "jail mount visible on the host: $(host_mounts)"
    grep -q ' /tmp/m ' /proc/1/mountinfo && fail "jail mount visible in the host's namespace"
    assert_host_unchanged
}

@test "E34 two default jails share no writable mount (other than the configured root)" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a"
    mkjail "$b"
    # "major:minor root" of every rw mount but / and the host's device nodes (devtmpfs binds)
    rw_mounts() {
        awk '$5 != "/" && $6 ~ /^rw/ { split($0, p, " - "); split(p[2], f, " ");
             if (f[1] != "devtmpfs") print $3, $4 }' /proc/"$1"/mountinfo | sort -u
    }
    shared=$(comm -12 <(rw_mounts "$(init_pid "$a")") <(rw_mounts "$(init_pid "$b")"))
    [ -z "$shared" ] || fail "writable mounts shared by $a and $b: $shared"
}
