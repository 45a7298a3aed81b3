#!/usr/bin/env bats
# Everything the host side adds (lj<jid> veth, host routes, proxy entries, sysctls) goes away
# after jail -r, after a failed create, and after the init was killed with SIGKILL (garbage
# collection on the next jls), and after 100 jails created and removed in a loop. The common
# teardown (net_helpers.bash) checks the same again after every test.

LJT_TAG=nc
load ../cli/helpers
load net_helpers

setup_file() { net_setup_file; }
teardown_file() { net_teardown_file; }

setup() {
    net_setup
    IF=$(tname a)
    make_veth "$IF" "$(tname b)" || fail "cannot make the test veth pair"
    B4=$(sysctl_get net.ipv4.conf.$IF.forwarding)
    B6=$(sysctl_get net.ipv6.conf.$IF.proxy_ndp)
}

# assert_gone VETH: nothing of a jail with the test addresses is left on the host
assert_gone() {
    local x
    [ -z "${1:-}" ] || ! host_has_link "$1" || fail "interface $1 is still there"
    x=$(test_routes)
    [ -z "$x" ] || fail "routes left: $x"
    x=$(test_proxies)
    [ -z "$x" ] || fail "proxy entries left: $x"
    assert_eq "$(sysctl_get net.ipv4.conf.$IF.forwarding)" "$B4" "net.ipv4.conf.$IF.forwarding"
    assert_eq "$(sysctl_get net.ipv6.conf.$IF.proxy_ndp)" "$B6" "net.ipv6.conf.$IF.proxy_ndp"
    assert_eq "$(sysctl_get net.ipv6.conf.all.forwarding)" "$LJT_BASE_FWD6" "net.ipv6.conf.all.forwarding"
}


full_params() {
    echo interface="$IF" ip4.addr=$NET4.5,$NET4.15 ip6.addr=${NET6}:5,${NET6}:15
}

@test "jail -r removes the veth, the host routes, the proxy entries and restores sysctls" {
    j=$(jname)
    mkjail "$j" $(full_params)
    v=$(veth_of "$j")
    host_has_link "$v" || fail "no $v while the jail runs"
    [ -n "$(test_routes)" ] || fail "no host routes while the jail runs"
    [ -n "$(test_proxies)" ] || fail "no proxy entries while the jail runs"
    run --separate-stderr "$JAIL" -r "$j"
    assert_success
    assert_gone "$v"
}

@test "a create that fails later (command=/bin/false) leaves nothing" {
    j=$(jname)
    jid=$(next_jid)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" $(full_params) command=/bin/false
    assert_status 1
    ! listed "$j" || fail "the jail is listed"
    assert_gone "$(veth_of_jid "$jid")"
}

@test "a create that fails inside the network setup leaves nothing" {
    # ::1 cannot be put on eth0: the kernel refuses it after the veth, the IPv4 side and the
    # proxy sysctls are done
    j=$(jname)
    jid=$(next_jid)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" persist interface="$IF" \
        ip4.addr=$NET4.5 ip6.addr=${NET6}:5,::1
    assert_status 1
    [ -n "$stderr" ] || fail "no message"
    ! listed "$j" || fail "the jail is listed"
    assert_gone "$(veth_of_jid "$jid")"
}

@test "a create that fails in exec.created leaves nothing" {
    j=$(jname)
    jid=$(next_jid)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" persist $(full_params) \
        exec.created=/bin/false
    assert_status 1
    ! listed "$j" || fail "the jail is listed"
    assert_gone "$(veth_of_jid "$jid")"
}

@test "after the init is killed with SIGKILL, jls cleans everything up" {
    j=$(jname)
    mkjail "$j" $(full_params)
    v=$(veth_of "$j")
    pid=$(init_pid "$j")
    kill -KILL "$pid"
    wait_until 10 not alive "$pid" || fail "the init did not die"
    run --separate-stderr "$JLS"
    assert_success
    [[ "$output" != *" $NET4.5 "* ]] || fail "the dead jail is still listed"
    wait_until 5 not host_has_link "$v" || true
    assert_gone "$v"
    [ -z "$(state_files)" ] || fail "state file left: $(state_files)"
}

@test "after SIGKILL of the init, jail -r of the name still succeeds or says not found, and leaves nothing" {
    j=$(jname)
    mkjail "$j" $(full_params)
    v=$(veth_of "$j")
    pid=$(init_pid "$j")
    kill -KILL "$pid"
    wait_until 10 not alive "$pid" || fail "the init did not die"
    "$JAIL" -r "$j" >/dev/null 2>&1 || true
    assert_gone "$v"
}

@test "100 jails with addresses created and removed in a loop leave nothing" {
    local i j
    for i in $(seq 1 100); do
        j=$(jprefix)-$i
        track "$j"
        "$JAIL" -c name="$j" path="$LJT_ROOT" persist interface="$IF" \
            ip4.addr=$NET4.$((i + 100)) ip6.addr=${NET6}:$((i + 100)) >/dev/null ||
            fail "create $i failed"
        "$JAIL" -r "$j" >/dev/null || fail "remove $i failed"
    done
    assert_gone ""
    run new_product_links
    assert_output ""
}

@test "20 jails with addresses alive together, then jail -r '*', leave nothing" {
    local i j
    for i in $(seq 1 20); do
        j=$(jprefix)-$i
        track "$j"
        "$JAIL" -c name="$j" path="$LJT_ROOT" persist interface="$IF" \
            ip4.addr=$NET4.$((i + 100)) ip6.addr=${NET6}:$((i + 100)) >/dev/null ||
            fail "create $i failed"
    done
    [ "$(test_proxies | wc -l)" -eq 40 ] || fail "expected 40 proxy entries: $(test_proxies)"
    [ "$(new_product_links | wc -l)" -eq 20 ] || fail "expected 20 veths: $(new_product_links)"
    run --separate-stderr "$JAIL" -r '*'
    assert_success
    assert_gone ""
    run new_product_links
    assert_output ""
}
