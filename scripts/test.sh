#!/bin/sh
# The README's second command (and CI's): dependencies, build, then every test through CTest:
# unit tests (no privileges) and the integration tests on real jails (root).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
cd build
ctest --output-on-failure --timeout 900 "$@"
