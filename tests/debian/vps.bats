#!/usr/bin/env bats
# Debian as a VPS (issue 6): two Debian trees made by mkjail(8) with sshd, PostgreSQL and
# fakeroot, booted FreeBSD style (exec.start = "rc S && rc 2", exec.stop = "rc 0") with their
# own IPv4 address, used from the host the way a VPS is: ssh, psql, ping, and stopped cleanly.
#
# setup_file runs mkjail twice: the first run on a machine bootstraps from the mirror (about
# three minutes with PostgreSQL) and fills the cache (its own entry: the package list differs
# from boot.bats's); later runs unpack the cache in about two seconds per tree. The trees are
# made once per file and booted by each test (a VPS reboots many times), then removed with the
# test directory.
#
# Traffic only goes between the host and the jails' addresses (10.77.X.0/24, X from the pid of
# the run) over the jails' veth pairs; the host end of each pair is 169.254.0.1 (jail(8),
# "ip4.addr"), which is both the jail's gateway and the source address of the host's packets.

LJT_TAG=vps
load debian_helpers

# on top of mkjail's defaults (iproute2, iputils-ping, procps)
VPS_INCLUDE="openssh-server,postgresql,fakeroot"
HOST_END=169.254.0.1
PG_LOG=var/log/postgresql/postgresql-15-main.log
UNSET_LOGINUID=4294967295

setup_file() {
    debian_setup_file
    [ -n "${LJT_NOT_ROOT:-}" ] && return 0
    local p
    for p in ssh ssh-keygen psql; do
        command -v $p >/dev/null ||
            { echo "$p is needed on the host (sh scripts/install-deps.sh)" >&2; return 1; }
    done
    export VA="btvps${LJT_RUN}a" VB="btvps${LJT_RUN}b"
    export VNET="10.77.$((LJT_RUN % 250 + 1))"
    export IPA="$VNET.1" IPB="$VNET.2"
    export TA="$LJT_TMP/a" TB="$LJT_TMP/b" VPS_CONF="$LJT_TMP/vps.conf" KEY="$LJT_TMP/id_vps"
    # the addresses must be free: no route of the host may lead to them but the default one
    if ip -4 route show | grep -v '^default' | grep -qE "^$VNET\.[0-9]+[ /]"; then
        ip -4 route show >&2
        echo "$VNET.0/24 is in use on this host" >&2
        return 1
    fi

    local t=$SECONDS n
    for n in a b; do
        local name=$VA ip=$IPA tree=$TA
        [ $n = a ] || { name=$VB ip=$IPB tree=$TB; }
        "$MKJAIL" --cache-dir "$DEB_CACHE" --include "$VPS_INCLUDE" --name "$name" --ip4 "$ip" \
            --conf="$LJT_TMP/$n.conf" "$tree" >&3 2>&1 || {
            echo "mkjail $tree failed" >&2
            return 1
        }
    done
    echo "# mkjail (two trees) took $((SECONDS - t)) s" >&3
    cat "$LJT_TMP/a.conf" "$LJT_TMP/b.conf" >"$VPS_CONF"

    ssh-keygen -q -t ed25519 -N '' -C ljail-vps-test -f "$KEY" || return 1
    for tree in "$TA" "$TB"; do
        # root logs in by key (Debian's sshd allows it: PermitRootLogin prohibit-password)
        install -d -m 700 "$tree/root/.ssh"
        install -m 600 "$KEY.pub" "$tree/root/.ssh/authorized_keys"
        # PostgreSQL answers on the jail's address, and trusts the host's end of the veth
        [ -f "$tree/etc/postgresql/15/main/pg_hba.conf" ] ||
            { echo "$tree: mkjail made no PostgreSQL 15 cluster" >&2; return 1; }
        echo "listen_addresses = '*'" >"$tree/etc/postgresql/15/main/conf.d/vps-test.conf"
        echo "host all postgres $HOST_END/32 trust" >>"$tree/etc/postgresql/15/main/pg_hba.conf"
        # the static probe, for what Debian has no tool for (a raw socket)
        install -m 755 "$LJAIL_PROBE" "$tree/usr/local/bin/ljprobe"
    done
}
teardown_file() { common_teardown_file; }

