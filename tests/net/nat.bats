#!/usr/bin/env bats
# ip4.nat: outbound NAT through the host. Everything runs inside two namespaces made here, so
# the real host's interfaces, routes, sysctls and nftables ruleset are never touched:
#
#   jail (10.213.0.x) --veth lj<jid>r<tag>-- HOST netns (stands for the host)
#                                              UP 198.51.100.1/24, default route via .2
#                                            --veth-- OUT netns (stands for the Internet)
#                                              DOWN 198.51.100.2/24, busybox httpd :8080
#
# jail and jls run with their network namespace set to HOST (nsenter), as a real host's jail(8)
# would run in the host's. The server in OUT answers /cgi-bin/addr with the peer address it
# sees: the host's 198.51.100.1 when the jail's traffic was masqueraded, the jail's own address
# when it was not. Checked: the table ljail_<tag>, its set elements, and the uplink's
# forwarding sysctl (recorded and restored) after jail -r, a failed create, and SIGKILL of the
# init followed by jls; two NAT jails; bad input.

LJT_TAG=nn
load ../cli/helpers
load net_helpers

# net_helpers' teardown, wrapped below
eval "$(declare -f teardown | sed '1s/^teardown/net_teardown/')"

setup_file() {
    net_setup_file || return 1
    [ -z "${LJT_NOT_ROOT:-}" ] || return 0
    # /cgi-bin/addr prints the peer's address: served by busybox httpd in a jail (from the
    # test root) and in OUT (by the host's busybox, from the same directory)
    mkdir -p "$LJT_ROOT/www/cgi-bin"
    printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\necho "peer=$REMOTE_ADDR"\n' \
        >"$LJT_ROOT/www/cgi-bin/addr"
    chmod 755 "$LJT_ROOT/www/cgi-bin" "$LJT_ROOT/www/cgi-bin/addr"
}
teardown_file() { net_teardown_file; }

OUT4=198.51.100
PORT=8080

setup() {
    net_setup
    HNS=$(tname h)
    ONS=$(tname o)
    UP=$(tname u)
    DOWN=$(tname d)
    testnetns "$HNS"
    testnetns "$ONS"
    ip netns add "$HNS" || fail "cannot make netns $HNS"
    ip netns add "$ONS" || fail "cannot make netns $ONS"
    ip link add "$UP" netns "$HNS" type veth peer name "$DOWN" netns "$ONS" ||
        fail "cannot make the uplink veth"
    in_host ip link set lo up
    in_host ip link set "$UP" up
    in_host ip addr add $OUT4.1/24 dev "$UP"
    in_host ip route add default via $OUT4.2
    # a real host without routing: nothing is forwarded until ljail asks for it
    in_host sh -c "echo 0 >/proc/sys/net/ipv4/conf/all/forwarding"
    in_out ip link set lo up
    in_out ip link set "$DOWN" up
    in_out ip addr add $OUT4.2/24 dev "$DOWN"
    start_server || fail "the server in $ONS did not start"

    # jail and jls act in HOST; jexec joins the jail's own namespaces anyway
    REAL_JAIL=$JAIL
    REAL_JLS=$JLS
    JAIL=$BATS_TEST_TMPDIR/jail
    JLS=$BATS_TEST_TMPDIR/jls
    printf '#!/bin/sh\nexec nsenter --net=/run/netns/%s %s "$@"\n' "$HNS" "$REAL_JAIL" >"$JAIL"
    printf '#!/bin/sh\nexec nsenter --net=/run/netns/%s %s "$@"\n' "$HNS" "$REAL_JLS" >"$JLS"
    chmod 755 "$JAIL" "$JLS"
}

