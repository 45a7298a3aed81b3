#!/usr/bin/env bats
# apt-get in a Debian jail (issue 6, item 5): a jail with ip4.addr reaches Debian's mirror only
# through the host, with ip4.nat (ljail's nftables masquerade). The traffic goes to the mirror
# of the host's apt configuration (and its name server), as mkjail's does; nothing else.

LJT_TAG=da
load debian_helpers

setup_file() { debian_tree_setup_file; }
teardown_file() { common_teardown_file; }

# an address for the jail: a /24 of 10.77.0.0/16 that no host route covers
free_addr() {
    local x
    for x in $(seq 210 250); do
        ip -4 route show | grep -q "^10.77.$x." && continue
        echo "10.77.$x.7"
        return 0
    done
    return 1
}

nat_table() {
    nft list tables 2>/dev/null | grep -E "table ip ljail(_r[0-9a-f]+)?$" || true
}

@test "with ip4.nat apt-get update and apt-get install work in the jail; jail -r removes the NAT" {
    n=$(jname)
    a=$(free_addr) || fail "no free address"
    run --separate-stderr "$JAIL" -c name="$n" path="$DEB_TREE" host.hostname="$n" \
        ip4.addr="$a" ip4.nat persist
    assert_success
    [ -n "$(nat_table)" ] || fail "no nftables table while the jail runs"
    run timeout 300 "$JEXEC" "$n" apt-get update
    [ "$status" -eq 0 ] || { show_run; fail "apt-get update failed in the jail"; }
    run timeout 300 "$JEXEC" "$n" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q locales
    [ "$status" -eq 0 ] || { show_run; fail "apt-get install locales failed in the jail"; }
    run "$JEXEC" "$n" dpkg-query -W -f '${Status}' locales
    assert_output "install ok installed"
    run "$JAIL" -r "$n"
    assert_success
    [ -z "$(nat_table)" ] || fail "the NAT table is left: $(nat_table)"
}

@test "without ip4.nat the jail does not reach the mirror" {
    n=$(jname)
    a=$(free_addr) || fail "no free address"
    run --separate-stderr "$JAIL" -c name="$n" path="$DEB_TREE" host.hostname="$n" \
        ip4.addr="$a" persist
    assert_success
    run timeout 60 "$JEXEC" "$n" apt-get -o Acquire::Retries=0 -o Acquire::http::Timeout=5 update
    # apt-get update exits 0 even when every source fails; it says so
    [[ "$output" == *"Err:"* ]] || [[ "$output" == *"Could not"* ]] || [ "$status" -ne 0 ] ||
        { show_run; fail "the jail reached the mirror without ip4.nat"; }
}
