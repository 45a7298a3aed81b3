#!/usr/bin/env bats
# Traffic: the host reaches a server in a jail by its address, jails reach each other, a jail
# binds its own addresses and not others, the first address is the source address, ping of
# the host end and of loopback from inside over ICMP datagram sockets (ping_group_range), for
# IPv4 and IPv6. Only jail addresses (10.213.0.0/24, fd00:213::/64) and loopback are used.
#
# The busybox ping of the test root only tries raw sockets, so pings from inside use nettool
# (net_helpers.bash), which opens ICMP datagram sockets as unprivileged ping does.

LJT_TAG=nt
load ../cli/helpers
load net_helpers

setup_file() { net_setup_file; }
teardown_file() { net_teardown_file; }

@test "the host reaches an IPv4 server in the jail by the jail's address" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5
    start_httpd "$j" $NET4.5:8080 || fail "httpd did not start in the jail"
    run http_get_host $NET4.5 8080
    assert_success
    assert_output_contains "200 OK"
    assert_output_contains "hello from the jail"
}

@test "the host reaches an IPv6 server in the jail by the jail's address" {
    j=$(jname)
    mkjail "$j" ip6.addr=${NET6}:5
    start_httpd "$j" "[${NET6}:5]:8080" || fail "httpd did not start in the jail"
    run http_get_host ${NET6}:5 8080
    assert_success
    assert_output_contains "hello from the jail"
}

@test "a wildcard server in the jail is reached on each of its addresses, IPv4 and IPv6" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5,$NET4.15 ip6.addr=${NET6}:5,${NET6}:15
    start_httpd "$j" 8080 || fail "httpd did not start in the jail"
    for a in $NET4.5 $NET4.15 ${NET6}:5 ${NET6}:15; do
        run http_get_host $a 8080
        assert_output_contains "hello from the jail"
    done
}

@test "the host pings the jail's addresses" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5 ip6.addr=${NET6}:5
    run busybox ping -c 1 -W 3 $NET4.5
    assert_success
    run busybox ping6 -c 1 -W 3 ${NET6}:5
    assert_success
}

@test "two jails reach each other over IPv4" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" ip4.addr=$NET4.11
    mkjail "$b" ip4.addr=$NET4.12
    start_httpd "$a" $NET4.11:8080 || fail "httpd did not start in $a"
    start_httpd "$b" $NET4.12:8080 || fail "httpd did not start in $b"
    run http_get_jail "$b" $NET4.11 8080
    assert_success
    assert_output_contains "hello from the jail"
    run http_get_jail "$a" $NET4.12 8080
    assert_success
    assert_output_contains "hello from the jail"
}

@test "two jails reach each other over IPv6" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" ip6.addr=${NET6}:11
    mkjail "$b" ip6.addr=${NET6}:12
    start_httpd "$a" "[${NET6}:11]:8080" || fail "httpd did not start in $a"
    run http_get_jail "$b" ${NET6}:11 8080
    assert_success
    assert_output_contains "hello from the jail"
}

@test "two jails whose addresses share a /24 prefix reach each other" {
    # the jail's own on-link prefix must not hide the other jail behind a missing ARP answer
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" ip4.addr=$NET4.11/24
    mkjail "$b" ip4.addr=$NET4.12/24
    start_httpd "$a" $NET4.11:8080 || fail "httpd did not start in $a"
    run http_get_jail "$b" $NET4.11 8080
    assert_output_contains "hello from the jail"
}

@test "two jails whose addresses share a /64 prefix reach each other" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" ip6.addr=${NET6}:11/64
    mkjail "$b" ip6.addr=${NET6}:12/64
    start_httpd "$a" "[${NET6}:11]:8080" || fail "httpd did not start in $a"
    run http_get_jail "$b" ${NET6}:11 8080
    assert_output_contains "hello from the jail"
}

