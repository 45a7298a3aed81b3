#!/usr/bin/env bats
# allow.* pairs (issue 5): each refused in a default jail and allowed when the parameter is set
# (or, for the parameters that are on by default, the other way round). Sockets are only
# created, never used: no traffic leaves the jail.

LJT_TAG=sl
load ../cli/helpers
load sec_helpers

setup_file() { sec_setup_file; }
teardown_file() { common_teardown_file; }

@test "allow.raw_sockets: raw INET/INET6 sockets EPERM by default, allowed when set" {
    d=$(jname d)
    mkjail "$d"
    expect "$d" EPERM raw
    expect "$d" EPERM raw6
    expect "$d" EPERM af_packet
    a=$(jname a)
    mkjail "$a" allow.raw_sockets
    expect "$a" OK raw
    expect "$a" OK raw6
    # CAP_NET_RAW stays in the bounding set (Debian's ping carries it as a file capability)
    ep "$d" status CapBnd self
    (( (16#$output >> 13) & 1 )) || fail "CAP_NET_RAW missing from the default bounding set"
}

@test "allow.raw_sockets with allow.socket_af: AF_PACKET allowed" {
    a=$(jname)
    mkjail "$a" allow.raw_sockets allow.socket_af
    expect "$a" OK af_packet
    # allow.socket_af alone does not open packet sockets
    s=$(jname s)
    mkjail "$s" allow.socket_af
    expect "$s" EPERM af_packet
}

@test "allow.set_hostname: on by default; allow.noset_hostname refuses sethostname" {
    d=$(jname d)
    mkjail "$d"
    snapshot_host
    expect "$d" OK sethostname jail-renamed
    run "$JEXEC" "$d" /bin/probe hostname
    assert_output jail-renamed
    a=$(jname a)
    mkjail "$a" allow.noset_hostname
    expect "$a" EPERM sethostname other
    assert_host_unchanged
}

@test "allow.mount: mount tmpfs EPERM by default, allowed with allow.mount allow.mount.tmpfs" {
    d=$(jname d)
    mkjail "$d"
    snapshot_host
    expect "$d" EPERM mount-tmpfs /tmp/m
    a=$(jname a)
    mkjail "$a" allow.mount allow.mount.tmpfs
    expect "$a" OK mount-tmpfs /tmp/m
    assert_host_unchanged
}

@test "allow.socket_af: AF_XDP and non-routing netlink refused by default, allowed when set" {
    d=$(jname d)
    mkjail "$d"
    expect "$d" EAFNOSUPPORT af_xdp
    expect "$d" EPROTONOSUPPORT netlink 15
    # UNIX, INET, INET6 and routing netlink always
    expect "$d" OK socket 1 1 0
    expect "$d" OK socket 2 1 0
    expect "$d" OK socket 10 2 0
    expect "$d" OK netlink 0
    a=$(jname a)
    mkjail "$a" allow.socket_af
    expect "$a" OK af_xdp
    expect "$a" OK netlink 15
}

@test "allow.mlock: mlock EPERM by default, allowed when set (CAP_IPC_LOCK follows)" {
    d=$(jname d)
    mkjail "$d"
    expect "$d" EPERM mlock
    ep "$d" status CapBnd self
    (( ((16#$output) >> 14) & 1 )) && fail "CAP_IPC_LOCK in the default bounding set"
    a=$(jname a)
    mkjail "$a" allow.mlock
    expect "$a" OK mlock
    ep "$a" status CapBnd self
    (( ((16#$output) >> 14) & 1 )) || fail "CAP_IPC_LOCK missing with allow.mlock"
}

@test "allow.reserved_ports: on by default (bind port 80 as jail root), allow.noreserved_ports EACCES" {
    d=$(jname d)
    mkjail "$d"
    expect "$d" OK bind-port 80
    a=$(jname a)
    mkjail "$a" allow.noreserved_ports
    expect "$a" EACCES bind-port 80
    expect "$a" OK bind-port 8080
}

@test "impossible allow.* parameters: refused with a clear message, nothing created" {
    for p in allow.settime allow.adjtime allow.chflags allow.quotas allow.read_msgbuf allow.nfsd allow.vmm; do
        run --separate-stderr "$JAIL" -c name="$(jname)" path="$LJT_ROOT" persist "$p"
        assert_status 1
        assert_stderr "jail: $p: cannot be granted to a jail on Linux"
    done
    run --separate-stderr "$JAIL" -c name="$(jname)" path="$LJT_ROOT" persist allow.no_such_thing
    assert_status 1
    assert_stderr "jail: unknown parameter: allow.no_such_thing"
}