# boot NAME: jail -c NAME from the conf mkjail wrote
boot() {
    track "$1"
    run --separate-stderr "$JAIL" -f "$VPS_CONF" -c "$1"
    assert_success
}

# vssh ADDR COMMAND...: ssh as root into a jail with the test's key
vssh() {
    local a=$1
    shift
    timeout 60 ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
        -o ConnectTimeout=10 -o LogLevel=ERROR -i "$KEY" root@"$a" "$@"
}

# vpsql ADDR SQL: one value from the cluster of the jail at ADDR
vpsql() {
    PGCONNECT_TIMEOUT=10 timeout 60 psql -X -h "$1" -U postgres -d postgres -Atc "$2"
}

# host pids of the processes rooted in TREE whose command name is COMM
host_pids_of() {
    local p rest
    while read -r p rest; do
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" != "$2" ] || echo "$p"
    done < <(procs_rooted_in "$1")
}

# with_loginuid COMMAND...: run COMMAND in a subshell that has an audit loginuid (0 if the
# test process has none; exit 97 if it cannot be set)
with_loginuid() {
    (
        if [ "$(cat /proc/self/loginuid)" = "$UNSET_LOGINUID" ]; then
            echo 0 >/proc/self/loginuid || exit 97
        fi
        [ "$(cat /proc/self/loginuid)" != "$UNSET_LOGINUID" ] || exit 97
        "$@"
    )
}

# shm_keys NAME: the keys of the SysV shared memory segments NAME sees ("host" for the host)
shm_keys() {
    if [ "$1" = host ]; then
        ipcs -m
    else
        "$JEXEC" "$1" ipcs -m
    fi | awk '$1 ~ /^0x/ { print $1 }' | sort
}

@test "ssh root@ADDR hostname answers the jail's name" {
    boot "$VA"
    run --separate-stderr vssh "$IPA" hostname
    assert_success
    assert_output "$VA"
    # the connection came from the host end of the veth to the jail's own address
    run --separate-stderr vssh "$IPA" 'echo $SSH_CONNECTION'
    assert_success
    assert_output_contains "$HOST_END "
    assert_output_contains " $IPA 22"
}

# A jail started from a login session (the audit loginuid set, as after an ssh or console login
# on the host) must not pass that loginuid on: pam_loginuid in the jail's sshd could not replace
# it (no CAP_AUDIT_CONTROL in the jail) and would end every session.
@test "started from a shell with a loginuid, the jail's sshd has none and ssh sessions work" {
    local cur
    cur=$(cat /proc/self/loginuid)
    track "$VA"
    # in a subshell: give it a loginuid if the test has none, then start the jail from it
    run --separate-stderr with_loginuid "$JAIL" -f "$VPS_CONF" -c "$VA"
    [ "$status" -ne 97 ] || fail "cannot set the loginuid of a subshell (test process: $cur)"
    assert_success
    assert_eq "$(cat /proc/self/loginuid)" "$cur" "the test's own loginuid changed"

    local pids p
    pids=$(host_pids_of "$TA" sshd)
    [ -n "$pids" ] || fail "no sshd runs in the jail"
    for p in $pids; do
        assert_eq "$(cat /proc/$p/loginuid)" "$UNSET_LOGINUID" "loginuid of the jail's sshd ($p)"
    done
    # a session from a shell with a loginuid too; pam_loginuid gives it root's (0)
    run --separate-stderr with_loginuid vssh "$IPA" 'hostname; cat /proc/self/loginuid; echo'
    assert_success
    assert_output "$VA"$'\n'"0"
    # jexec from such a shell: the process in the jail has no loginuid either
    run --separate-stderr with_loginuid "$JEXEC" "$VA" cat /proc/self/loginuid
    assert_success
    assert_output "$UNSET_LOGINUID"
}