@test "the jail binds its own addresses and loopback, not another address (EADDRNOTAVAIL)" {
    need_nettool
    j=$(jname)
    o=$(jname o)
    mkjail "$j" ip4.addr=$NET4.5 ip6.addr=${NET6}:5
    mkjail "$o" ip4.addr=$NET4.6 ip6.addr=${NET6}:6
    for a in $NET4.5 ${NET6}:5 127.0.0.1 ::1 0.0.0.0 ::; do
        run --separate-stderr "$JEXEC" "$j" nettool bind $a 8081
        assert_success
        assert_output "ok"
    done
    # another jail's address, the host end, an address nobody has
    for a in $NET4.6 ${NET6}:6 169.254.0.1 $NET4.99 ${NET6}:99; do
        run --separate-stderr "$JEXEC" "$j" nettool bind $a 8081
        assert_status 1
        assert_output "EADDRNOTAVAIL"
    done
}

@test "busybox httpd cannot bind an address that is not the jail's" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5
    run --separate-stderr "$JEXEC" "$j" httpd -f -p $NET4.99:8080 -h /www
    assert_status 1
    assert_stderr_contains "Cannot assign requested address"
}

@test "the first address of each family is the source address" {
    need_nettool
    j=$(jname)
    o=$(jname o)
    mkjail "$j" ip4.addr=$NET4.5,$NET4.15 ip6.addr=${NET6}:5,${NET6}:15
    mkjail "$o" ip4.addr=$NET4.6 ip6.addr=${NET6}:6
    run --separate-stderr "$JEXEC" "$j" nettool src $NET4.6
    assert_success
    assert_output "$NET4.5"
    run --separate-stderr "$JEXEC" "$j" nettool src 169.254.0.1
    assert_output "$NET4.5"
    run --separate-stderr "$JEXEC" "$j" nettool src ${NET6}:6
    assert_success
    assert_output "${NET6}:5"
}

@test "ping of the host end (169.254.0.1) and of 127.0.0.1 from inside, as root and as a user" {
    need_nettool
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5
    for user in root alice; do
        for a in 169.254.0.1 127.0.0.1 $NET4.5; do
            run --separate-stderr "$JEXEC" -U $user "$j" nettool ping $a
            [ "$status" -eq 0 ] && [ "$output" = reply ] ||
                { show_run; fail "ping $a as $user in the jail"; }
        done
    done
}

@test "ping6 of the host end (fe80::1%eth0) and of ::1 from inside, as root and as a user" {
    need_nettool
    j=$(jname)
    mkjail "$j" ip6.addr=${NET6}:5
    for user in root alice; do
        run --separate-stderr "$JEXEC" -U $user "$j" nettool ping fe80::1 eth0
        [ "$status" -eq 0 ] && [ "$output" = reply ] ||
            { show_run; fail "ping fe80::1%eth0 as $user"; }
        for a in ::1 ${NET6}:5; do
            run --separate-stderr "$JEXEC" -U $user "$j" nettool ping $a
            [ "$status" -eq 0 ] && [ "$output" = reply ] ||
                { show_run; fail "ping $a as $user"; }
        done
    done
}

@test "a jail pings another jail over ICMP datagram sockets, IPv4 and IPv6" {
    need_nettool
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" ip4.addr=$NET4.11 ip6.addr=${NET6}:11
    mkjail "$b" ip4.addr=$NET4.12 ip6.addr=${NET6}:12
    run --separate-stderr "$JEXEC" -U alice "$a" nettool ping $NET4.12
    assert_success
    run --separate-stderr "$JEXEC" -U alice "$a" nettool ping ${NET6}:12
    assert_success
}

@test "a jail without addresses cannot reach a jail with addresses" {
    need_nettool
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" ip4.addr=$NET4.11
    mkjail "$b"
    run --separate-stderr "$JEXEC" "$b" nettool ping $NET4.11
    [ "$status" -ne 0 ] || fail "a jail with only lo reached $NET4.11"
}
