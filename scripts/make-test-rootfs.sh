#!/bin/sh
# make-test-rootfs.sh DEST PROBE
#
# Builds a minimal jail root in DEST, offline, from the static busybox of the Debian package
# busybox-static: /bin/busybox plus one symlink per applet in DEST/bin, an /etc/passwd with
# root and alice (uid 1000), an /etc/group, the usual empty mount points, and PROBE (the test
# helper built from tests/probe, or any static program) copied to DEST/bin/probe.
# Used by the CLI tests and by the README demo. Run as root so ownership is right.
set -eu

die() { echo "make-test-rootfs: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: make-test-rootfs.sh DEST PROBE"
dest=$1
probe=$2
busybox=${BUSYBOX:-/bin/busybox}

[ -x "$busybox" ] || die "$busybox not found (apt-get install busybox-static)"
if command -v readelf >/dev/null 2>&1 && readelf -l "$busybox" 2>/dev/null | grep -q INTERP; then
    die "$busybox is dynamically linked (apt-get install busybox-static)"
fi
[ -f "$probe" ] || die "$probe: no such file"

# Only build into a new or empty directory, or one this script built before.
if [ -d "$dest" ] && [ -n "$(ls -A "$dest")" ] && [ ! -e "$dest/bin/busybox" ]; then
    die "$dest exists and is not empty"
fi
mkdir -p "$dest"
cd "$dest"
mkdir -p bin etc proc sys dev run tmp root home/alice
chmod 755 . bin etc proc sys dev run home home/alice
chmod 1777 tmp
chmod 700 root

cp "$busybox" bin/busybox
chmod 755 bin/busybox
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] && continue
    ln -sfn busybox "bin/$applet"
done
cp "$probe" bin/probe
chmod 755 bin/probe

cat >etc/passwd <<'END'
root:x:0:0:root:/root:/bin/sh
alice:x:1000:1000:Alice:/home/alice:/bin/sh
END
cat >etc/group <<'END'
root:x:0:
tty:x:5:
alice:x:1000:
END
cat >etc/hosts <<'END'
127.0.0.1 localhost
::1 localhost
END
chmod 644 etc/passwd etc/group etc/hosts

if [ "$(id -u)" -eq 0 ]; then
    chown 0:0 . bin etc proc sys dev run tmp root home bin/busybox bin/probe \
        etc/passwd etc/group etc/hosts
    chown -h 0:0 bin/*
    chown 1000:1000 home/alice
fi