@test "postgres and sshd still run two seconds after jail -c returns" {
    boot "$VA"
    sleep 2
    run "$JEXEC" "$VA" pidof postgres
    assert_success
    run "$JEXEC" "$VA" pidof sshd
    assert_success
    # the postmaster runs as postgres, from the cluster mkjail's bootstrap made
    [ -n "$(host_pids_of "$TA" postgres)" ] || fail "no postgres rooted in $TA"
    run "$JEXEC" "$VA" sh -c 'ps -o user= -C postgres | sort -u'
    assert_output "postgres"
}

@test "two jails run PostgreSQL on port 5432 at once, each with its own SysV shared memory" {
    boot "$VA"
    boot "$VB"
    run --separate-stderr vpsql "$IPA" 'select inet_server_addr()'
    assert_success
    assert_output "$IPA"
    run --separate-stderr vpsql "$IPB" 'select inet_server_addr()'
    assert_success
    assert_output "$IPB"
    # both listen on 5432 of their own address
    run "$JEXEC" "$VB" sh -c "ss -Htln 'sport = :5432'"
    assert_output_contains "0.0.0.0:5432"

    local ka kb kh k
    ka=$(shm_keys "$VA")
    kb=$(shm_keys "$VB")
    kh=$(shm_keys host)
    [ -n "$ka" ] || fail "$VA sees no shared memory segment (PostgreSQL makes one)"
    [ -n "$kb" ] || fail "$VB sees no shared memory segment (PostgreSQL makes one)"
    for k in $ka; do
        ! grep -qx "$k" <<<"$kb" || fail "$VB sees $VA's segment $k"
        ! grep -qx "$k" <<<"$kh" || fail "the host sees $VA's segment $k"
    done
    for k in $kb; do
        ! grep -qx "$k" <<<"$ka" || fail "$VA sees $VB's segment $k"
        ! grep -qx "$k" <<<"$kh" || fail "the host sees $VB's segment $k"
    done
    # every segment a jail sees belongs to its postgres user
    run "$JEXEC" "$VA" sh -c "ipcs -m | awk '\$1 ~ /^0x/ { print \$3 }' | sort -u"
    assert_output "postgres"
}

@test "fakeroot works for an unprivileged user in the jail" {
    boot "$VA"
    run --separate-stderr "$JEXEC" "$VA" sh -c 'id -u fakeuser >/dev/null 2>&1 || useradd -m fakeuser'
    assert_success
    run --separate-stderr "$JEXEC" -U fakeuser "$VA" sh -c \
        'cd && rm -f f && fakeroot sh -c "touch f; chown root f; ls -l f" && id -un'
    assert_success
    # inside fakeroot the file is root's ...
    [[ "${lines[0]}" =~ ^-[rw-]{9}\ 1\ root\ root\  ]] || { show_run; fail "fakeroot's ls -l"; }
    assert_eq "${lines[1]}" fakeuser "user outside fakeroot"
    # ... and really stays the user's
    run "$JEXEC" "$VA" sh -c 'stat -c %U ~fakeuser/f'
    assert_output fakeuser
}

@test "Debian's ping reaches the host end of the veth; raw sockets are refused" {
    boot "$VA"
    run --separate-stderr "$JEXEC" "$VA" ping -4 -c1 -W3 "$HOST_END"
    assert_success
    assert_output_contains "1 received"
    run --separate-stderr "$JEXEC" "$VA" sh -c 'id -u pinguser >/dev/null 2>&1 || useradd pinguser'
    assert_success
    run --separate-stderr "$JEXEC" -U pinguser "$VA" ping -4 -c1 -W3 "$HOST_END"
    assert_success
    assert_output_contains "1 received"
    # the probe opens a raw socket on the host (so it can succeed) but not in the jail
    run "$LJAIL_PROBE" rawsocket
    assert_output "raw: ok"
    run "$JEXEC" "$VA" ljprobe rawsocket
    assert_status 1
    assert_output "raw: Operation not permitted"
    run "$JEXEC" -U pinguser "$VA" ljprobe rawsocket
    assert_status 1
    assert_output "raw: Operation not permitted"
}

