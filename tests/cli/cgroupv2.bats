#!/usr/bin/env bats
# A pure cgroup v2 host, simulated on this hybrid machine: in a private mount namespace the v1
# controllers are unmounted and cgroup2 is mounted on /sys/fs/cgroup itself. The jail must get
# its cgroup in that hierarchy (ljail/NAME), jexec must join it, and jail -r must remove it.

LJT_TAG=v2
load helpers

setup_file() { common_setup_file; }
teardown_file() { common_teardown_file; }

@test "a pure cgroup v2 host: one cgroup ljail/NAME in the unified hierarchy, joined and removed" {
    n=$(jname)
    run --separate-stderr unshare -m --propagation private bash -c '
        set -e
        umount -l /sys/fs/cgroup
        mount -t cgroup2 none /sys/fs/cgroup
        "$1" -c name="$3" path="$4" persist
        echo "dir=$(test -d /sys/fs/cgroup/ljail/$3 && echo yes || echo no)"
        echo "v1=$(ls -d /sys/fs/cgroup/memory 2>/dev/null | wc -l)"
        "$2" "$3" cat /proc/self/cgroup | grep "^0::"
        echo "procs=$(wc -l < /sys/fs/cgroup/ljail/$3/cgroup.procs)"
        "$1" -r "$3"
        echo "after=$(test -d /sys/fs/cgroup/ljail/$3 && echo yes || echo no)"
    ' _ "$JAIL" "$JEXEC" "$n" "$LJT_ROOT"
    assert_success
    assert_output "dir=yes
v1=0
0::/
procs=1
after=no"
}
