#!/bin/bash
# bench/run.sh [--quick] [--ljail-bin DIR] [--out FILE]
#
# ljail against the raw-syscall floor and its peers (unshare, bubblewrap, crun, runc, LXC,
# systemd-nspawn), measured side by side in one run: every figure is a set of commands run
# interleaved round by round (A B C A B C ...) by bench/timer.c, reported as medians, min-max and
# per-round ratios. Writes bench/RESULTS.md (or --out FILE). Run as root on a Debian 12 host.
#
#   --quick          a few rounds of each figure, up to 10 running jails: a developer's check of
#                    a change, in well under two minutes
#   --ljail-bin DIR  where jail, jls and jexec are (default: build-dev/bin, built if missing);
#                    they are copied first, so a rebuild during the run changes nothing
#   --out FILE       where the report goes (default: bench/RESULTS.md)
#
# Everything the run makes (jails named bench-*, registered under /run/ljail-bench-state,
# containers, roots, bundles, veths, the state tmpfs) is removed at the end, also on failure or interruption. No traffic
# leaves the machine: jails have no address but 10.213.77.2 on a veth whose other end is on
# this host, and no peer gets a network but its own empty namespace.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MAIN=$(dirname "$HERE")
QUICK=0
LJBIN=""
OUT="$HERE/RESULTS.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --ljail-bin) LJBIN=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" -eq 0 ] || { echo "run.sh: run as root" >&2; exit 1; }

if [ $QUICK -eq 1 ]; then
  SETTLE=0.5; ROUNDS=5; XROUNDS=3; LOOP=10; CROUNDS=2; LEVELS="1 10"; SROUNDS=3; MEMN=5
else
  SETTLE=2; ROUNDS=30; XROUNDS=30; LOOP=200; CROUNDS=3; LEVELS="1 10 100 250 500 1000"; SROUNDS=10; MEMN=10
fi

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# ---------------------------------------------------------------- peers from Debian
need=()
for p in crun runc bubblewrap systemd-container lxc hyperfine busybox-static jq gcc util-linux strace; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq
  for p in "${need[@]}"; do
    if apt-cache policy "$p" | grep -q 'Candidate: (none)'; then
      log "$p is not in this machine's Debian: skipped"
    else
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null
    fi
  done
fi

# ---------------------------------------------------------------- work area and cleanup
# The runtimes keep their state under /run, a tmpfs on a Debian host (FHS: cleared at boot).
# Where /run is not one (this development machine's is a directory of its ext4 root, where
# every rename of a state file also flushes it), the three state roots go on a tmpfs of
# their own for the run, so that no runtime is measured on a disk's metadata journal.
STATE=/run/ljail-bench-state
STATE_MOUNTED=0
export LJAIL_RUNDIR=$STATE/ljail
WORK=$(mktemp -d /tmp/ljail-bench.XXXXXX)
chmod 755 "$WORK"       # the jails' mapped root must be able to reach their root
CRUNROOT=$STATE/crun
RUNCROOT=$STATE/runc
LXCPATH=$WORK/lxc
BG_PIDS=()
PIVOT_EXISTED=0
[ -d /sys/fs/cgroup/memory/lxc.pivot ] && PIVOT_EXISTED=1
NSPAWN_PROP_BEFORE=$(ls /run/systemd/nspawn/propagate 2>/dev/null || true)

cg2off() { unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh "$@"; }

