#!/usr/bin/env bats
# jls and the jail's addresses: the first IPv4 address in the table, every address with -v,
# ip4.addr=/ip6.addr= with -n, lists in libxo JSON.

LJT_TAG=nj
load ../cli/helpers
load net_helpers

setup_file() { net_setup_file; }
teardown_file() { net_teardown_file; }

row() { printf '%6d  %-15.15s %-29.29s %.74s\n' "$@"; }

@test "the default table shows the first IPv4 address" {
    j=$(jname)
    mkjail "$j" host.hostname=nethost ip4.addr=$NET4.5,$NET4.15 ip6.addr=${NET6}:5
    jid=$(jid_of "$j")
    run --separate-stderr "$JLS"
    assert_success
    assert_output_line "$(row "$jid" $NET4.5 nethost "$LJT_ROOT")"
}

@test "the default table leaves the address empty for an IPv6-only jail" {
    j=$(jname)
    mkjail "$j" host.hostname=nethost ip6.addr=${NET6}:5
    jid=$(jid_of "$j")
    run --separate-stderr "$JLS"
    assert_output_line "$(row "$jid" "" nethost "$LJT_ROOT")"
}

@test "jls -v lists every address, IPv4 then IPv6" {
    j=$(jname)
    mkjail "$j" host.hostname=nethost ip4.addr=$NET4.5,$NET4.15 ip6.addr=${NET6}:5,${NET6}:15
    run --separate-stderr "$JLS" -v -j "$j"
    assert_success
    assert_eq "$(printf '%s\n' "$output" | tail -n 4)" "        $NET4.5
        $NET4.15
        ${NET6}:5
        ${NET6}:15" "address lines of jls -v"
}

@test "jls -n prints ip4.addr= and ip6.addr= with every address" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5,$NET4.15 ip6.addr=${NET6}:5
    run --separate-stderr "$JLS" -n -j "$j"
    assert_success
    [[ " $output " == *" ip4.addr=$NET4.5,$NET4.15 "* ]] || { show_run; fail "no ip4.addr=$NET4.5,$NET4.15"; }
    [[ " $output " == *" ip6.addr=${NET6}:5 "* ]] || { show_run; fail "no ip6.addr=${NET6}:5"; }
    [[ " $output " == *" ip4=new "* ]] || { show_run; fail "no ip4=new"; }
    run --separate-stderr "$JLS" -j "$j" ip4.addr ip6.addr
    assert_output "$NET4.5,$NET4.15 ${NET6}:5"
}

@test "jls -n of a jail without addresses prints empty ip4.addr= and ip6.addr=" {
    j=$(jname)
    mkjail "$j"
    run --separate-stderr "$JLS" -n -j "$j"
    [[ " $output " == *" ip4.addr= "* ]] || { show_run; fail "no empty ip4.addr="; }
    [[ " $output " == *" ip6.addr= "* ]] || { show_run; fail "no empty ip6.addr="; }
}

@test "jls --libxo json lists the addresses" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5,$NET4.15 ip6.addr=${NET6}:5
    run --separate-stderr "$JLS" --libxo json -j "$j"
    assert_success
    assert_eq "$(jq -r '."jail-information".jail[0].ipv4' <<<"$output")" "$NET4.5" "ipv4 in the table JSON"
    run --separate-stderr "$JLS" -v --libxo json -j "$j"
    assert_success
    assert_eq "$(jq -c '[."jail-information".jail[0].ipv4_addrs | .. | strings]' <<<"$output")" \
        "[\"$NET4.5\",\"$NET4.15\"]" "ipv4_addrs"
    assert_eq "$(jq -c '[."jail-information".jail[0].ipv6_addrs | .. | strings]' <<<"$output")" \
        "[\"${NET6}:5\"]" "ipv6_addrs"
    run --separate-stderr "$JLS" --libxo json -j "$j" ip4.addr ip6.addr
    assert_success
    assert_eq "$(jq -c '[."jail-information".jail[0]."ip4.addr" | .. | strings]' <<<"$output")" \
        "[\"$NET4.5\",\"$NET4.15\"]" "ip4.addr"
    assert_eq "$(jq -c '[."jail-information".jail[0]."ip6.addr" | .. | strings]' <<<"$output")" \
        "[\"${NET6}:5\"]" "ip6.addr"
}

@test "jls shows a prefix-less address for an address given with a prefix or an interface" {
    IF=$(tname a)
    make_veth "$IF" "$(tname b)"
    j=$(jname)
    mkjail "$j" "ip4.addr=$IF|$NET4.5/24" ip6.addr=${NET6}:5/64
    run --separate-stderr "$JLS" -v -j "$j"
    assert_eq "$(printf '%s\n' "$output" | tail -n 2)" "        $NET4.5
        ${NET6}:5" "address lines of jls -v"
}