teardown() {
    [ -z "${LJT_NOT_ROOT:-}" ] || return 0
    local rc=0
    if [ -n "${SERVER_PID:-}" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    # the jails (through the wrappers, in HOST, where their veths and the table are), then the
    # namespaces, then the check that the real host's network is as it was
    net_teardown || rc=1
    return $rc
}

in_host() { ip netns exec "$HNS" "$@"; }
in_out() { ip netns exec "$ONS" "$@"; }

# busybox httpd in OUT
start_server() {
    ip netns exec "$ONS" busybox httpd -f -p $OUT4.2:$PORT -h "$LJT_ROOT/www" &
    SERVER_PID=$!
    wait_until 5 in_out sh -c "busybox netstat -ltn | grep -q ':$PORT '"
}

# peer_seen JAIL [ADDR]: the address the server at ADDR (OUT's by default) saw for a
# connection from JAIL ("" if none)
peer_seen() {
    printf 'GET /cgi-bin/addr HTTP/1.0\r\n\r\n' |
        timeout 15 "$JEXEC" "$1" nc -w 4 "${2:-$OUT4.2}" $PORT 2>/dev/null | tr -d '\r' |
        sed -n 's/^peer=//p'
}

# the registry's tag (as the veth names carry it) and the table of this registry
nat_table_name() {
    local v
    v=$(veth_of_jid 1)
    echo "ljail_${v#lj1}"
}

table_exists() { in_host nft list table ip "$(nat_table_name)" >/dev/null 2>&1; }

# addresses in the table's set, sorted
nat_elements() {
    in_host nft -j list set ip "$(nat_table_name)" jails 2>/dev/null |
        jq -r '.nftables[] | select(.set) | .set.elem // [] | .[] |
               if type == "object" then .elem.val else . end' | sort
}

uplink_forwarding() { in_host cat /proc/sys/net/ipv4/conf/"$UP"/forwarding; }

# assert_nat_gone: no table, uplink forwarding back at 0
assert_nat_gone() {
    ! table_exists || fail "table $(nat_table_name) is still there: $(in_host nft list ruleset)"
    assert_eq "$(uplink_forwarding)" 0 "net.ipv4.conf.$UP.forwarding"
}

@test "a jail with ip4.nat reaches the outside, which sees the host's address" {
    # a route back to the jail: without masquerading the server would see 10.213.0.5
    in_out ip route add $NET4.0/24 via $OUT4.1
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.5 ip4.nat
    run peer_seen "$j"
    assert_output "$OUT4.1"
}

@test "without ip4.nat the connection fails, and with forwarding alone it keeps the jail's address" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.6
    ! table_exists || fail "a table without ip4.nat"
    assert_eq "$(uplink_forwarding)" 0 "uplink forwarding without ip4.nat"
    # OUT has no route to the jail's address and the host forwards nothing back
    run peer_seen "$j"
    assert_output ""
    # routing alone (forwarding on the uplink, a route back): reached, but not masqueraded
    in_out ip route add $NET4.0/24 via $OUT4.1
    in_host sh -c "echo 1 >/proc/sys/net/ipv4/conf/$UP/forwarding"
    run peer_seen "$j"
    assert_output "$NET4.6"
    in_host sh -c "echo 0 >/proc/sys/net/ipv4/conf/$UP/forwarding"
}

@test "jail -r deletes the table and restores the uplink's forwarding" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.7,$NET4.17 ip4.nat
    table_exists || fail "no table $(nat_table_name) while the jail runs"
    run nat_elements
    assert_output "$NET4.17
$NET4.7"
    assert_eq "$(uplink_forwarding)" 1 "uplink forwarding while the jail runs"
    f=$(state_file_of "$j")
    run jq -r '.sysctls[]' "$f"
    assert_output "net.ipv4.conf.$UP.forwarding=0"
    run jq -r '.nat[]' "$f"
    assert_output "$(nat_table_name)|$NET4.7
$(nat_table_name)|$NET4.17"
    run peer_seen "$j"
    assert_output "$OUT4.1"
    run --separate-stderr "$JAIL" -r "$j"
    assert_success
    assert_nat_gone
}

@test "a create with ip4.nat that fails later (command=/bin/false) leaves no table" {
    j=$(jname)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" ip4.addr=$NET4.8 ip4.nat \
        command=/bin/false
    assert_status 1
    ! listed "$j" || fail "the jail is listed"
    assert_nat_gone
}

@test "a create that fails after the NAT setup (exec.created=/bin/false) leaves no table" {
    j=$(jname)
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" persist ip4.addr=$NET4.8 \
        ip4.nat exec.created=/bin/false
    assert_status 1
    ! listed "$j" || fail "the jail is listed"
    assert_nat_gone
}

@test "after SIGKILL of the init, jls removes the table and restores forwarding" {
    j=$(jname)
    mkjail "$j" ip4.addr=$NET4.9 ip4.nat
    table_exists || fail "no table while the jail runs"
    pid=$(init_pid "$j")
    kill -KILL "$pid"
    wait_until 10 not alive "$pid" || fail "the init did not die"
    run --separate-stderr "$JLS"
    assert_success
    assert_nat_gone
    [ -z "$(state_files)" ] || fail "state file left: $(state_files)"
}

