#!/bin/sh
# Builds and runs the libFuzzer targets (tests/fuzz/*_fuzz.cc) with ASan and UBSan.
#
#   scripts/fuzz.sh [SECONDS]     run each target for SECONDS (default 60)
#
# Builds into build-fuzz/ with clang++ (installed with apt when missing, together with the
# fuzzer runtime), seeds each corpus from tests/fixtures, and fails (exit 1) on any crash, leak,
# timeout, out-of-memory or sanitizer report. Found inputs are kept in build-fuzz/artifacts/.
set -eu

SECONDS_PER_TARGET=${1:-60}
case $SECONDS_PER_TARGET in
  '' | *[!0-9]*)
    echo "usage: $0 [SECONDS]" >&2
    exit 2
    ;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build-fuzz
CXX=${CXX_FUZZ:-clang++}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Whether $CXX can link a libFuzzer program with the sanitizers (needs the compiler-rt
# libraries: libclang-rt-14-dev on Debian 12, only a Recommends of clang).
can_fuzz() {
  command -v "$CXX" >/dev/null 2>&1 || return 1
  probe=$OUT/probe
  printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
    'extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }' >"$probe.cc"
  "$CXX" -fsanitize=fuzzer,address,undefined "$probe.cc" -o "$probe" >/dev/null 2>&1
}

mkdir -p "$OUT"
if ! can_fuzz; then
  pkgs=
  command -v clang++ >/dev/null 2>&1 || pkgs=clang
  # clang's version decides which runtime package fits (clang 14 -> libclang-rt-14-dev).
  if command -v clang++ >/dev/null 2>&1; then
    major=$(clang++ -dumpversion | cut -d. -f1)
    pkgs="$pkgs libclang-rt-$major-dev"
  fi
  echo "fuzz.sh: installing${pkgs}" >&2
  as_root apt-get update -qq
  # shellcheck disable=SC2086 # $pkgs is a list of package names
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
  if [ -z "${major:-}" ] && ! can_fuzz; then
    # clang was just installed: now add the runtime that matches it.
    major=$(clang++ -dumpversion | cut -d. -f1)
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "libclang-rt-$major-dev" \
      >/dev/null
  fi
  can_fuzz || {
    echo "fuzz.sh: $CXX cannot link -fsanitize=fuzzer programs" >&2
    exit 1
  }
fi

CXXFLAGS="-std=c++20 -fno-exceptions -fsanitize=fuzzer,address,undefined"
CXXFLAGS="$CXXFLAGS -fno-sanitize-recover=undefined -iquote $ROOT/src -g -O1"

# The libraries each target needs (pure code only: no system calls beyond file reads).
BASE_SOURCES="$ROOT/src/base/*.cc"
PARAMS_SOURCES="$ROOT/src/params/*.cc"
CONFIG_SOURCES="$ROOT/src/config/*.cc"

build_start=$(date +%s)
mkdir -p "$OUT/obj"
# Compile each library source once (in parallel, two at a time) and link both targets from
# the same objects. The fuzzer flag on library code adds coverage instrumentation only. The
# json target fuzzes the state-file reader (the host reads state files that jails wrote).
objects=
for src in $BASE_SOURCES $PARAMS_SOURCES $CONFIG_SOURCES; do
  rel=${src#"$ROOT"/src/}
  obj=$OUT/obj/$(echo "$rel" | tr / _).o
  objects="$objects $obj"
  # Rebuilt when missing or older than its source or any header (find -newer: POSIX sh has no
  # -nt).
  if [ ! -f "$obj" ] || [ -n "$(find "$src" -newer "$obj")" ] ||
    [ -n "$(find "$ROOT/src/base" "$ROOT/src/params" "$ROOT/src/config" -name '*.h' -newer "$obj")" ]; then
    echo "$CXX $CXXFLAGS -c $src -o $obj"
  fi
done >"$OUT/compile.list"
if [ -s "$OUT/compile.list" ]; then
  xargs -P 2 -I CMD sh -c CMD <"$OUT/compile.list"
fi
params_objects=$(for o in $objects; do case $o in */base_* | */params_*) echo "$o" ;; esac; done)
base_objects=$(for o in $objects; do case $o in */base_*) echo "$o" ;; esac; done)
for target in config params json; do
  case $target in
    config) objs=$objects ;;
    params) objs=$params_objects ;;
    json) objs=$base_objects ;;
  esac
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS "$ROOT/tests/fuzz/${target}_fuzz.cc" $objs -o "$OUT/${target}_fuzz"
done
build_end=$(date +%s)
echo "fuzz.sh: built in $((build_end - build_start))s" >&2

# Corpora: the fixtures as seeds (copied so the fuzzer's additions stay out of the tree).
seed() {
  dir=$OUT/corpus/$1
  mkdir -p "$dir"
  shift
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$f")"
  done
  return 0
}
seed config "$ROOT"/tests/fixtures/conf/*.conf "$ROOT"/tests/fixtures/conf/inc/* \
  "$ROOT"/tests/fixtures/conf/errors/*.conf
seed params "$ROOT"/tests/fixtures/params/*.txt
seed json "$ROOT"/tests/fixtures/state/*.json

mkdir -p "$OUT/artifacts"
# The targets run at once, one process each (-jobs=1 -workers=1), so two cores run the whole
# script in about SECONDS plus the build. With -jobs, libFuzzer writes the job's output to
# fuzz-0.log in the working directory (and copies it to its own): each target gets its own.
echo "fuzz.sh: running config_fuzz, params_fuzz and json_fuzz for ${SECONDS_PER_TARGET}s each" >&2
for target in config params json; do
  mkdir -p "$OUT/run-$target"
  (
    cd "$OUT/run-$target"
    rm -f fuzz-0.log
    rc=0
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$OUT/${target}_fuzz" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -jobs=1 -workers=1 -print_final_stats=1 \
      -artifact_prefix="$OUT/artifacts/${target}-" "$OUT/corpus/$target" \
      >"$OUT/${target}_fuzz.log" 2>&1 || rc=$?
    echo "$rc" >"$OUT/${target}_fuzz.rc"
  ) &
done
wait

status=0
for target in config params json; do
  log=$OUT/${target}_fuzz.log
  rc=$(cat "$OUT/${target}_fuzz.rc" 2>/dev/null || echo 1)
  if [ "$rc" -ne 0 ] || grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
    echo "fuzz.sh: ${target}_fuzz FAILED (exit $rc); log: $log" >&2
    grep -E 'ERROR:|runtime error:|SUMMARY:|Test unit written' "$log" >&2 || tail -n 30 "$log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$log" |
      sed "s/^/fuzz.sh: ${target}: /" >&2 || true
  fi
done
echo "fuzz.sh: total $(($(date +%s) - build_start))s" >&2
exit $status
