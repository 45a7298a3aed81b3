#!/usr/bin/env bats
# Network modes (design.md 2.3): no addresses and ip4=disable give a namespace with only lo;
# ip4.addr/ip6.addr give lo plus eth0 holding the jail's addresses, a veth lj<jid> on the host
# with a route per address and the jail's default routes via 169.254.0.1 / fe80::1;
# ip4=inherit shares the host's stack; ping_group_range is set in every own namespace.

LJT_TAG=nm
load ../cli/helpers
load net_helpers

setup_file() { net_setup_file; }
teardown_file() { net_teardown_file; }

LO_ONLY="lo up
lo inet 127.0.0.1
lo inet6 ::1"

@test "a jail with no addresses has its own namespace with only lo, up" {
    j=$(jname)
    mkjail "$j"
    run --separate-stderr "$JEXEC" "$j" /bin/probe ifaces
    assert_success
    assert_output "$LO_ONLY"
    run --separate-stderr jail_addrs "$j"
    assert_success
    assert_output "lo inet 127.0.0.1/8
lo inet6 ::1/128"
    # no veth for it on the host
    run new_product_links
    assert_output ""
    # a namespace of its own
    pid=$(init_pid "$j")
    [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] ||
        fail "the jail shares the host's network namespace"
}

@test "the jail's network namespace is its own to administer (owned by its user namespace)" {
    # The init makes it after the clone (init.h): jail root holds CAP_NET_ADMIN over it, as
    # over a namespace the clone had made, and not over the host's.
    j=$(jname)
    mkjail "$j"
    host_mtu=$(cat /sys/class/net/lo/mtu)
    run --separate-stderr "$JEXEC" "$j" /bin/sh -c \
        'ip link set lo mtu 1280 && cat /sys/class/net/lo/mtu && ip -o link show lo'
    assert_success
    assert_output_line "1280"
    assert_output_contains "mtu 1280"
    [ "$(cat /sys/class/net/lo/mtu)" = "$host_mtu" ] || fail "the host's lo changed"
}

@test "ip4=disable gives only lo" {
    j=$(jname)
    mkjail "$j" ip4=disable
    run --separate-stderr "$JEXEC" "$j" /bin/probe ifaces
    assert_success
    assert_output "$LO_ONLY"
    run new_product_links
    assert_output ""
}

@test "ip4=disable ip6=disable gives only lo" {
    j=$(jname)
    mkjail "$j" ip4=disable ip6=disable
    run --separate-stderr "$JEXEC" "$j" /bin/probe ifaces
    assert_success
    assert_output "$LO_ONLY"
}

@test "loopback works in a jail without addresses (ping 127.0.0.1 and ::1, no raw socket)" {
    need_nettool
    j=$(jname)
    mkjail "$j"
    for user in root alice; do
        run --separate-stderr "$JEXEC" -U $user "$j" nettool ping 127.0.0.1
        assert_success
        assert_output "reply"
        run --separate-stderr "$JEXEC" -U $user "$j" nettool ping ::1
        assert_success
        assert_output "reply"
    done
}

@test "ip -o addr in the jail shows only lo and the jail's own addresses" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5,$NET4.15 ip6.addr=${NET6}:5
    run --separate-stderr jail_addrs "$j"
    assert_success
    # eth0 also carries its IPv6 link-local address (fe80::/64), which is the jail's own
    got=$(printf '%s\n' "$output" | grep -v '^eth0 inet6 fe80:')
    assert_eq "$got" "eth0 inet $NET4.15/32
eth0 inet $NET4.5/32
eth0 inet6 ${NET6}:5/128
lo inet 127.0.0.1/8
lo inet6 ::1/128" "addresses in the jail"
    n=$(printf '%s\n' "$output" | grep -c '^eth0 inet6 fe80:' || true)
    [ "$n" -le 1 ] || fail "more than one link-local address: $output"
    # interfaces: lo and eth0 only, both up
    run --separate-stderr "$JEXEC" "$j" /bin/probe ifaces
    assert_success
    assert_eq "$(printf '%s\n' "$output" | grep -E ' (up|down)$' | sort)" "eth0 up
lo up" "interfaces"
}

@test "a prefix given with the address is listed but the jail holds a host address" {
    # Every other address, same subnet or not, is reached through the host's routes, so two
    # jails in one /24 reach each other (net_traffic).
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5/24 ip6.addr=${NET6}:5/64
    run --separate-stderr jail_addrs "$j"
    assert_success
    assert_output_line "eth0 inet $NET4.5/32"
    assert_output_line "eth0 inet6 ${NET6}:5/128"
    run "$JLS" -j "$j" ip4.addr ip6.addr
    assert_output "$NET4.5/24 ${NET6}:5/64"
}

