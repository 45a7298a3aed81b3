#!/bin/sh
# Installs what ljail needs to build, run and test, from Debian 12's packages (see README.md for
# why each one is there). Idempotent: apt is only asked when something is missing.
set -eu
pkgs="cmake ninja-build g++ pkg-config clang-format
      libseccomp-dev libcap-dev libnl-3-dev libnftables-dev libexpected-dev
      libgtest-dev googletest bats busybox-static iproute2 nftables jq bpftool clang libclang-rt-14-dev debootstrap zstd
      openssh-client postgresql-client"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "install-deps: installing$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
