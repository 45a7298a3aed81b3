#!/usr/bin/env bats
# Escape suite B (reference security.md 4.B, checks 9-15): kernel interfaces a default jail
# sees: masked files and directories, read-only /proc/sys (but its own net) and sysfs, masks
# the jail cannot remove, no kernel log.

LJT_TAG=sb
load ../cli/helpers
load sec_helpers

setup_file() { sec_setup_file; }
teardown_file() { common_teardown_file; }

# mount options of PATH in the jail (from /proc/self/mounts, the last mount on PATH)
jail_mount_opts() {
    "$JEXEC" "$1" /bin/probe mounts | awk -v p="$2" '$2 == p { o = $4 } END { print o }'
}

@test "B9 masked files: /proc/kcore keys timer_list sched_debug latency_stats read 0 bytes" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    for f in kcore keys timer_list sched_debug latency_stats timer_stats; do
        if [ -e "/proc/$f" ]; then
            expect "$n" 0 size "/proc/$f"
        else
            # not built into this kernel: absent in the jail too
            expect "$n" ENOENT size "/proc/$f"
        fi
    done
    assert_host_unchanged
}

@test "B10 masked directories: /sys/firmware /proc/acpi /proc/scsi are empty" {
    n=$(jname)
    mkjail "$n"
    for d in /sys/firmware /proc/acpi /proc/scsi; do
        if [ -e "$d" ]; then
            expect "$n" 0 count "$d"
        else
            expect "$n" ENOENT count "$d"
        fi
    done
    [[ "$(jail_mount_opts "$n" /sys/firmware)" == ro,* ]] || fail "/sys/firmware mask is not read-only"
}

@test "B11 core_pattern: not writable (EACCES), /proc/sys mounted read-only, host value unchanged" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    expect "$n" EACCES open-w /proc/sys/kernel/core_pattern
    [[ "$(jail_mount_opts "$n" /proc/sys)" == ro,* ]] || fail "/proc/sys is not read-only"
    # a sysctl the jail's root owns (its IPC namespace's) is refused by the read-only mount
    expect "$n" EROFS open-w /proc/sys/kernel/shmmax
    expect "$n" EROFS open-w /proc/sys/fs/mqueue/msg_max
    # the jail's own network stack stays its own
    [[ "$(jail_mount_opts "$n" /proc/sys/net)" == rw,* ]] || fail "/proc/sys/net is not read-write"
    expect "$n" OK open-w /proc/sys/net/ipv4/ip_forward
    assert_host_unchanged
}

@test "B12 sysrq-trigger: not writable; /proc/irq and /proc/bus read-only" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    if [ -e /proc/sysrq-trigger ]; then
        expect_one_of "$n" "EACCES|EROFS" open-w /proc/sysrq-trigger
        [[ "$(jail_mount_opts "$n" /proc/sysrq-trigger)" == ro,* ]] || fail "sysrq-trigger not read-only"
    else
        expect "$n" ENOENT open-w /proc/sysrq-trigger
    fi
    for d in /proc/irq /proc/bus; do
        [ -e "$d" ] || continue
        [[ "$(jail_mount_opts "$n" "$d")" == ro,* ]] || fail "$d is not read-only"
    done
    assert_host_unchanged
}

@test "B13 masks cannot be removed: umount EPERM by default, EINVAL (locked) with allow.mount" {
    n=$(jname)
    mkjail "$n"
    expect "$n" EPERM umount /proc/timer_list
    expect "$n" EPERM umount /proc/sys
    m=$(jname m)
    mkjail "$m" allow.mount allow.mount.tmpfs
    snapshot_host
    # made before the jail's user namespace owned the mount namespace: locked
    expect "$m" EINVAL umount /proc/timer_list
    expect "$m" EINVAL umount /proc/keys
    expect "$m" EINVAL umount /proc/sys
    expect "$m" EINVAL umount /sys/firmware
    expect "$m" EPERM remount-rw /proc/sys
    expect "$m" EPERM remount-rw /sys
    expect "$m" 0 size /proc/timer_list
    expect "$m" EROFS open-w /proc/sys/kernel/shmmax
    assert_host_unchanged
}

@test "B14 sysfs read-only: mounted ro, writes refused" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    [[ "$(jail_mount_opts "$n" /sys)" == ro,* ]] || fail "/sys is not read-only"
    for f in /sys/kernel/mm/ksm/run /sys/kernel/rcu_expedited /sys/kernel/uevent_helper; do
        [ -e "$f" ] || continue
        expect_one_of "$n" "EROFS|EACCES" open-w "$f"
    done
    expect_one_of "$n" "EROFS|EACCES" open-w /sys/class/net/lo/mtu
    assert_host_unchanged
}

@test "B15 kernel log: syslog(2) EPERM, no /dev/kmsg" {
    n=$(jname)
    mkjail "$n"
    expect "$n" EPERM syslog
    expect "$n" ENOENT size /dev/kmsg
}
