#!/usr/bin/env bash
# Launches to the live test Slurm (bash src/test/cluster/up.sh), as whole processes: wall time and peak
# memory (/usr/bin/time -v), median and range of RUNS.
#   - sweeps of 10, 10,000 and 100,000 points (three axes, long values), the units held (--begin) and
#     cancelled after each run; 100,000 points once served and 3 times in a JVM of their own: Slurm keeps
#     every cancelled task for MinJobAge, and three such runs in a row fill the test cluster's MaxJobCount
#     (a run waits until there is room, and until slurmctld has done purging); each size again in a JVM of its
#     own (its peak memory is the launch's);
#   - a 1000-point launch beside its floor: one `sbatch --array=0-999` of the same script; and the floor of a
#     100,000-point launch: 100 of those, four at a time, as xmrun sends them;
#   - `xmrun status` and `xmrun list` of that 1000-unit experiment, beside `java -version`.
# Rows are served by a warm xmrun server unless they say otherwise: "own JVM" rows run with
# XMRUN_NO_SERVER=1 (each a new JVM, as before the server), "first command" rows with no server yet
# (the client, a JVM of its own, and a server started for the next command). A served row's RSS is the client's.
#   bench/launch.sh [RUNS]      (default 5)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
export XMRUN_HOME="$work/home"
# shellcheck source=bench/server-lib.sh
source "$root/bench/server-lib.sh"
trap 'scancel --name=bench-floor >/dev/null 2>&1 || true; server_stop; rm -rf "$work"' EXIT
command -v sbatch >/dev/null || { echo "bench/launch.sh: needs the test Slurm: bash src/test/cluster/up.sh" >&2; exit 1; }

launcher() { # POINTS -> a launcher of that many points: lr x seed x model, long values, held an hour
  local n=$1 lrs=$(( $1 >= 100 ? 100 : $1 )) seeds=1 models=1
  if (( n >= 1000 )); then seeds=$(( n / 1000 )); models=10; fi
  cat >"$work/l$n.xm.groovy" <<LAUNCHER
experiment('bench$n') {
    cluster 'slurm'
    job('train') {
        command 'python3', 'train.py', '--data=/scratch/a/rather/long/path/to/a/dataset/shard-0001.tfrecord'
        args tag: 'bench run with a long value that every unit gets'
        option 'begin', 'now+1hour'
        sweep {
            lr ((1..$lrs).collect { it * 1e-5 })
            seed 0..<$seeds
            model ((1..$models).collect { "transformer-large-variant-\$it" })
        }
    }
}
LAUNCHER
  echo "$work/l$n.xm.groovy"
}

stat() { # NAME CMD... -> median wall ms, range, median RSS MB
  local name="$1" walls=() rss=(); shift
  for ((i = 0; i < runs; i++)); do
    before_run
    /usr/bin/time -v -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.0f", s * 1000 }' "$work/time")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time")")
    after_run
  done
  local sw sr
  sw=$(printf '%s\n' "${walls[@]}" | sort -n)
  sr=$(printf '%s\n' "${rss[@]}" | sort -n)
  printf '%-44s wall median %6s ms (%s-%s)   max RSS median %4s MB\n' "$name" \
    "$(sed -n "$(((runs + 1) / 2))p" <<<"$sw")" "$(head -1 <<<"$sw")" "$(tail -1 <<<"$sw")" \
    "$(sed -n "$(((runs + 1) / 2))p" <<<"$sr")"
}

# shellcheck disable=SC2317 # redefined below, called from stat
after_run() { :; }
# shellcheck disable=SC2317
before_run() { :; }
cancel_latest() { # the experiment just launched: cancel its units (one scancel), so the next run starts clean
  local id; id=$("$root/bin/xmrun" list --json | awk -F': ' '/"id"/ { gsub(/,/, "", $2); print $2; exit }')
  [[ -z "$id" ]] || "$root/bin/xmrun" cancel "$id" >/dev/null
}

room_for() { # TASKS: wait (up to 6 min) until Slurm can take that many more; cancelled tasks stay for MinJobAge
  # (Slurm counts a few records more than squeue lists, one per array and more: 5,000 to spare)
  local max i; max=$(scontrol show config | awk '$1 == "MaxJobCount" { print $3 }')
  for ((i = 0; i < 72; i++)); do
    (( $(squeue --noheader --array --states=all --format=%i | wc -l) + $1 + 5000 <= max )) && return 0
    sleep 5
  done
}

