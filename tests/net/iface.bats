#!/usr/bin/env bats
# `interface` and the "iface|addr" prefix: proxy ARP/NDP entries for the jail's addresses on
# that interface, the host sysctls the product changes recorded and restored (also when two
# jails share them), and a "LAN" (a namespace made here, behind a veth made here) reaching the
# jail through the proxy entries. The host's real interfaces are never used.

LJT_TAG=ni
load ../cli/helpers
load net_helpers

setup_file() { net_setup_file; }
teardown_file() { net_teardown_file; }

setup() {
    # the CLI helpers' setup, then a veth pair of our own standing for the LAN side
    net_setup
    IF=$(tname a)
    PEER=$(tname b)
    make_veth "$IF" "$PEER" || fail "cannot make the test veth pair"
}

proxies_on() {
    ip neigh show proxy dev "$1" | awk '{ print $1 }' | sort
}

@test "interface=IF adds a proxy entry per address, removed by jail -r" {
    j=$(jname)
    mkjail "$j" interface="$IF" ip4.addr=$NET4.7,$NET4.17 ip6.addr=${NET6}:7
    run proxies_on "$IF"
    assert_output "$NET4.17
$NET4.7
${NET6}:7"
    run --separate-stderr "$JAIL" -r "$j"
    assert_success
    run proxies_on "$IF"
    assert_output ""
}

@test "the iface|addr form sets a proxy entry for that address only" {
    j=$(jname)
    mkjail "$j" "ip4.addr=$IF|$NET4.8/24,$NET4.18" "ip6.addr=$IF|${NET6}:8"
    run proxies_on "$IF"
    assert_output "$NET4.8
${NET6}:8"
    # the address itself goes into the jail without the interface prefix
    run --separate-stderr jail_addrs "$j"
    assert_output_line "eth0 inet $NET4.8/32"
    assert_output_line "eth0 inet $NET4.18/32"
    assert_output_line "eth0 inet6 ${NET6}:8/128"
    run --separate-stderr "$JAIL" -r "$j"
    assert_success
    run proxies_on "$IF"
    assert_output ""
}

@test "iface|addr overrides interface= for that address" {
    other=$(tname c)
    make_veth "$other" "$(tname d)"
    j=$(jname)
    mkjail "$j" interface="$IF" "ip4.addr=$other|$NET4.9,$NET4.19"
    run proxies_on "$IF"
    assert_output "$NET4.19"
    run proxies_on "$other"
    assert_output "$NET4.9"
}

@test "host sysctls changed for interface= are restored by jail -r" {
    f4=net.ipv4.conf.$IF.forwarding
    n6=net.ipv6.conf.$IF.proxy_ndp
    g6=net.ipv6.conf.all.forwarding
    b4=$(sysctl_get $f4) b6=$(sysctl_get $n6) bg=$(sysctl_get $g6)
    j=$(jname)
    mkjail "$j" interface="$IF" ip4.addr=$NET4.7 ip6.addr=${NET6}:7
    assert_eq "$(sysctl_get $f4)" 1 "$f4 while the jail runs"
    assert_eq "$(sysctl_get $n6)" 1 "$n6 while the jail runs"
    assert_eq "$(sysctl_get $g6)" 1 "$g6 while the jail runs"
    run --separate-stderr "$JAIL" -r "$j"
    assert_success
    assert_eq "$(sysctl_get $f4)" "$b4" "$f4 after jail -r"
    assert_eq "$(sysctl_get $n6)" "$b6" "$n6 after jail -r"
    assert_eq "$(sysctl_get $g6)" "$bg" "$g6 after jail -r"
}

@test "a sysctl two jails changed is restored only when the last one goes" {
    f4=net.ipv4.conf.$IF.forwarding
    b4=$(sysctl_get $f4)
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" interface="$IF" ip4.addr=$NET4.7
    mkjail "$b" interface="$IF" ip4.addr=$NET4.8
    "$JAIL" -r "$a"
    assert_eq "$(sysctl_get $f4)" 1 "$f4 while $b still runs"
    run proxies_on "$IF"
    assert_output "$NET4.8"
    "$JAIL" -r "$b"
    assert_eq "$(sysctl_get $f4)" "$b4" "$f4 after both are gone"
}

@test "a sysctl that was already on stays on after jail -r" {
    f4=net.ipv4.conf.$IF.forwarding
    echo 1 >/proc/sys/net/ipv4/conf/$IF/forwarding
    j=$(jname)
    mkjail "$j" interface="$IF" ip4.addr=$NET4.7
    "$JAIL" -r "$j"
    assert_eq "$(sysctl_get $f4)" 1 "$f4"
}

@test "a LAN namespace reaches the jail over IPv4 through proxy ARP on interface" {
    ns=$(tname n)
    ip netns add "$ns"
    testnetns "$ns"
    ip link set "$PEER" netns "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add $NET4.100/24 dev "$PEER"
    ip -n "$ns" link set "$PEER" up
    # the host reaches the LAN machine over the test veth only
    ip route add $NET4.100/32 dev "$IF"
    j=$(jname)
    mkjail "$j" interface="$IF" ip4.addr=$NET4.7
    start_httpd "$j" $NET4.7:8080 || fail "httpd did not start"
    run ip netns exec "$ns" busybox ping -c 2 -W 3 $NET4.7
    assert_success
    printf 'GET /index.html HTTP/1.0\r\n\r\n' >"$BATS_TEST_TMPDIR/req"
    run ip netns exec "$ns" busybox nc -w 5 $NET4.7 8080 <"$BATS_TEST_TMPDIR/req"
    assert_output_contains "hello from the jail"
    # and the jail reaches the LAN machine
    ip netns exec "$ns" busybox httpd -p $NET4.100:8080 -h "$LJT_ROOT/www"
    run http_get_jail "$j" $NET4.100 8080
    assert_output_contains "hello from the jail"
    ip netns pids "$ns" | xargs -r kill
    ip route del $NET4.100/32 dev "$IF" 2>/dev/null || true
}

@test "a LAN namespace reaches the jail over IPv6 through proxy NDP on interface" {
    ns=$(tname n)
    ip netns add "$ns"
    testnetns "$ns"
    ip link set "$PEER" netns "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add ${NET6}:100/64 dev "$PEER" nodad
    ip -n "$ns" link set "$PEER" up
    ip -6 route add ${NET6}:100/128 dev "$IF"
    j=$(jname)
    mkjail "$j" interface="$IF" ip6.addr=${NET6}:7
    start_httpd "$j" "[${NET6}:7]:8080" || fail "httpd did not start"
    run ip netns exec "$ns" busybox ping6 -c 3 -W 3 ${NET6}:7
    assert_success
    printf 'GET /index.html HTTP/1.0\r\n\r\n' >"$BATS_TEST_TMPDIR/req"
    run ip netns exec "$ns" busybox nc -w 5 ${NET6}:7 8080 <"$BATS_TEST_TMPDIR/req"
    assert_output_contains "hello from the jail"
    ip netns pids "$ns" | xargs -r kill
    ip -6 route del ${NET6}:100/128 dev "$IF" 2>/dev/null || true
}

@test "without interface no proxy entry is made" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.7 ip6.addr=${NET6}:7
    run test_proxies
    assert_output ""
}
