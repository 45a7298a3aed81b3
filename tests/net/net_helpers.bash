# Shared helpers of the network tests (bats 1.8.2), on top of tests/cli/helpers.bash.
# Each .bats file sets LJT_TAG, then: load ../cli/helpers; load net_helpers.
#
# Network rule of these tests: traffic only goes to loopback, to jail addresses the tests assign
# (10.213.0.0/16, fd00:213::/64) and to namespaces and interfaces the tests make themselves
# (names "ljt<pid><letter>", never "lj<digit>", which are the product's). Nothing is sent to the
# host's real interfaces.
#
# Besides the helpers of tests/cli, every test here ends with a check that the network is back
# as it was: no lj<jid> interface the file did not find at its start, no host route or proxy
# entry for a test address, net.ipv6.conf.all.forwarding as it was. Test interfaces and
# namespaces registered with `testlink` / `testnetns` are deleted first.

# keep the CLI helpers' setup and teardown under other names, then wrap them
eval "$(declare -f setup | sed '1s/^setup/cli_setup/')"
eval "$(declare -f teardown | sed '1s/^teardown/cli_teardown/')"

# a file that needs its own setup() calls net_setup first

NET4=10.213.0
NET6=fd00:213:

# busybox wget and friends must never go through a proxy
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy

net_setup_file() {
    common_setup_file || return 1
    [ -z "${LJT_NOT_ROOT:-}" ] || return 0
    export LJT_BASE_FWD6
    LJT_BASE_FWD6=$(cat /proc/sys/net/ipv6/conf/all/forwarding)
    mkdir -p "$LJT_ROOT/www"
    echo "hello from the jail" >"$LJT_ROOT/www/index.html"
    chmod 755 "$LJT_ROOT/www"
    chmod 644 "$LJT_ROOT/www/index.html"
    export LJT_HOST_PING_RANGE
    LJT_HOST_PING_RANGE=$(cat /proc/sys/net/ipv4/ping_group_range)
    build_nettool
}

net_teardown_file() {
    common_teardown_file
}

setup() { net_setup; }

net_setup() {
    cli_setup
    : >"$BATS_TEST_TMPDIR/links"
    : >"$BATS_TEST_TMPDIR/netns"
    # jids are not reused while a registry has a jail (an empty one goes, and its counter
    # starts again at 1): this test's jails get jids from here on. Other
    # registries (other test runs) may have lj<N> interfaces of their own: those present now
    # are not counted.
    LJT_JID0=$(next_jid)
    LJT_BASE_LINKS=$(product_links | tr '\n' ' ')
}

# create_refused EXPECTED-STDERR-PART NAME PARAM...: jail -c name=NAME path=ROOT persist PARAM...
# fails with status 1 and says EXPECTED-STDERR-PART (run's status, output and stderr stay set)
create_refused() {
    local want=$1 j=$2
    shift 2
    run --separate-stderr "$JAIL" -c name="$j" path="$LJT_ROOT" persist "$@"
    if [ "$status" -ne 1 ]; then
        show_run
        fail "jail -c $* should fail with status 1"
    fi
    if [[ "$stderr" != *"$want"* ]]; then
        show_run
        fail "jail -c $*: stderr does not contain: $want"
    fi
}

next_jid() {
    local n
    n=$(cat "$LJAIL_RUNDIR/next_jid" 2>/dev/null) || n=1
    echo "${n:-1}"
}

teardown() {
    [ -z "${LJT_NOT_ROOT:-}" ] || return 0
    local rc=0 l n
    cli_teardown || rc=1
    while read -r l; do
        [ -z "$l" ] || ip link del "$l" 2>/dev/null || true
    done <"$BATS_TEST_TMPDIR/links"
    while read -r n; do
        [ -z "$n" ] || ip netns del "$n" 2>/dev/null || true
    done <"$BATS_TEST_TMPDIR/netns"
    assert_net_clean || rc=1
    return $rc
}

# ---------------------------------------------------------------------------------------------
# what the network looks like on the host

# names of the product's host interfaces (lj followed by digits)
product_links() {
    ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -E '^lj[0-9]+(r[0-9a-f]{4})?$' || true
}

