#!/usr/bin/env bats
# Bad network input: each gives exit 1, a clear message naming what is wrong, no jail, and no
# interface, route, proxy entry or namespace left (checked again by the common teardown).

LJT_TAG=nx
load ../cli/helpers
load net_helpers

setup_file() { net_setup_file; }
teardown_file() { net_teardown_file; }

# bad EXPECTED-STDERR-PART PARAM...: jail -c with PARAM... must fail cleanly
bad() {
    local want=$1 j jid routes proxies
    shift
    j=$(jname "x$RANDOM")
    jid=$(next_jid)
    # what other (running) jails of the test have
    routes=$(test_routes)
    proxies=$(test_proxies)
    create_refused "$want" "$j" "$@"
    [ "$(printf '%s\n' "$stderr" | wc -l)" -le 2 ] || { show_run; fail "jail -c $*: long message"; }
    ! listed "$j" || fail "jail -c $*: the jail exists"
    ! host_has_link "$(veth_of_jid "$jid")" || fail "jail -c $*: interface $(veth_of_jid "$jid") left"
    [ "$(test_routes)" = "$routes" ] || fail "jail -c $*: routes left: $(test_routes)"
    [ "$(test_proxies)" = "$proxies" ] || fail "jail -c $*: proxy entries left: $(test_proxies)"
    ! state_file_of "$j" >/dev/null || fail "jail -c $*: state left: $(state_file_of "$j")"
}

@test "malformed IPv4 addresses" {
    bad "not an IPv4 address: $NET4.300" ip4.addr=$NET4.300
    bad "not an IPv4 address: $NET4" ip4.addr=$NET4
    bad "not an IPv4 address: abc" ip4.addr=abc
    bad "not an IPv4 address: ${NET6}:1" ip4.addr=${NET6}:1
    bad "not an IPv4 address" "ip4.addr=$NET4.1 extra"
    bad "not an IPv4 address" ip4.addr=$NET4.1,
}

@test "malformed IPv6 addresses" {
    bad "not an IPv6 address: ${NET6}:g" ip6.addr=${NET6}:g
    bad "not an IPv6 address: $NET4.1" ip6.addr=$NET4.1
    bad "not an IPv6 address: fd00::213::1" ip6.addr=fd00::213::1
}

@test "malformed and out-of-range prefixes" {
    bad "invalid netmask: $NET4.1/33" ip4.addr=$NET4.1/33
    bad "invalid netmask: $NET4.1/x" ip4.addr=$NET4.1/x
    bad "invalid netmask: $NET4.1/" ip4.addr=$NET4.1/
    bad "invalid netmask: $NET4.1/-1" ip4.addr=$NET4.1/-1
    bad "invalid netmask: $NET4.1/255.0.255.0" ip4.addr=$NET4.1/255.0.255.0
    bad "invalid netmask: ${NET6}:1/129" ip6.addr=${NET6}:1/129
    bad "invalid netmask: ${NET6}:1/-1" ip6.addr=${NET6}:1/-1
    bad "invalid netmask: ${NET6}:1/64x" ip6.addr=${NET6}:1/64x
}

@test "addresses a jail cannot have: unspecified and broadcast (FreeBSD: EINVAL)" {
    bad "0.0.0.0" ip4.addr=0.0.0.0
    bad "255.255.255.255" ip4.addr=255.255.255.255
    bad "::" ip6.addr=::
}

@test "duplicate addresses in one jail" {
    bad "duplicate address" ip4.addr=$NET4.1,$NET4.1
    bad "duplicate address" ip4.addr=$NET4.1 ip4.addr=$NET4.1/24
    bad "duplicate address" ip6.addr=${NET6}:1,${NET6}:0:1
}

@test "bad interface names in the iface|addr form" {
    bad "invalid interface name" "ip4.addr=|$NET4.1"
    bad "invalid interface name" "ip4.addr=a/b|$NET4.1"
    bad "invalid interface name" "ip4.addr=abcdefghijklmnopq|$NET4.1"
    bad "invalid interface name" "ip6.addr=a:b|${NET6}:1"
}

@test "an iface|addr interface that does not exist" {
    bad "ljtnosuch0" "ip4.addr=ljtnosuch0|$NET4.1"
    bad "ljtnosuch0" "ip6.addr=ljtnosuch0|${NET6}:1"
}

@test "an interface= that does not exist, with addresses" {
    bad "ljtnosuch0" interface=ljtnosuch0 ip4.addr=$NET4.1
    bad "ljtnosuch0" interface=ljtnosuch0 ip6.addr=${NET6}:1
}

@test "a bad interface= name is refused even without addresses" {
    bad "interface" interface=a/b
    bad "interface" interface=abcdefghijklmnopq
}

@test "an address already used by another running jail" {
    a=$(jname a)
    mkjail "$a" ip4.addr=$NET4.1,$NET4.2 ip6.addr=${NET6}:1
    v=$(veth_of "$a")
    bad "address $NET4.2 is already used by jail \"$a\"" ip4.addr=$NET4.3,$NET4.2
    bad "address $NET4.1 is already used by jail \"$a\"" ip4.addr=$NET4.1/24
    bad "address ${NET6}:1 is already used by jail \"$a\"" ip6.addr=${NET6}:0:1
    # the first jail is untouched
    host_has_link "$v" || fail "$v of the first jail is gone"
    run ip -4 route show $NET4.1/32
    assert_output_contains "dev $v"
    run --separate-stderr jail_addrs "$a"
    assert_output_line "eth0 inet $NET4.1/32"
}

@test "ip4.addr with ip4=inherit or ip4=disable, ip6.addr with ip6=inherit or ip6=disable" {
    bad "ip4.addr cannot be set with ip4=inherit" ip4=inherit ip4.addr=$NET4.1
    bad "ip4.addr cannot be set with ip4=disable" ip4=disable ip4.addr=$NET4.1
    bad "ip6.addr cannot be set with ip6=inherit" ip6=inherit ip6.addr=${NET6}:1
    bad "ip6.addr cannot be set with ip6=disable" ip6=disable ip6.addr=${NET6}:1
}

@test "vnet.interface that does not exist or has a bad name" {
    bad "ljtnosuch0" vnet=new vnet.interface=ljtnosuch0
    bad "a/b" vnet=new vnet.interface=a/b
}

@test "a bad ip4 / ip6 mode" {
    bad "ip4" ip4=maybe
    bad "ip6" ip6=maybe
}