@test "the host end is lj<jid>, with a host route to each jail address" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5,$NET4.15 ip6.addr=${NET6}:5,${NET6}:15
    v=$(veth_of "$j")
    host_has_link "$v" || fail "no host interface $v"
    run ip -o link show "$v"
    assert_output_contains "UP"
    run ip -4 route show "$NET4.5/32"
    assert_output_contains "dev $v"
    run ip -4 route show "$NET4.15/32"
    assert_output_contains "dev $v"
    run ip -6 route show "${NET6}:5/128"
    assert_output_contains "dev $v"
    run ip -6 route show "${NET6}:15/128"
    assert_output_contains "dev $v"
    # the gateway addresses sit on the host end
    run ip -o addr show dev "$v"
    assert_output_contains "inet 169.254.0.1/32"
    assert_output_contains "inet6 fe80::1/64"
}

@test "an IPv4-only jail gets an IPv4 default route via 169.254.0.1" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5
    run --separate-stderr "$JEXEC" "$j" ip -4 route
    assert_success
    assert_output_line "default via 169.254.0.1 dev eth0 "
    run --separate-stderr jail_addrs "$j"
    [[ "$output" != *"eth0 inet6 ${NET6}"* ]] || fail "IPv6 address in an IPv4-only jail: $output"
}

@test "an IPv6 jail gets an IPv6 default route via fe80::1" {
    j=$(jname)
    mkjail "$j" ip6.addr=${NET6}:5
    run --separate-stderr "$JEXEC" "$j" ip -6 route
    assert_success
    [[ "$output" == *"default via fe80::1 dev eth0"* ]] || { show_run; fail "no default route"; }
    run --separate-stderr "$JEXEC" "$j" ip -4 route
    assert_output ""
}

@test "net.ipv4.ping_group_range admits the jail's groups (jail with addresses)" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5
    run --separate-stderr "$JEXEC" "$j" cat /proc/sys/net/ipv4/ping_group_range
    assert_success
    read -r lo hi <<<"$output"
    [ "$lo" -eq 0 ] && [ "$hi" -ge 1000 ] ||
        fail "ping_group_range in the jail is '$output' (should include gids 0 and 1000)"
    # the host's value is untouched by the jail's
    host=$(cat /proc/sys/net/ipv4/ping_group_range)
    [ "$host" = "$LJT_HOST_PING_RANGE" ] || fail "host ping_group_range changed: $host"
}

@test "net.ipv4.ping_group_range is set in a jail without addresses too" {
    j=$(jname)
    mkjail "$j"
    run --separate-stderr "$JEXEC" "$j" cat /proc/sys/net/ipv4/ping_group_range
    assert_success
    read -r lo hi <<<"$output"
    [ "$lo" -eq 0 ] && [ "$hi" -ge 1000 ] || fail "ping_group_range in the jail is '$output'"
}

@test "ip4=inherit shares the host's network namespace" {
    j=$(jname)
    mkjail "$j" ip4=inherit
    pid=$(init_pid "$j")
    assert_eq "$(readlink /proc/$pid/ns/net)" "$(readlink /proc/self/ns/net)" "net namespace of the init"
    run --separate-stderr "$JEXEC" "$j" readlink /proc/self/ns/net
    assert_success
    assert_output "$(readlink /proc/self/ns/net)"
    # the jail sees the host's interfaces and no veth was made
    run --separate-stderr "$JEXEC" "$j" /bin/probe ifaces
    assert_success
    hostlinks=$(ip -o link show | wc -l)
    jl=$(printf '%s\n' "$output" | grep -cE ' (up|down)$')
    assert_eq "$jl" "$hostlinks" "interfaces seen in the jail"
    run new_product_links
    assert_output ""
    run --separate-stderr "$JLS" -j "$j" ip4
    assert_output "inherit"
}

@test "the loopback of an own namespace is not the host's (127.0.0.1 server on the host is not reachable)" {
    # a server on the host's loopback, reached from an ip4=inherit jail but not from a jail
    # with its own stack
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" ip4=inherit
    mkjail "$b" ip4.addr=$NET4.5
    port=$((20000 + RANDOM % 10000))
    "$JEXEC" "$a" httpd -p 127.0.0.1:$port -h /www
    wait_until 5 httpd_listening "$a" $port || fail "httpd did not start"
    run http_get_jail "$a" 127.0.0.1 $port
    assert_output_contains "hello from the jail"
    run http_get_jail "$b" 127.0.0.1 $port
    [[ "$output" != *"hello from the jail"* ]] || fail "jail $b reached the host's loopback"
}