# product interfaces of the jails this test made (lj<jid> for the jids handed out since setup)
# that are still there
new_product_links() {
    local l n end
    end=$(next_jid)
    # wrapped around, or the registry gone with its last jail (its counter with it)
    if [ "$end" -lt "${LJT_JID0:-1}" ] || [ ! -e "$LJAIL_RUNDIR/next_jid" ]; then
        end=$((${LJT_JID0:-1} + 1000))
    fi
    for l in $(product_links); do
        [[ " $LJT_BASE_LINKS " == *" $l "* ]] && continue
        n=${l#lj}
        n=${n%%r*}
        [ "$l" = "$(veth_of_jid "$n")" ] || continue  # another registry's jail
        [ "$n" -ge "${LJT_JID0:-1}" ] && [ "$n" -lt "$end" ] && echo "$l"
    done
    return 0
}

# host routes (main table, both families) to a test address or through an lj<jid> interface
test_routes() {
    local l re="^($NET4\\.|$NET6)"
    for l in $(new_product_links); do re+="|dev $l( |\$)"; done
    { ip -4 route show; ip -6 route show; } | grep -E "$re" || true
}

# proxy neighbour entries for test addresses
test_proxies() {
    ip neigh show proxy | grep -E "^($NET4\.|$NET6)" || true
}

# assert_net_clean: nothing of a jail left on the host network; leftovers are removed so the
# next test starts clean, and the test fails
assert_net_clean() {
    local problems="" x l
    x=$(new_product_links)
    [ -z "$x" ] || problems+="interfaces left: $x"$'\n'
    x=$(test_routes)
    [ -z "$x" ] || problems+="routes left:"$'\n'"$x"$'\n'
    x=$(test_proxies)
    [ -z "$x" ] || problems+="proxy entries left:"$'\n'"$x"$'\n'
    x=$(cat /proc/sys/net/ipv6/conf/all/forwarding)
    [ "$x" = "$LJT_BASE_FWD6" ] ||
        problems+="net.ipv6.conf.all.forwarding is $x, was $LJT_BASE_FWD6"$'\n'
    [ -n "$problems" ] || return 0
    for l in $(new_product_links); do ip link del "$l" 2>/dev/null || true; done
    test_proxies | while read -r x _ l _; do
        ip neigh del proxy "$x" dev "$l" 2>/dev/null || true
    done
    echo "$LJT_BASE_FWD6" >/proc/sys/net/ipv6/conf/all/forwarding
    echo "NETWORK LEFT BEHIND after the test:" >&2
    echo "$problems" >&2
    return 1
}

# testlink NAME: remember a test interface for teardown (deleting one end of a veth pair
# deletes both)
testlink() {
    echo "$1" >>"$BATS_TEST_TMPDIR/links"
}

testnetns() {
    echo "$1" >>"$BATS_TEST_TMPDIR/netns"
}

# test interface and namespace names: "ljt" + pid of the run + a letter (at most 15 chars)
tname() {
    echo "ljt$LJT_RUN$1"
}

# make_veth A B: a veth pair of test interfaces, both ends up, registered for teardown
make_veth() {
    ip link del "$1" 2>/dev/null || true
    ip link add "$1" type veth peer name "$2" || return 1
    testlink "$1"
    ip link set "$1" up && ip link set "$2" up
}

host_has_link() {
    ip link show "$1" >/dev/null 2>&1
}

sysctl_get() {
    cat "/proc/sys/$(echo "$1" | tr . /)"
}

# Host end of a jail's veth for jid $1: lj<jid>, plus the registry's tag when LJAIL_RUNDIR is
# not the default (FNV-1a of the directory, as src/host/registry.cc Registry::tag()).
veth_of_jid() {
    local dir=${LJAIL_RUNDIR:-/run/ljail} h=2166136261 i c
    if [ "$dir" = /run/ljail ]; then echo "lj$1"; return; fi
    for ((i = 0; i < ${#dir}; i++)); do
        printf -v c '%d' "'${dir:i:1}"
        h=$(( ((h ^ c) * 16777619) & 0xffffffff ))
    done
    printf 'lj%sr%04x\n' "$1" $((h & 0xffff))
}

# veth name of a running jail (its host end)
veth_of() {
    veth_of_jid "$(jid_of "$1")"
}

# ---------------------------------------------------------------------------------------------
# inside the jail

# addresses of the jail as "IF FAMILY ADDR/PREFIX" lines, sorted, from busybox `ip -o addr`
jail_addrs() {
    "$JEXEC" "$1" ip -o addr | awk '{ print $2, $3, $4 }' | sort
}

# http_get_host ADDR PORT: GET / from the host over bash's /dev/tcp (the host has no nc)
http_get_host() {
    timeout 10 bash -c '
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "GET /index.html HTTP/1.0\r\n\r\n" >&3
        cat <&3' _ "$1" "$2"
}

# http_get_jail JAIL ADDR PORT: the same from inside a jail with busybox nc
http_get_jail() {
    printf 'GET /index.html HTTP/1.0\r\n\r\n' | "$JEXEC" "$1" nc -w 5 "$2" "$3"
}

# start_httpd JAIL ADDR:PORT: busybox httpd serving /www, waits until it listens
start_httpd() {
    "$JEXEC" "$1" httpd -p "$2" -h /www || return 1
    local port=${2##*:}
    wait_until 5 httpd_listening "$1" "$port"
}

httpd_listening() {
    "$JEXEC" "$1" netstat -ltn 2>/dev/null | grep -q ":$2 "
}

need_nettool() {
    [ -x "$LJT_ROOT/bin/nettool" ] || skip "nettool could not be built (no C compiler with -static)"
}

# ---------------------------------------------------------------------------------------------
# nettool: a small static program copied into the test root, because the busybox of the test
# root cannot do these things (its ping only tries raw sockets; its nc cannot bind an address):
#   nettool bind ADDR PORT      bind a TCP socket; prints "ok" or the errno name (exit 1)
#   nettool src ADDR            the source address the jail's stack picks for ADDR (UDP
#                               connect, which sends nothing)
#   nettool ping ADDR [IFNAME]  one echo over an ICMP datagram socket (no raw socket);
#                               prints "reply" (exit 0), "timeout" (exit 1) or "socket: ERRNO"
#                               (exit 2)
build_nettool() {
    command -v cc >/dev/null || return 0
    local src="$LJT_TMP/nettool.c"
    cat >"$src" <<'EOF'
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *ename(int e) {
    switch (e) {
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EADDRINUSE: return "EADDRINUSE";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENETUNREACH: return "ENETUNREACH";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EINVAL: return "EINVAL";
    default: return strerror(e);
    }
}

static socklen_t parse(const char *a, int port, const char *ifname, struct sockaddr_storage *ss) {
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons(port);
        return sizeof *s4;
    }
    if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(port);
        if (ifname) s6->sin6_scope_id = if_nametoindex(ifname);
        return sizeof *s6;
    }
    fprintf(stderr, "nettool: bad address %s\n", a);
    exit(100);
}

int main(int argc, char **argv) {
    struct sockaddr_storage ss;
    if (argc >= 4 && strcmp(argv[1], "bind") == 0) {
        socklen_t len = parse(argv[2], atoi(argv[3]), NULL, &ss);
        int fd = socket(ss.ss_family, SOCK_STREAM, 0);
        if (fd < 0) { printf("socket: %s\n", ename(errno)); return 2; }
        if (bind(fd, (struct sockaddr *)&ss, len) < 0) { printf("%s\n", ename(errno)); return 1; }
        printf("ok\n");
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "src") == 0) {
        socklen_t len = parse(argv[2], 9, NULL, &ss);
        int fd = socket(ss.ss_family, SOCK_DGRAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) < 0) {
            printf("%s\n", ename(errno));
            return 1;
        }
        struct sockaddr_storage me;
        socklen_t ml = sizeof me;
        char buf[INET6_ADDRSTRLEN];
        getsockname(fd, (struct sockaddr *)&me, &ml);
        if (me.ss_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)&me)->sin_addr, buf, sizeof buf);
        else
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&me)->sin6_addr, buf, sizeof buf);
        printf("%s\n", buf);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "ping") == 0) {
        socklen_t len = parse(argv[2], 0, argc >= 4 ? argv[3] : NULL, &ss);
        int v6 = ss.ss_family == AF_INET6;
        int fd = socket(ss.ss_family, SOCK_DGRAM, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
        if (fd < 0) { printf("socket: %s\n", ename(errno)); return 2; }
        unsigned char pkt[64];
        memset(pkt, 0xa5, sizeof pkt);
        if (v6) {
            struct icmp6_hdr *h = (struct icmp6_hdr *)pkt;
            h->icmp6_type = ICMP6_ECHO_REQUEST;
            h->icmp6_code = 0;
            h->icmp6_cksum = 0;
        } else {
            struct icmphdr *h = (struct icmphdr *)pkt;
            h->type = ICMP_ECHO;
            h->code = 0;
            h->checksum = 0;
            h->un.echo.sequence = htons(1);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            if (sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&ss, len) < 0) {
                printf("sendto: %s\n", ename(errno));
                return 1;
            }
            struct pollfd p = {.fd = fd, .events = POLLIN};
            while (poll(&p, 1, 1000) == 1) {
                unsigned char in[256];
                ssize_t n = recv(fd, in, sizeof in, 0);
                if (n > 0 && in[0] == (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY)) {
                    printf("reply\n");
                    return 0;
                }
            }
        }
        printf("timeout\n");
        return 1;
    }
    fprintf(stderr, "usage: nettool bind ADDR PORT | src ADDR | ping ADDR [IFNAME]\n");
    return 100;
}
EOF
    if cc -static -O2 -o "$LJT_TMP/nettool" "$src" >&2; then
        install -m 755 -o 0 -g 0 "$LJT_TMP/nettool" "$LJT_ROOT/bin/nettool"
    fi
    return 0
}