settle() { # until slurmctld is done purging: a purge of 100,000 tasks takes both cores for a while (up to 2 min)
  local was=-1 now i
  for ((i = 0; i < 12; i++)); do
    now=$(squeue --noheader --array --states=all --format=%i | wc -l)
    (( now == was )) && return 0
    was=$now; sleep 10
  done
}

echo "launches to the test Slurm, $runs runs each, $(nproc) cores, $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1)"
# a quiet controller first: purging the tasks of earlier runs keeps slurmctld busy (and this machine with it)
for ((i = 0; i < 72; i++)); do [[ -z "$(squeue --noheader --states=all --format=%i | head -1)" ]] && break; sleep 5; done
"$root/bin/xmrun" render "$(launcher 10)" -o "$work/warm" >/dev/null # jar and class-data archive warm
server_warm
after_run() { cancel_latest; }
for n in 10 10000 100000; do
  l=$(launcher "$n")
  "$root/bin/xmrun" sweep "$l" >/dev/null # the launcher compiled (and cached) before, as for every row
  all=$runs; if (( n == 100000 )); then runs=1; fi
  room_for $(( n * runs ))
  stat "xmrun launch, $n points" "$root/bin/xmrun" "$l"
  printf '%-44s %s\n' "  script size, data files" "$(du -b "$XMRUN_HOME"/experiments/*/jobs/train.sh | tail -1 | cut -f1) B script; $(du -cb "$XMRUN_HOME"/experiments/*/jobs/train.units | tail -1 | cut -f1) B units (all runs)"
  printf '%-44s %s MB' "  the server's RSS after these" "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$(server_pid)/status")"
  sleep 4 # it collects its heap 2 s after a command
  printf ', %s MB 4 s later\n' "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$(server_pid)/status")"
  room_for $(( n * runs ))
  # shellcheck disable=SC2317
  if (( n == 100000 )); then # its time against 10 points' is a target: a median of 3, each run waiting for room
    runs=$(( all < 3 ? all : 3 )); before_run() { room_for 100000; settle; }
  fi
  stat "xmrun launch, $n points, own JVM" env XMRUN_NO_SERVER=1 "$root/bin/xmrun" "$l"
  before_run() { :; }
  runs=$all
  rm -rf "$XMRUN_HOME/experiments"
done

l=$(launcher 1000)
room_for $(( 1000 * (4 * runs + 1) ))
stat "xmrun launch, 1000 points" "$root/bin/xmrun" "$l"
stat "xmrun launch, 1000 points, own JVM" env XMRUN_NO_SERVER=1 "$root/bin/xmrun" "$l"
# shellcheck disable=SC2317
before_run() { server_wait; server_stop; }
stat "xmrun launch, 1000 points, first command" "$root/bin/xmrun" "$l"
before_run() { :; }
server_warm
script=$(find "$XMRUN_HOME/experiments" -path "*/jobs/train.sh" | tail -1)
after_run() { scancel --name=bench-floor >/dev/null 2>&1 || true; }
stat "floor: sbatch --array=0-999 of that script" sbatch --parsable --job-name=bench-floor --array=0-999 --begin=now+1hour "$script" 0
after_run() { :; }
"$root/bin/xmrun" "$l" >/dev/null
stat "xmrun status (1000 units)" "$root/bin/xmrun" status
stat "xmrun status (1000 units), own JVM" env XMRUN_NO_SERVER=1 "$root/bin/xmrun" status
stat "xmrun list" "$root/bin/xmrun" list
stat "xmrun list, own JVM" env XMRUN_NO_SERVER=1 "$root/bin/xmrun" list
printf '%-44s %s MB\n' "the server's RSS after these" "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$(server_pid)/status")"
stat "floor: java -version" "${JAVA_HOME:+$JAVA_HOME/bin/}java" -version
cancel_latest
# last, as its 300,000 cancelled tasks would slow the rows after it: the floor of a 100,000-point launch, its 100
# arrays of 1000 (the test Slurm's MaxArraySize is 1001) sent four at a time, as xmrun sends them
# shellcheck disable=SC2317
after_run() { scancel --name=bench-floor >/dev/null 2>&1 || true; }
runs=$(( all < 3 ? all : 3 )); before_run() { room_for 100000; settle; }
# shellcheck disable=SC2016 # $0 is the script, expanded by the child shell
stat "floor: 100 x sbatch --array=0-999, 4 at a time" bash -c 'seq 100 | xargs -P4 -I{} sbatch --parsable --job-name=bench-floor --array=0-999 --begin=now+1hour "$0" 0 >/dev/null' "$script"