@test "two NAT jails: removing one keeps the other's NAT, the last one removes the table" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" ip4.addr=$NET4.11 ip4.nat
    mkjail "$b" ip4.addr=$NET4.12 ip4.nat
    run nat_elements
    assert_output "$NET4.11
$NET4.12"
    run peer_seen "$a"
    assert_output "$OUT4.1"
    run peer_seen "$b"
    assert_output "$OUT4.1"
    run --separate-stderr "$JAIL" -r "$a"
    assert_success
    table_exists || fail "the table went with the first jail"
    run nat_elements
    assert_output "$NET4.12"
    assert_eq "$(uplink_forwarding)" 1 "uplink forwarding while $b runs"
    run peer_seen "$b"
    assert_output "$OUT4.1"
    run --separate-stderr "$JAIL" -r "$b"
    assert_success
    assert_nat_gone
}

@test "a NAT jail and a plain jail talk to each other with their own addresses" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" ip4.addr=$NET4.13 ip4.nat
    mkjail "$b" ip4.addr=$NET4.14
    start_httpd "$b" $NET4.14:$PORT || fail "httpd did not start in $b"
    # traffic into another jail's veth is not masqueraded
    run peer_seen "$a" $NET4.14
    assert_output "$NET4.13"
    # and the NAT rule is only for the NAT jail's addresses: the plain one is not NATed out
    in_out ip route add $NET4.0/24 via $OUT4.1
    run peer_seen "$b"
    assert_output "$NET4.14"
}

# bad EXPECTED-STDERR-PART PARAM...: jail -c must fail with status 1 and create nothing
bad() {
    local want=$1 j jid
    shift
    j=$(jname "x$RANDOM")
    jid=$(next_jid)
    create_refused "$want" "$j" "$@"
    ! listed "$j" || fail "jail -c $*: the jail exists"
    ! in_host ip link show "$(veth_of_jid "$jid")" >/dev/null 2>&1 || fail "jail -c $*: veth left"
    ! state_file_of "$j" >/dev/null || fail "jail -c $*: state left"
    assert_nat_gone
}

@test "ip4.nat without ip4.addr, with ip4=inherit or disable, with vnet=new" {
    bad "ip4.nat: the jail has no ip4.addr" ip4.nat
    bad "ip4.nat: the jail has no ip4.addr" ip4.nat ip6.addr=${NET6}:5
    bad "ip4.nat cannot be set with ip4=inherit" ip4=inherit ip4.nat
    bad "ip4.nat cannot be set with ip4=disable" ip4=disable ip4.nat
    bad "ip4.nat cannot be set with ip6=inherit" ip6=inherit ip4.addr=$NET4.5 ip4.nat
    bad "ip4.nat cannot be set with vnet=new" vnet=new ip4.addr=$NET4.5 ip4.nat
}

@test "ip4.nat on a host without a default route and without interface= is refused" {
    in_host ip route del default
    bad "ip4.nat: the host has no IPv4 default route" ip4.addr=$NET4.5 ip4.nat
    # naming the uplink is enough
    j=$(jname)
    mkjail "$j" interface="$UP" ip4.addr=$NET4.5 ip4.nat
    in_out ip route add $NET4.0/24 via $OUT4.1
    run peer_seen "$j"
    assert_output "$OUT4.1"
}

@test "ljail-host, the static jail(8)'s helper: nft commands as one transaction, names resolved" {
    local helper="$LJAIL_BIN/ljail-host"
    # In a network namespace of its own: nothing of the real host's ruleset is touched.
    run bash -c 'printf "add table inet ljt_helper\nlist table inet ljt_helper\n" | unshare -n "$0" nft' \
        "$helper"
    assert_success
    assert_output_contains "table inet ljt_helper"
    run --separate-stderr bash -c 'echo "add tabel inet x" | unshare -n "$0" nft' "$helper"
    assert_status 1
    assert_stderr_contains "Error"
    # /etc/hosts only: no resolver traffic.
    run "$helper" resolve localhost
    assert_success
    assert_output_contains "127.0.0.1"
    run "$helper" frobnicate
    assert_status 64
}

@test "ip_hostname takes host.hostname's addresses from the C library's resolver" {
    local j
    j=$(jname h)
    # host.hostname=localhost: /etc/hosts, no resolver traffic; the jail runs in HOST.
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" host.hostname=localhost \
        ip_hostname persist
    assert_success
    run "$JLS" -n -j "$j" ip4.addr
    assert_success
    assert_output_contains "127.0.0.1"
    "$JAIL" -r "$j" || fail "remove $j failed"
}
