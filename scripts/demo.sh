#!/bin/sh
# A short tour on a real jail: a busybox root built offline, then jail -c, jexec, jls, jail -r.
# Uses the installed tools (cmake --install) when present, else the build tree's.
set -eu
cd "$(dirname "$0")/.."
bin=/usr/local/sbin
[ -x "$bin/jail" ] || bin=$PWD/build/bin
root=$(mktemp -d /var/tmp/ljail-demo.XXXXXX)
trap '"$bin/jail" -q -r demo 2>/dev/null || true; rm -rf "$root"' EXIT
sh scripts/make-test-rootfs.sh "$root" "$PWD/build/tests/probe/probe" >/dev/null

run() { echo "# $*"; "$@"; }
run "$bin/jail" -v -c name=demo path="$root" host.hostname=demo.example persist
run "$bin/jexec" demo hostname
run "$bin/jexec" demo ps
run "$bin/jexec" demo cat /proc/self/uid_map
run "$bin/jexec" demo ip -o addr
run "$bin/jls"
run "$bin/jls" -n -j demo name host.hostname persist userns.uid
run "$bin/jail" -v -r demo