@test "/proc/mounts in the jail lists only the jail's own mounts" {
    boot "$VA"
    run --separate-stderr "$JEXEC" "$VA" cat /proc/mounts
    assert_success
    local jail_mounts host_mounts m
    jail_mounts=$(awk '{ print $2 }' <<<"$output" | sort -u)
    host_mounts=$(awk '{ print $2 }' /proc/self/mounts | sort -u)
    [ -n "$jail_mounts" ] || fail "the jail lists no mount"
    grep -qx / <<<"$jail_mounts" || fail "no / in the jail's /proc/mounts"
    # no host path shows through
    for m in "$LJT_TMP" "$TA" /var/cache /work /mnt /home /tmp; do
        ! grep -q "^$m\(/\|$\)" <<<"$jail_mounts" || fail "the jail lists $m: $jail_mounts"
    done
    # the jail mounts /, /proc, /sys, /dev, /run and masks below them; nothing else
    while read -r m; do
        [[ "$m" =~ ^/((proc|sys|dev|run)(/.*)?)?$ ]] || fail "the jail lists $m"
    done <<<"$jail_mounts"
    # a mount point of the host appears in the jail only if the jail mounts the same name itself
    while read -r m; do
        case "$m" in
        / | /proc | /sys | /dev | /dev/pts | /dev/shm | /dev/mqueue | /run | /run/lock) continue ;;
        esac
        ! grep -qx -- "$m" <<<"$jail_mounts" || fail "the host's mount point $m is listed in the jail"
    done <<<"$host_mounts"
}

@test "jail -r stops PostgreSQL cleanly and leaves nothing" {
    boot "$VA"
    run --separate-stderr vpsql "$IPA" 'select 1'
    assert_success
    assert_output 1
    local state veth lines0 took t=$SECONDS
    state=$(state_file_of "$VA") || fail "no state file for $VA"
    veth=$(jq -er '.veth' "$state") || fail "no veth in $state"
    ip link show dev "$veth" >/dev/null || fail "no host interface $veth"
    lines0=$(wc -l <"$TA/$PG_LOG")

    run --separate-stderr timeout 60 "$JAIL" -f "$VPS_CONF" -r "$VA"
    took=$((SECONDS - t))
    assert_success
    assert_output_contains "runlevel 0"
    [ "$took" -le 30 ] || fail "jail -r took $took s (stop.timeout = 30)"

    # this stop (not an earlier one) ended the log with a clean shutdown
    local new
    new=$(tail -n +$((lines0 + 1)) "$TA/$PG_LOG")
    [[ "$new" == *"shutdown request"* ]] || { echo "$new" >&2; fail "no shutdown request in the log"; }
    [[ "$(tail -n 1 "$TA/$PG_LOG")" == *"LOG:  database system is shut down" ]] ||
        { tail -n 5 "$TA/$PG_LOG" >&2; fail "the log does not end with a clean shutdown"; }

    not listed "$VA" || fail "$VA still listed"
    [ -z "$(state_files)" ] || fail "registry entries left: $(state_files)"
    [ -z "$(cgroup_dirs "$VA")" ] || fail "cgroups left: $(cgroup_dirs "$VA")"
    ! ip link show dev "$veth" >/dev/null 2>&1 || fail "$veth is left on the host"
    [ -z "$(ip -4 route show "$IPA")" ] || fail "route to $IPA left: $(ip -4 route show "$IPA")"
    local left
    left=$(procs_rooted_in "$TA")
    [ -z "$left" ] || fail "processes left in the tree: $left"
    left=$(awk -v p="$TA" '$5 == p || index($5, p "/") == 1' /proc/self/mountinfo)
    [ -z "$left" ] || fail "mounts left under the tree: $left"
}
