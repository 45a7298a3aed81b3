#!/usr/bin/env bats
# SysV IPC (issue 5, Tests): sysvshm=new (default) isolates segments between jails and from the
# host, sysvshm=inherit shares the host's, sysvshm=disable refuses shmget; fakeroot-style
# semaphores work in a default jail. The host only reads /proc/sysvipc.

LJT_TAG=si
load ../cli/helpers
load sec_helpers

setup_file() { sec_setup_file; }
teardown_file() { common_teardown_file; }

# a key unique to this run
key() { echo $((0x4c4a0000 + ($$ & 0xffff) + ${1:-0})); }

host_has_key() {
    awk -v k="$1" 'NR > 1 && $1 == k { f = 1 } END { exit !f }' /proc/sysvipc/shm
}

@test "sysvshm=new: two jails do not see each other's segments; the host sees neither" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a"
    mkjail "$b"
    k=$(key 1)
    snapshot_host
    expect "$a" OK shm-create "$k"
    expect "$a" OK shm-get "$k"
    expect "$b" ENOENT shm-get "$k"
    host_has_key "$k" && fail "the host sees the jail's segment $k"
    expect "$b" OK shm-create "$k"
    assert_host_unchanged
}

@test "sysvshm=inherit alone is refused: Linux has one IPC namespace for all three" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist sysvshm=inherit
    assert_status 1
    assert_stderr "jail: sysvmsg, sysvsem and sysvshm: Linux shares SysV IPC only as a whole; set all three to inherit (or allow.sysvipc)"
}

@test "sysvsem=disable refuses semget, and semaphores work again without it" {
    n=$(jname)
    mkjail "$n" sysvsem=disable
    expect "$n" "semget EPERM" sem
    m=$(jname b)
    mkjail "$m" sysvshm=disable
    expect "$m" OK sem
}

@test "sysvshm=inherit with sysvmsg and sysvsem inherit: shared with the host" {
    n=$(jname)
    mkjail "$n" sysvshm=inherit sysvsem=inherit sysvmsg=inherit
    k=$(key 3)
    expect "$n" OK shm-create "$k"
    shared=0
    host_has_key "$k" && shared=1
    expect "$n" OK shm-rm "$k"
    host_has_key "$k" && fail "segment $k left on the host"
    [ "$shared" -eq 1 ] || fail "the host does not see the jail's segment $k"
}

@test "sysvshm=disable: shmget refused" {
    n=$(jname)
    mkjail "$n" sysvshm=disable
    ep "$n" shm-create "$(key 4)"
    [ "$output" != OK ] || { show_run; fail "sysvshm=disable: shmget succeeded"; }
    expect "$n" EPERM shm-get "$(key 4)"
}

@test "fakeroot-style SysV semaphores work in a default jail" {
    n=$(jname)
    mkjail "$n"
    snapshot_host
    expect "$n" OK sem
    assert_host_unchanged
}
