#!/bin/sh
# The README's first command: dependencies, build, install, and a short demo on a real jail.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
cmake --install build --strip >/dev/null
sh scripts/demo.sh
