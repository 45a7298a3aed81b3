#!/usr/bin/env bats
# Escape suite C (reference security.md 4.C, checks 16-27): the seccomp filter and bounding
# set of a default jail. Each call is refused with its exact errno; unknown syscalls get ENOSYS.

LJT_TAG=sc
load ../cli/helpers
load sec_helpers

setup_file() { sec_setup_file; }
teardown_file() { common_teardown_file; }

@test "C16 keyring calls: keyctl add_key request_key EPERM" {
    n=$(jname)
    mkjail "$n"
    for c in keyctl add_key request_key; do expect "$n" EPERM "$c"; done
}

@test "C17 bpf, perf_event_open, userfaultfd: EPERM" {
    n=$(jname)
    mkjail "$n"
    for c in bpf perf userfaultfd; do expect "$n" EPERM "$c"; done
}

@test "C18 modules and kexec: EPERM; host module list unchanged" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    for c in finit_module init_module delete_module kexec kexec_file; do expect "$n" EPERM "$c"; done
    assert_host_unchanged
}

@test "C18b host-wide calls: acct swapon EPERM" {
    n=$(jname)
    mkjail "$n"
    expect "$n" EPERM acct
    expect "$n" EPERM swapon
}

@test "C19 new namespaces (children.max=0): unshare, clone(CLONE_NEWUSER), setns EPERM" {
    n=$(jname)
    mkjail "$n"
    for c in unshare-user unshare-mnt unshare-net clone-newuser; do expect "$n" EPERM "$c"; done
    # the init's namespaces are out of reach, and setns itself is refused
    expect "$n" "open EACCES" setns-host
}

@test "C20 no bare procfs in a nested user namespace" {
    n=$(jname)
    mkjail "$n"
    expect "$n" "unshare EPERM" nested-proc
    # with nesting allowed the masks still forbid a fresh, unmasked procfs
    m=$(jname m)
    mkjail "$m" children.max=1 allow.mount allow.mount.procfs
    expect "$m" "mount EPERM" nested-proc
}

@test "C21 CVE-2022-0492 release_agent: refused at unshare" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    expect "$n" "unshare EPERM" release-agent
    assert_host_unchanged
}

@test "C22 Shocker: open_by_handle_at and name_to_handle_at EPERM" {
    n=$(jname)
    mkjail "$n"
    expect "$n" EPERM open_by_handle_at
    expect "$n" EPERM name_to_handle_at
}

@test "C23 mounting: tmpfs and a host disk EPERM, nothing mounted on the host" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    expect "$n" EPERM mount-tmpfs /tmp/m
    expect "$n" EPERM mount-dev
    assert_host_unchanged
}

@test "C24 AF_ALG and AF_VSOCK: refused (EAFNOSUPPORT) even with allow.socket_af" {
    n=$(jname)
    mkjail "$n"
    expect "$n" EAFNOSUPPORT af_alg
    expect "$n" EAFNOSUPPORT af_vsock
    m=$(jname m)
    mkjail "$m" allow.socket_af allow.raw_sockets
    expect "$m" EAFNOSUPPORT af_alg
    expect "$m" EAFNOSUPPORT af_vsock
}

@test "C25 ENOSYS compatibility: clone3, syscall 1000 and the i386 ABI get ENOSYS, not EPERM" {
    n=$(jname)
    mkjail "$n"
    expect "$n" ENOSYS clone3
    expect "$n" ENOSYS syscall-1000
    ep "$n" int80
    case "$output" in
    ENOSYS) ;;
    SIG*) skip "this kernel has no i386 emulation ($output)" ;;
    *) show_run; fail "i386 getpid: expected ENOSYS, got $output" ;;
    esac
}

@test "C26 TIOCSTI/TIOCLINUX: EPERM from a host terminal and without one; jexec without a tty is a session leader" {
    n=$(jname)
    mkjail "$n"
    expect "$n" EPERM tiocsti
    expect "$n" EPERM tioclinux
    expect "$n" leader session
    # from a terminal of the host (script(1) gives jexec a pty as stdin)
    run script -qec "$JEXEC $n /bin/escape_probe tiocsti" /dev/null
    assert_eq "$(tr -d '\r' <<<"$output")" EPERM "TIOCSTI through a host pty"
}

@test "C27 reboot scope: reboot(2) ends only the jail; CAD_OFF is EINVAL in its PID namespace" {
    n=$(jname)
    mkjail "$n"
    jp=$(init_pid "$n")
    # guard: never call reboot(2) unless the jail has its own PID and user namespaces
    [ "$(readlink /proc/$jp/ns/pid)" != "$(readlink /proc/1/ns/pid)" ] || fail "jail shares the host PID namespace"
    [ "$(readlink /proc/$jp/ns/user)" != "$(readlink /proc/1/ns/user)" ] || fail "jail shares the host user namespace"
    expect "$n" EINVAL reboot-cad
    boot=$(awk '/^btime/ { print $2 }' /proc/stat)
    up=$(cut -d. -f1 /proc/uptime)
    run "$JEXEC" "$n" /bin/escape_probe reboot </dev/null
    wait_until 10 not alive "$jp" || fail "the jail init survived reboot(2)"
    wait_until 10 not listed "$n" || fail "jls still lists $n after its init ended"
    assert_eq "$(awk '/^btime/ { print $2 }' /proc/stat)" "$boot" "host boot time"
    [ "$(cut -d. -f1 /proc/uptime)" -ge "$up" ] || fail "host uptime went back"
}
