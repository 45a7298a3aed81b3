#!/usr/bin/env bats
# vnet=new with vnet.interface: listed host interfaces (test veths made here) are moved into the
# jail's namespace and come back to the host when the jail is removed.

LJT_TAG=nv
load ../cli/helpers
load net_helpers

setup_file() { net_setup_file; }
teardown_file() { net_teardown_file; }

setup() {
    net_setup
    A=$(tname a)
    B=$(tname b)
    make_veth "$A" "$B" || fail "cannot make the test veth pair"
}

jail_has_link() {
    "$JEXEC" "$1" ip -o link show "$2" >/dev/null 2>&1
}

@test "vnet.interface is moved into the jail and back after jail -r" {
    j=$(jname)
    mkjail "$j" vnet=new vnet.interface="$B"
    jail_has_link "$j" "$B" || fail "$B is not in the jail"
    ! host_has_link "$B" || fail "$B is still on the host"
    run --separate-stderr "$JEXEC" "$j" /bin/probe ifaces
    assert_eq "$(printf '%s\n' "$output" | grep -E ' (up|down)$' | awk '{print $1}' | sort | tr '\n' ' ')" \
        "$(printf '%s\n' "$B" lo | sort | tr '\n' ' ')" "interfaces in the jail"
    run --separate-stderr "$JAIL" -r "$j"
    assert_success
    host_has_link "$B" || fail "$B did not come back to the host"
}

@test "several vnet.interface values (comma list) are all moved and returned" {
    c=$(tname c)
    d=$(tname d)
    make_veth "$c" "$d"
    j=$(jname)
    mkjail "$j" vnet=new vnet.interface="$B,$d"
    jail_has_link "$j" "$B" || fail "$B is not in the jail"
    jail_has_link "$j" "$d" || fail "$d is not in the jail"
    "$JAIL" -r "$j"
    host_has_link "$B" || fail "$B did not come back"
    host_has_link "$d" || fail "$d did not come back"
}

@test "two vnet jails joined by a veth pair talk to each other" {
    need_nettool
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" vnet=new vnet.interface="$A"
    mkjail "$b" vnet=new vnet.interface="$B"
    "$JEXEC" "$a" ip addr add 10.213.5.1/24 dev "$A"
    "$JEXEC" "$a" ip link set "$A" up
    "$JEXEC" "$b" ip addr add 10.213.5.2/24 dev "$B"
    "$JEXEC" "$b" ip link set "$B" up
    run --separate-stderr "$JEXEC" -U alice "$a" nettool ping 10.213.5.2
    assert_success
    start_httpd "$b" 10.213.5.2:8080 || fail "httpd did not start"
    run http_get_jail "$a" 10.213.5.2 8080
    assert_output_contains "hello from the jail"
    "$JAIL" -r "$a" "$b"
    host_has_link "$A" && host_has_link "$B" || fail "the veth ends did not come back"
}

@test "a vnet jail has its own namespace with lo up and ping_group_range set" {
    j=$(jname)
    mkjail "$j" vnet=new vnet.interface="$B"
    pid=$(init_pid "$j")
    [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] || fail "host namespace"
    run --separate-stderr "$JEXEC" "$j" /bin/probe ifaces
    assert_output_line "lo up"
    assert_output_line "lo inet 127.0.0.1"
    run --separate-stderr "$JEXEC" "$j" cat /proc/sys/net/ipv4/ping_group_range
    read -r lo hi <<<"$output"
    [ "$lo" -eq 0 ] && [ "$hi" -ge 1000 ] || fail "ping_group_range is '$output'"
}

@test "vnet.interface that does not exist: exit 1, clear message, nothing left" {
    j=$(jname)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" persist vnet=new vnet.interface=ljtnosuch0
    assert_status 1
    assert_stderr_contains "ljtnosuch0"
    assert_stderr_contains "does not exist"
    ! listed "$j" || fail "the jail exists"
}

@test "vnet.interface already in another jail: exit 1, it stays in the first jail" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" vnet=new vnet.interface="$B"
    run --separate-stderr "$JAIL" -c name="$b" path="$LJT_ROOT" persist vnet=new vnet.interface="$B"
    assert_status 1
    assert_stderr_contains "$B"
    ! listed "$b" || fail "the second jail exists"
    jail_has_link "$a" "$B" || fail "$B left the first jail"
    "$JAIL" -r "$a"
    host_has_link "$B" || fail "$B did not come back"
}

@test "a failed create walks the vnet.interface back to the host" {
    j=$(jname)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" vnet=new vnet.interface="$B" command=/bin/false
    assert_status 1
    host_has_link "$B" || fail "$B did not come back after the failed create"
}

@test "a jail that ends after its command gives the vnet.interface back to the host" {
    # The init exits on its own right after the command (BYE 0), before jail(8) cleans up:
    # jail(8)'s hold on the jail's network namespace keeps the interface until it is back.
    j=$(jname)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" vnet=new vnet.interface="$B" command=/bin/true
    assert_success
    ! listed "$j" || fail "$j still listed after its command"
    host_has_link "$B" || fail "$B did not come back after the jail ended"
}

@test "vnet.interface without vnet=new is refused" {
    j=$(jname)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" persist vnet.interface="$B"
    assert_status 1
    host_has_link "$B" || fail "$B left the host"
}
