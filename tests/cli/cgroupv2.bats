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

@test "a pure cgroup v2 host: the device program over ljail/NAME allows only the jail's device list" {
    command -v bpftool >/dev/null || fail "bpftool is needed (scripts/install-deps.sh)"
    n=$(jname)
    root="$LJT_TMP/devroot"
    make_root "$root"
    # Nodes placed from the host (the jail's root cannot make them): one of the list (null,
    # c 1:3), one outside it (fuse, c 10:229: its open has no other check than the mode).
    mknod -m 666 "$root/tmp/null" c 1 3
    mknod -m 666 "$root/tmp/fuse" c 10 229
    # the node itself opens (on the host)
    : <"$root/tmp/fuse"
    run --separate-stderr unshare -m --propagation private bash -c '
        set -e
        trap "\"\$1\" -r \"\$3\" >/dev/null 2>&1 || true" EXIT
        umount -l /sys/fs/cgroup
        mount -t cgroup2 none /sys/fs/cgroup
        "$1" -c name="$3" path="$4" persist
        # The default list: one program on the parent for every jail, none of the jail own.
        bpftool cgroup show /sys/fs/cgroup/ljail | awk "NR > 1 { print \$2, \$3, substr(\$4, 1, 6) }"
        echo "own: $(bpftool cgroup show "/sys/fs/cgroup/ljail/$3" | wc -l)"
        bpftool cgroup show "/sys/fs/cgroup/ljail/$3" effective | awk "NR > 1 { print \$2, substr(\$3, 1, 6) }"
        "$2" "$3" /bin/probe cat /dev/null && echo "dev/null ok"
        "$2" "$3" /bin/probe cat /tmp/null && echo "tmp/null ok"
        "$2" "$3" /bin/probe cat /tmp/fuse || echo "tmp/fuse refused: $?"
        "$2" "$3" /bin/sh -c "echo x >/dev/null" && echo "write ok"
        "$1" -r "$3"
    ' _ "$JAIL" "$JEXEC" "$n" "$root"
    assert_success
    assert_output "cgroup_device override ljdev_
own: 0
cgroup_device ljdev_
dev/null ok
tmp/null ok
tmp/fuse refused: 100
write ok"
    assert_stderr "probe: open /tmp/fuse: Operation not permitted"
}