cleanup() {
  set +e
  trap - EXIT INT TERM
  log "cleaning up"
  # LXC instances by name (one may have started just before an interrupt was handled)
  if [ -d "$LXCPATH" ]; then
    for c in bench-lxc-run $(seq -f 'bench-lxc-m%g' 1 "$MEMN"); do
      lxc-stop -k -n "$c" -P "$LXCPATH" >/dev/null 2>&1
    done
  fi
  BG_PIDS+=($(jobs -p))
  for pid in "${BG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${BG_PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ -d "$LJAIL_RUNDIR" ] && [ -x "$WORK/bin/jail" ]; then
    for f in "$LJAIL_RUNDIR"/*.json; do
      [ -e "$f" ] || continue
      name=$(jq -r .name "$f" 2>/dev/null)
      case "$name" in bench-*) "$WORK/bin/jail" -r "$name" >/dev/null 2>&1 ;; esac
    done
    # ljail removes its registry with the last jail; binaries older than that do not
    rm -f "$LJAIL_RUNDIR"/lock "$LJAIL_RUNDIR"/next_jid "$LJAIL_RUNDIR"/policy.*
    rmdir "$LJAIL_RUNDIR" 2>/dev/null
  fi
  if [ -d "$CRUNROOT" ]; then
    cg2off sh -c 'for c in $(crun --root "$1" list -q); do crun --root "$1" delete -f "$c"; done' \
      sh "$CRUNROOT" >/dev/null 2>&1
    rm -rf "$CRUNROOT"
  fi
  if [ -d "$RUNCROOT" ]; then
    for c in $(runc --root "$RUNCROOT" list -q 2>/dev/null); do
      runc --root "$RUNCROOT" delete -f "$c" >/dev/null 2>&1
    done
    rm -rf "$RUNCROOT"
  fi
  if [ $PIVOT_EXISTED -eq 0 ]; then
    for d in /sys/fs/cgroup/*/lxc.pivot; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
  fi
  for d in /run/systemd/nspawn/propagate/bench-root*; do
    [ -e "$d" ] || continue
    echo "$NSPAWN_PROP_BEFORE" | grep -qx "$(basename "$d")" || rm -rf "$d"
  done
  ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E '^lf[0-9]+$' |
    while read -r l; do ip link del "$l" 2>/dev/null; done
  [ $STATE_MOUNTED = 1 ] && umount "$STATE"
  rmdir "$STATE" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$STATE"
if [ "$(stat -f -c %T /run)" != tmpfs ] && ! mountpoint -q "$STATE"; then
  mount -t tmpfs -o mode=0700,size=64m ljail-bench-state "$STATE"
  STATE_MOUNTED=1
fi
trap 'log "failed: line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- ljail, floor, timer
mkdir -p "$WORK/bin"
if [ -z "$LJBIN" ]; then
  LJBIN=$MAIN/build-dev/bin
  if [ ! -x "$LJBIN/jail" ] || [ ! -x "$LJBIN/jls" ] || [ ! -x "$LJBIN/jexec" ]; then
    log "building ljail"
    cmake -S "$MAIN" -B "$MAIN/build-dev" -G Ninja >/dev/null
    cmake --build "$MAIN/build-dev" >/dev/null
  fi
fi
for t in jail jls jexec ljail-init; do cp "$LJBIN/$t" "$WORK/bin/$t"; done
# the dynamic helper of a static jail(8) (ip4.nat, ip_hostname), when the binaries have one
if [ -x "$LJBIN/ljail-host" ]; then cp "$LJBIN/ljail-host" "$WORK/bin/ljail-host"; fi
# jail root may execute the jail init but not read it (child/init.h)
chmod 0711 "$WORK/bin/ljail-init"
J=$WORK/bin/jail; JLS=$WORK/bin/jls; JEXEC=$WORK/bin/jexec
gcc -O2 -Wall -o "$WORK/bin/floor" "$HERE/floor.c"
gcc -O2 -Wall -o "$WORK/bin/timer" "$HERE/timer.c"
FLOOR=$WORK/bin/floor; TIMER=$WORK/bin/timer
ERRLOG=$WORK/errors.log; RAW=$WORK/raw.tsv
: >"$ERRLOG"

# ---------------------------------------------------------------- root, bundles, lxc config
ROOT=$WORK/bench-root
sh "$MAIN/scripts/make-test-rootfs.sh" "$ROOT" /bin/busybox >/dev/null
mkdir -p "$ROOT/usr/lib"        # systemd-nspawn refuses a tree without /usr and os-release
printf 'ID=busybox\nNAME="ljail bench root"\n' >"$ROOT/usr/lib/os-release"
UIDBASE=1610612736               # the OCI containers' 65536 ids (0x60000000)
for rt in crun runc; do
  for kind in true sleep; do
    d=$WORK/$rt-$kind; mkdir -p "$d"
    (cd "$d" && $rt spec)
    args='["/bin/true"]'; [ $kind = sleep ] && args='["/bin/sleep","1000000"]'
    jq --arg root "$ROOT" --argjson args "$args" --argjson base $UIDBASE '
      .process.terminal = false | .process.args = $args | .root.path = $root
      | .linux.namespaces += [{"type":"user"},{"type":"cgroup"}]
      | .linux.uidMappings = [{"containerID":0,"hostID":$base,"size":65536}]
      | .linux.gidMappings = [{"containerID":0,"hostID":$base,"size":65536}]' \
      "$d/config.json" >"$d/c" && mv "$d/c" "$d/config.json"
  done
done
mkdir -p "$LXCPATH"
# LXC maps ids through newuidmap, which wants /etc/subuid entries for root; the run leaves the
# host's files alone, so LXC runs privileged (no user namespace): it does less than the others.
cat >"$LXCPATH/config" <<EOF
lxc.uts.name = bench
lxc.rootfs.path = dir:$ROOT
lxc.net.0.type = empty
lxc.mount.auto = proc:mixed sys:ro
lxc.autodev = 1
lxc.apparmor.profile = unconfined
EOF

CRUN="crun --root $CRUNROOT"
RUNC="runc --root $RUNCROOT"
LXCEXEC="lxc-execute -P $LXCPATH -f $LXCPATH/config"
NSPAWN="systemd-nspawn --register=no --keep-unit -q"

# ---------------------------------------------------------------- helpers
# timed NAME ROUNDS WARMUP LOOP STEP...: runs the timer, keeps its table in $WORK/NAME.tsv and
# its samples (prefixed with NAME) in $RAW.
timed() {
  local name=$1 rounds=$2 warm=$3 loop=$4; shift 4
  local rc=0
  "$TIMER" -n "$rounds" -w "$warm" -l "$loop" -o "$WORK/$name.raw" -e "$ERRLOG" "$@" \
    >"$WORK/$name.tsv" || rc=$?
  sed "s/^/$name\t/" "$WORK/$name.raw" >>"$RAW"
  [ $rc -eq 0 ] || log "$name: some runs failed (see the report)"
}
# col GROUP STEP FIELD: a field of the timer's table (2 n, 3 median, 4 min, 5 max, 6 ratio,
# 7 rmin, 8 rmax, 9 failures)
col() { awk -F'\t' -v s="$2" -v f="$3" '$1==s {print $f}' "$WORK/$1.tsv"; }
# pair GROUP A B: median, min and max over rounds of A/B (same round)
pair() {
  awk -F'\t' -v a="$2" -v b="$3" '
    $2==a {x[$1]=$3} $2==b {y[$1]=$3}
    END { n=0; for (r in x) if (r in y && y[r] > 0) v[n++]=x[r]/y[r]
          if (n == 0) { print "n/a"; exit }
          for (i=0;i<n;i++) for (j=i+1;j<n;j++) if (v[j]<v[i]) {t=v[i];v[i]=v[j];v[j]=t}
          m = n%2 ? v[int(n/2)] : (v[n/2-1]+v[n/2])/2
          printf "%.2f (%.2f-%.2f)\n", m, v[0], v[n-1] }' "$WORK/$1.raw"
}
pairmed() { pair "$@" | awk '{print $1}'; }
# table GROUP: markdown rows for every step of a group
table() {
  echo "| step | runs | median ms | min-max ms | ratio to ${2:-the first} (median, min-max) | failed |"
  echo "|---|---:|---:|---:|---:|---:|"
  awk -F'\t' '{printf "| %s | %d | %.2f | %.2f-%.2f | %.2f (%.2f-%.2f) | %d |\n",
                $1, $2, $3, $4, $5, $6, $7, $8, $9}' "$WORK/$1.tsv"
}
kmem_kib() {  # unreclaimable kernel memory in KiB
  awk '/^(SUnreclaim|KernelStack|PageTables|Percpu):/ {s+=$2} END {print s}' /proc/meminfo
}
pss_kib() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
uss_kib() { awk '/^Private_(Clean|Dirty):/ {s+=$2} END {print s+0}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
settle() { sleep "$SETTLE"; }   # lets the kernel finish tearing down namespaces of removed ones
init_pid() { jq -r --arg n "$1" 'select(.name==$n) | .init_pid' "$LJAIL_RUNDIR"/*.json; }
met() { if [ "$1" = 1 ]; then echo "**met**"; else echo "**not met**"; fi; }
le() { awk -v a="$1" -v b="$2" 'BEGIN {print (a ~ /^[0-9.]+$/ && a+0 <= b+0) ? 1 : 0}'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN {print (a ~ /^[0-9.]+$/ && a+0 >= b+0) ? 1 : 0}'; }

STEPS_CMDS=$WORK/commands.md
: >"$STEPS_CMDS"
note_cmds() {  # note_cmds GROUP STEP...: the exact commands, for the report
  echo "**$1**" >>"$STEPS_CMDS"; echo '```' >>"$STEPS_CMDS"
  shift; for s in "$@"; do echo "$s" >>"$STEPS_CMDS"; done
  echo '```' >>"$STEPS_CMDS"
}

T0=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
# ---------------------------------------------------------------- 1. start to exit
log "start to exit of /bin/true ($ROUNDS rounds)"
lxc_ok=1
$LXCEXEC -n bench-probe -- /bin/true >/dev/null 2>"$WORK/lxc-probe.err" || lxc_ok=0
nspawn_ok=1
$NSPAWN -D "$ROOT" /bin/true >/dev/null 2>"$WORK/nspawn-probe.err" || nspawn_ok=0
start_steps=(
  "floor=$FLOOR $ROOT"
  "jail=$J -c path=$ROOT command=/bin/true"
  "floor-net=$FLOOR -n $ROOT"
  "jail-ip4=$J -c path=$ROOT ip4.addr=10.213.77.2 command=/bin/true"
  "floor-idmap=$FLOOR -i $ROOT"
  "unshare=unshare -Urpfnmiu --mount-proc chroot $ROOT /bin/true"
  "bwrap=bwrap --unshare-all --bind $ROOT / --proc /proc --dev /dev /bin/true"
  "crun=@cg2off $CRUN run --bundle $WORK/crun-true bench-crun-run"
  "runc=$RUNC run --bundle $WORK/runc-true bench-runc-run"
)
[ $lxc_ok = 1 ] && start_steps+=("lxc-execute=$LXCEXEC -n bench-lxc-run -- /bin/true")
[ $nspawn_ok = 1 ] && start_steps+=("nspawn=$NSPAWN -D $ROOT /bin/true")
timed start "$ROUNDS" 2 1 "${start_steps[@]}"
note_cmds "start to exit" "${start_steps[@]}"

# ---------------------------------------------------------------- 2. create + remove loop
log "create + remove, $LOOP per sample ($CROUNDS rounds)"
cr_steps=(
  "floor-persist=$FLOOR -p $ROOT"
  "jail=$J -c name=bench-cr path=$ROOT persist ;; $J -r bench-cr"
  "crun=@cg2off $CRUN create --bundle $WORK/crun-sleep bench-crun-cr ;; $CRUN delete -f bench-crun-cr"
  "runc=$RUNC create --bundle $WORK/runc-sleep bench-runc-cr ;; $RUNC delete -f bench-runc-cr"
)
timed create "$CROUNDS" 0 "$LOOP" "${cr_steps[@]}"
note_cmds "create + remove (each sample: $LOOP iterations, time per iteration)" "${cr_steps[@]}"

# ---------------------------------------------------------------- 3. enter a running one
log "jexec and its peers ($XROUNDS rounds)"
$J -c name=bench-x path="$ROOT" persist >/dev/null
XPID=$(init_pid bench-x)
cg2off $CRUN run -d --bundle "$WORK/crun-sleep" bench-crun-x </dev/null >/dev/null 2>>"$ERRLOG"
$RUNC run -d --bundle "$WORK/runc-sleep" bench-runc-x </dev/null >/dev/null 2>>"$ERRLOG"
x_steps=(
  "nsenter=nsenter -t $XPID -a /bin/true"
  "jexec=$JEXEC bench-x /bin/true"
  "crun-exec=@cg2off $CRUN exec bench-crun-x /bin/true"
  "runc-exec=$RUNC exec bench-runc-x /bin/true"
)
timed exec "$XROUNDS" 2 1 "${x_steps[@]}"
note_cmds "enter a running jail or container (nsenter -t: the jail's init)" "${x_steps[@]}"
$J -r bench-x >/dev/null
cg2off $CRUN delete -f bench-crun-x >/dev/null 2>&1
$RUNC delete -f bench-runc-x >/dev/null 2>&1

# ---------------------------------------------------------------- 4. memory of a running one
log "memory kept per running jail or container ($MEMN of each)"
MEMTSV=$WORK/memory.tsv
: >"$MEMTSV"
# memrow NAME KERNEL_DELTA_KIB WHAT PID...: PSS, USS (private) and RSS averaged over the PIDs
memrow() {
  local name=$1 kd=$2 what=$3; shift 3
  local n=$MEMN pss=0 uss=0 rss=0 p
  for p in "$@"; do
    pss=$((pss + $(pss_kib "$p"))); uss=$((uss + $(uss_kib "$p")))
    rss=$((rss + $(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
  done
  printf '%s\t%d\t%d\t%d\t%d\t%d\t%s\n' "$name" "$n" $((pss / n)) $((uss / n)) $((rss / n)) \
    $((kd / n)) "$what" >>"$MEMTSV"
}
settle; k0=$(kmem_kib)
for i in $(seq "$MEMN"); do $J -c name=bench-m$i path="$ROOT" persist >/dev/null; done
settle; k1=$(kmem_kib)
pids=(); for i in $(seq "$MEMN"); do pids+=("$(init_pid bench-m$i)"); done
PSS1=$(pss_kib "${pids[0]}")
CGK=$(( $(cat /sys/fs/cgroup/memory/ljail/bench-m1/memory.kmem.usage_in_bytes 2>/dev/null || echo 0) / 1024 ))
memrow "ljail" $((k1 - k0)) "jail init (ljail-init), nothing else" "${pids[@]}"
for i in $(seq "$MEMN"); do $J -r bench-m$i >/dev/null; done

settle; k0=$(kmem_kib)
cg2off sh -c 'for i in $(seq "$3"); do crun --root "$1" run -d --bundle "$2" bench-crun-m$i; done' \
  sh "$CRUNROOT" "$WORK/crun-sleep" "$MEMN" </dev/null >/dev/null 2>>"$ERRLOG"
settle; k1=$(kmem_kib)
memrow "crun run -d" $((k1 - k0)) "no process beside the workload (kernel figure includes the sleep)"
cg2off sh -c 'for i in $(seq "$2"); do crun --root "$1" delete -f bench-crun-m$i; done' \
  sh "$CRUNROOT" "$MEMN" >/dev/null 2>&1

settle; k0=$(kmem_kib)
for i in $(seq "$MEMN"); do
  $RUNC run -d --bundle "$WORK/runc-sleep" bench-runc-m$i </dev/null >/dev/null 2>>"$ERRLOG"
done
settle; k1=$(kmem_kib)
memrow "runc run -d" $((k1 - k0)) "no process beside the workload (kernel figure includes the sleep)"
for i in $(seq "$MEMN"); do $RUNC delete -f bench-runc-m$i >/dev/null 2>&1; done

if [ $lxc_ok = 1 ]; then
  settle; k0=$(kmem_kib); pids=()
  for i in $(seq "$MEMN"); do
    $LXCEXEC -n bench-lxc-m$i -- /bin/sleep 1000000 </dev/null >/dev/null 2>>"$ERRLOG" &
    BG_PIDS+=($!); pids+=($!)
  done
  settle; k1=$(kmem_kib)
  kids=(); for p in "${pids[@]}"; do kids+=($(pgrep -P "$p" | head -1)); done
  memrow "LXC lxc-execute (monitor)" $((k1 - k0)) \
    "lxc-execute stays as monitor; privileged (no user namespace); kernel figure includes lxc-init and the sleep" "${pids[@]}"
  memrow "LXC lxc-init" 0 "PID 1 of the container, beside the workload" "${kids[@]}"
  for i in $(seq "$MEMN"); do lxc-stop -k -n bench-lxc-m$i -P "$LXCPATH" >/dev/null 2>&1 || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
fi
if [ $nspawn_ok = 1 ]; then
  # nspawn locks its directory: one copy of the root each
  for i in $(seq "$MEMN"); do cp -a "$ROOT" "$WORK/bench-root-m$i"; done
  settle; k0=$(kmem_kib); pids=()
  for i in $(seq "$MEMN"); do
    $NSPAWN -D "$WORK/bench-root-m$i" /bin/sleep 1000000 </dev/null >/dev/null 2>>"$ERRLOG" &
    BG_PIDS+=($!); pids+=($!)
  done
  settle; k1=$(kmem_kib)
  memrow "systemd-nspawn" $((k1 - k0)) \
    "the nspawn process stays (the command is PID 1); kernel figure includes the sleep" "${pids[@]}"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for i in $(seq "$MEMN"); do rm -rf "$WORK/bench-root-m$i"; done
fi
INIT_PSS=$(awk -F'\t' 'NR==1 {print $3}' "$MEMTSV")

# ---------------------------------------------------------------- 5. growth with N running
log "growth with the number of running jails: $LEVELS ($SROUNDS rounds each)"
SCALE=$WORK/scale.tsv
: >"$SCALE"
have=0
for n in $LEVELS; do
  settle; m0=$(kmem_kib); t0=$(date +%s%N)
  for i in $(seq $((have + 1)) "$n"); do
    $J -c name=bench-s$i path="$ROOT" persist >/dev/null 2>>"$ERRLOG" || true
  done
  t1=$(date +%s%N); settle; m1=$(kmem_kib); t1b=$(date +%s%N)
  cg2off sh -c 'for i in $(seq "$3" "$4"); do
                  crun --root "$1" run -d --no-new-keyring --bundle "$2" bench-crun-s$i; done' \
    sh "$CRUNROOT" "$WORK/crun-sleep" $((have + 1)) "$n" </dev/null >/dev/null 2>>"$ERRLOG" || true
  t2=$(date +%s%N); settle; m2=$(kmem_kib); t2b=$(date +%s%N)
  for i in $(seq $((have + 1)) "$n"); do
    $RUNC run -d --no-new-keyring --bundle "$WORK/runc-sleep" bench-runc-s$i \
      </dev/null >/dev/null 2>>"$ERRLOG" || true
  done
  t3=$(date +%s%N); settle; m3=$(kmem_kib)
  added=$((n - have)); have=$n
  running=$("$JLS" -q name | grep -c '^bench-s' || true)
  crun_running=$(cg2off crun --root "$CRUNROOT" list -q 2>/dev/null | grep -c '^bench-crun-s' || true)
  runc_running=$($RUNC list -q 2>/dev/null | grep -c '^bench-runc-s' || true)
  running="$running / $crun_running / $runc_running"
  timed "scale$n" "$SROUNDS" 1 1 \
    "floor=$FLOOR $ROOT" \
    "jail=$J -c path=$ROOT command=/bin/true" \
    "jls=$JLS" \
    "crun-list=@cg2off $CRUN list" \
    "runc-list=$RUNC list"
  printf '%d\t%s\t%.2f\t%.2f\t%.2f\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n' "$n" "$running" \
    "$(awk -v a=$t0 -v b=$t1 -v k=$added 'BEGIN {print (b-a)/1e6/k}')" \
    "$(awk -v a=$t1b -v b=$t2 -v k=$added 'BEGIN {print (b-a)/1e6/k}')" \
    "$(awk -v a=$t2b -v b=$t3 -v k=$added 'BEGIN {print (b-a)/1e6/k}')" \
    "$(col scale$n floor 3)" "$(col scale$n jail 3)" "$(col scale$n jls 3)" \
    "$(col scale$n crun-list 3)" "$(col scale$n runc-list 3)" \
    $(((m1 - m0) / added)) $(((m2 - m1) / added)) $(((m3 - m2) / added)) >>"$SCALE"
  log "  $n running: jls $(col scale$n jls 3) ms, jail -c $(col scale$n jail 3) ms"
done
note_cmds "growth (at each level, after adding jails bench-sN with \`$J -c name=bench-sN path=$ROOT persist\` and as many crun/runc containers with \`run -d --no-new-keyring\` of the sleep bundle: with a session keyring each, runc fails past about 200 containers, as the keys of the containers' root uid hit kernel.keys.maxkeys=200)" \
  "floor=$FLOOR $ROOT" "jail=$J -c path=$ROOT command=/bin/true" "jls=$JLS" \
  "crun-list=@cg2off $CRUN list" "runc-list=$RUNC list"

# ---------------------------------------------------------------- 6. where the time goes
log "profiles (strace -c -f)"
prof() {  # prof TITLE CMD...: syscall time summary, top 12 lines
  echo "**$1** — \`${*:2}\`"
  echo '```'
  strace -f -c -w -o "$WORK/strace.out" "${@:2}" >/dev/null 2>&1 || true
  head -n 16 "$WORK/strace.out" | sed -e '/^$/d'
  echo '```'
  echo "slowest calls (strace -f -T; waits for children included):"
  echo '```'
  strace -f -T -o "$WORK/strace.T" "${@:2}" >/dev/null 2>&1 || true
  sed -n 's/^\([0-9]*\) *\(.*\) <\([0-9.]*\)>$/\3 \1 \2/p' "$WORK/strace.T" | sort -rn | head -8 |
    cut -c1-150 || true
  echo '```'
}
PROF=$WORK/profile.md
{
  prof "jail -c (no network)" "$J" -c path="$ROOT" command=/bin/true
  prof "jail -c ip4.addr" "$J" -c path="$ROOT" ip4.addr=10.213.77.2 command=/bin/true
  prof "floor" "$FLOOR" "$ROOT"
  prof "floor -n" "$FLOOR" -n "$ROOT"
  prof "jexec (one persistent jail running: bench-s1)" "$JEXEC" bench-s1 /bin/true
  prof "jls ($have jails running)" "$JLS"
} >"$PROF"
T1=$(date +%s)
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
log "writing $OUT"
jail_vs_floor=$(pairmed start jail floor)
jail_vs_bwrap=$(pairmed start jail bwrap)
ip4_vs_floor=$(pairmed start jail-ip4 floor-net)
crun_vs_jail=$(pairmed start crun jail)
jexec_vs_ns=$(pairmed exec jexec nsenter)
cr_vs_floor=$(pairmed create jail floor-persist)
crun_cr_vs_jail=$(pairmed create crun jail)
last=$(awk -F'\t' 'END {print $1}' "$SCALE")
jls_last=$(awk -F'\t' 'END {print $8}' "$SCALE")
# linear: the cost per added jail between the two highest levels is at most 1.8 times the cost
# per added jail between the first level and the middle one (quadratic growth doubles it and
# more), with 0.005 ms per jail of slack for noise
lin() {  # lin FIELD
  awk -F'\t' -v f="$1" '{n[NR]=$1; t[NR]=$f} END {
    if (NR < 3) { print "n/a"; exit }
    m = int((NR+1)/2)
    s1 = (t[m]-t[1])/(n[m]-n[1]); s2 = (t[NR]-t[NR-1])/(n[NR]-n[NR-1])
    printf "%s %.4f %.4f\n", (s2 <= 1.8*s1 + 0.005) ? 1 : 0, s1, s2 }' "$SCALE"
}
jls_lin=$(lin 8); start_lin=$(lin 7)

{
  echo "# ljail benchmark results"
  echo
  echo "Generated by \`bench/run.sh$([ $QUICK = 1 ] && echo ' --quick')\` on $(date -u '+%Y-%m-%d %H:%M UTC')," \
       "in $((T1 - T0)) s of measuring. Every table is one run of \`bench/timer\`: the steps run" \
       "interleaved round by round (A B C A B C ...), after warm-up rounds; the ratio of a" \
       "step is taken against the first step of the table *in the same round*, then its median" \
       "and min-max over the rounds are given. Times are wall clock from fork to exit, in ms."
  echo
  echo "## Machine and versions"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPUs (nproc) | $(nproc) ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)) |"
  echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
  echo "| kernel | $(uname -r) |"
  echo "| OS | $(. /etc/os-release && echo "$PRETTY_NAME") |"
  echo "| load average (1, 5, 15 min) | $LOAD0 at the start, $LOAD1 at the end of measuring (other work on the machine shows here; interleaving spreads it over all steps) |"
  echo "| cgroups | $(mount -t cgroup | wc -l) v1 hierarchies + cgroup2 on /sys/fs/cgroup/unified (hybrid) |"
  if [ $STATE_MOUNTED = 1 ]; then
    echo "| runtime state | ljail's registry, crun's and runc's state on a tmpfs mounted for the run at $STATE (this machine's /run is $(stat -f -c %T /run), not the tmpfs of a Debian host) |"
  else
    echo "| runtime state | ljail's registry, crun's and runc's state under $STATE, on /run ($(stat -f -c %T /run)) |"
  fi
  bt=$(grep -m1 '^CMAKE_BUILD_TYPE' "$LJBIN/../CMakeCache.txt" 2>/dev/null | cut -d= -f2 || true)
  echo "| ljail | binaries from \`$LJBIN\` ($(file -b "$J" | grep -o 'not stripped\|stripped' | head -1); build type ${bt:-unknown (no CMakeCache.txt beside the binaries)}; $(if file -b "$J" | grep -q 'static-pie linked\|statically linked'; then echo 'static programs (libstdc++, libseccomp, libcap, libnl-3 and the C library linked in)'; else echo 'libstdc++, libseccomp and libcap linked statically'; fi)) |"
  echo "| crun | $(crun --version | head -1) |"
  echo "| runc | $(runc --version | head -1) |"
  echo "| bubblewrap | $(bwrap --version) |"
  echo "| systemd-nspawn | $(systemd-nspawn --version | head -1) |"
  echo "| LXC | $(lxc-execute --version 2>/dev/null || dpkg-query -W -f='${Version}' lxc) |"
  echo "| util-linux (unshare, nsenter) | $(unshare --version | awk '{print $NF}') |"
  echo "| hyperfine | $(hyperfine --version 2>/dev/null || echo 'not installed') (not used: it does not interleave commands; bench/timer.c does) |"
  echo "| root | busybox $(busybox | head -1 | awk '{print $2}') (static), built by scripts/make-test-rootfs.sh, plus /usr/lib/os-release for nspawn |"
  echo
  echo "## Goals (issue 7)"
  echo
  echo "| goal | figure | verdict |"
  echo "|---|---|---|"
  echo "| start without network ≤ 1.5 × floor | jail / floor = $(pair start jail floor) | $(met "$(le "$jail_vs_floor" 1.5)") |"
  echo "| start without network below bwrap | jail / bwrap = $(pair start jail bwrap) | $(met "$(le "$jail_vs_bwrap" 0.9999)") |"
  echo "| start with ip4.addr ≤ 1.5 × floor with a network | jail-ip4 / floor-net = $(pair start jail-ip4 floor-net) | $(met "$(le "$ip4_vs_floor" 1.5)") |"
  echo "| start ≥ 3 × faster than crun | crun / jail = $(pair start crun jail) | $(met "$(ge "$crun_vs_jail" 3)") |"
  echo "| jexec ≤ 1.3 × nsenter | jexec / nsenter = $(pair exec jexec nsenter) | $(met "$(le "$jexec_vs_ns" 1.3)") |"
  if [ "$last" -ge 1000 ]; then
    echo "| jls with 1000 jails ≤ 20 ms | $jls_last ms | $(met "$(le "$jls_last" 20)") |"
  else
    echo "| jls with 1000 jails ≤ 20 ms | not measured (--quick stops at $last jails: $jls_last ms) | not measured |"
  fi
  echo "| jls linear in the number of jails | ms per added jail: $(echo "$jls_lin" | awk '{print $2 " (low levels), " $3 " (top levels)"}') | $( [ "${jls_lin%% *}" = n/a ] && echo 'not measured' || met "${jls_lin%% *}") |"
  echo "| create + remove ≤ 2 × floor | jail / floor-persist = $(pair create jail floor-persist) | $(met "$(le "$cr_vs_floor" 2)") |"
  echo "| create + remove ≥ 3 × faster than crun | crun / jail = $(pair create crun jail) | $(met "$(ge "$crun_cr_vs_jail" 3)") |"
  echo "| jail init ≤ 256 KiB PSS | $INIT_PSS KiB | $(met "$(le "$INIT_PSS" 256)") |"
  echo
  echo "## Start to exit of /bin/true"
  echo
  echo "floor is \`bench/floor.c\`: clone with user, PID, mount, UTS, IPC, network and cgroup"
  echo "namespaces, uid/gid maps (65536 ids) written by the parent, private mounts, bind of the"
  echo "root, proc, a minimal /dev (tmpfs, six nodes bound from the host, devpts, ptmx), hostname,"
  echo "lo up by one netlink message, pivot_root, exec. floor-net adds what \`ip4.addr\` needs: a"
  echo "veth pair with its peer in the jail, addresses, links up, routes, forwarding, and the"
  echo "deletion of the pair. floor-idmap makes the root an idmapped mount, as ljail does."
  echo
  table start floor
  echo
  echo "Other pairs: jail / bwrap $(pair start jail bwrap), jail / unshare $(pair start jail unshare)," \
       "jail / floor-idmap $(pair start jail floor-idmap), crun / jail $(pair start crun jail)," \
       "runc / jail $(pair start runc jail)$([ $lxc_ok = 1 ] && echo ", lxc-execute / jail $(pair start lxc-execute jail)")$([ $nspawn_ok = 1 ] && echo ", nspawn / jail $(pair start nspawn jail)")."
  if [ $lxc_ok = 0 ]; then
    echo; echo "lxc-execute could not run on this host: \`$(head -c 400 "$WORK/lxc-probe.err" | tr '\n' ' ')\`"
  else
    echo; echo "LXC runs privileged (no user namespace): LXC maps ids only through newuidmap, which" \
      "needs /etc/subuid entries for root, and the benchmark does not edit the host's files."
  fi
  [ $nspawn_ok = 0 ] && { echo; echo "systemd-nspawn could not run: \`$(head -c 400 "$WORK/nspawn-probe.err" | tr '\n' ' ')\`"; }
  echo
  echo "## Create + remove of a persistent jail"
  echo
  echo "Each sample is $LOOP create+remove iterations; the times are per iteration."
  echo "floor-persist is the floor whose child, instead of exec, reports ready and waits, then is"
  echo "killed and reaped."
  echo
  table create floor-persist
  echo
  echo "## Entering a running jail or container"
  echo
  table exec nsenter
  echo
  echo "## Memory kept per running jail or container"
  echo
  echo "$MEMN of each running at once. PSS, USS (Private_Clean + Private_Dirty) and RSS from"
  echo "/proc/PID/smaps_rollup of the processes a runtime keeps beside the workload, averaged;"
  echo "kernel is the growth of SUnreclaim + KernelStack + PageTables + Percpu in /proc/meminfo"
  echo "over the $MEMN starts, divided by $MEMN (noisy at this count: see the growth table for"
  echo "the same figure over hundreds). The first jail's init alone had a PSS of $PSS1 KiB; its"
  echo "v1 memory cgroup charged $CGK KiB of kernel memory (memory.kmem.usage_in_bytes: only what"
  echo "is allocated after the init joined it, not its namespaces)."
  echo
  echo "| runtime | instances | PSS KiB | USS KiB | RSS KiB | kernel KiB | what stays |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$MEMTSV"
  echo
  echo "## Growth with the number of running jails"
  echo
  echo "At each level N, N persistent jails, N crun containers and N runc containers run at"
  echo "once; create ms is the mean time per persistent create while building up to that level."
  echo "The other columns are medians of $SROUNDS interleaved rounds."
  echo
  echo "| N | running jails / crun / runc | jail -c persist ms | crun run -d ms | runc run -d ms | floor ms | jail -c command=/bin/true ms | jls ms | crun list ms | runc list ms |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10}' "$SCALE"
  echo
  echo "Kernel memory (SUnreclaim + KernelStack + PageTables + Percpu) per jail or container"
  echo "added to reach each level, in KiB (crun and runc figures include their sleep process):"
  echo
  echo "| N | per jail | per crun container | per runc container |"
  echo "|---:|---:|---:|---:|"
  awk -F'\t' '{printf "| %s | %s | %s | %s |\n", $1, $11, $12, $13}' "$SCALE"
  echo
  echo "Slope (ms per added running jail), low levels vs top levels: jls $(echo "$jls_lin" | awk '{print $2 " vs " $3}');" \
       "jail -c $(echo "$start_lin" | awk '{print $2 " vs " $3}')."
  echo
  echo "## Where the time goes (strace -f -c -w: wall time per system call, one run each)"
  echo
  cat "$PROF"
  echo
  echo "## Exact commands"
  echo
  echo "\`@cg2off\` means: run in a private mount namespace where /sys/fs/cgroup/unified is"
  echo "unmounted (crun 1.8 refuses this machine's hybrid cgroup layout otherwise); the timer"
  echo "makes it once and enters it with one setns() before exec. \`;;\` separates commands of one"
  echo "step. Paths: the work area was \`$WORK\` (removed), LJAIL_RUNDIR=$LJAIL_RUNDIR."
  echo "The OCI bundles are \`crun spec\` / \`runc spec\` with terminal off, args /bin/true (or"
  echo "/bin/sleep 1000000 for the containers that stay), root.path the busybox root, user and"
  echo "cgroup namespaces added, uid/gid maps 0 → $UIDBASE (65536), rootless off."
  echo
  cat "$STEPS_CMDS"
  fails=$(grep -c . "$ERRLOG" || true)
  if [ "$fails" -gt 0 ]; then
    echo
    echo "## Messages of the peers during the run ($fails lines: distinct ones, with counts)"
    echo
    echo "systemd-nspawn's \"Attempted to remove disk file system under /run/systemd/nspawn/propagate\""
    echo "is harmless (it will not clean its propagation directory on a non-tmpfs /run); a"
    echo "\"timer:\" line is a failed run of a step, counted in the tables' failed column."
    echo
    echo '```'
    sed -e 's/[0-9]\{4\}-[0-9-]*T[0-9:.]*Z/TIME/' -e 's/bench-[a-z0-9-]*/bench-X/g' "$ERRLOG" |
      sort | uniq -c | sort -rn | head -20 || true
    echo '```'
  fi
} >"$OUT"
log "done: $OUT"
