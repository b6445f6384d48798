#!/usr/bin/env bash
# smoke-multinode.sh - multi-node jobs on the test Slurm with the venv of
# start-python.sh, as root and as the ssh user (sbatch over ssh):
#
#   ray       2-node Ray cluster: `ray start --head` / `ray start --address`
#             as background srun steps, driver in the batch step; the driver
#             sees 2 nodes and runs one task pinned to each
#   torchrun  `srun torchrun` on 2 nodes, c10d rendezvous, gloo all_reduce
#   hetjob    heterogeneous job with 2 components; their steps overlap and
#             each sees the other component's node list
#
# Each job is submitted with `sbatch --parsable` and polled with squeue
# (`sbatch --wait` polls at ~2, 10, 42 s), then its records are read with sacct.
# Prints PASS/FAIL with the time from submission to the end and the peak
# memory per step, then "N passed, N failed"; exit 0 only if all passed.
#
# Usage: smoke-multinode.sh [--as root|ssh|both] [ray|torchrun|hetjob]...
#   (default: both users, all three jobs)
# Job scripts and outputs of the last run: $XM_TESTCLUSTER_DIR/smoke-multinode/<user>/
# shellcheck disable=SC2016  # job-side $VARs stay single-quoted
set -uo pipefail
XM_TAG=smoke-multinode
. "$(dirname "$0")/lib.sh"
AS=both
TESTS=()
while [ $# -gt 0 ]; do
  case $1 in
    --as) AS=${2:-}; shift ;;
    ray|torchrun|hetjob) TESTS+=("$1") ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done
case $AS in root|ssh|both) ;; *) die "--as takes root, ssh or both" ;; esac
[ ${#TESTS[@]} -gt 0 ] || TESTS=(ray torchrun hetjob)
require_root
PY_BIN=$XM_PY_VENV/bin
[ -x "$PY_BIN/python" ] || die "no venv at $XM_PY_VENV: run start-python.sh (or up.sh) first"
W=$XM_DIR/smoke-multinode
SSH=(ssh -F "$XM_DIR/ssh/ssh_config" xm-cluster)
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
q() { printf '%q' "$1"; }

# ---------------------------------------------------------------- job scripts
# Shared by all jobs: PATH, and a sampler that records the peak RSS of every
# step of this job on each node (the processes below each `slurmstepd:
# [JOB.STEP]`; the accounting samples only every 5 s and misses short peaks).
prologue() { # OUTDIR
  cat <<EOF
export PATH=$(q "$PY_BIN"):\$PATH
out=$(q "$1")
EOF
  cat <<'EOF'
rss_sample() {
  ps -eo pid=,ppid=,rss=,args= | awk -v j="$SLURM_JOB_ID" '
    { pp[$1] = $2; rss[$1] = $3
      if ($4 == "slurmstepd:" && index($5, "[" j ".") == 1) { s = $5; gsub(/[][]/, "", s); step[$1] = s "/" $1 } }
    END { for (p in pp) { q = pp[p]; while (q > 1 && !(q in step)) q = pp[q]
                          if (q in step) tot[step[q]] += rss[p] }
          for (s in tot) print s, tot[s] }'
}
( while sleep 0.5; do rss_sample; done ) > "$out/rss-$SLURM_JOB_ID.raw" 2>/dev/null &
sampler=$!
rss_report() {
  kill "$sampler" 2>/dev/null
  # one slurmstepd per node of a step: "RSS STEP MiB[+MiB...]"
  awk '{ if ($2 > m[$1]) m[$1] = $2 }
       END { for (k in m) { s = k; sub(/\/.*/, "", s); v[s] = (s in v ? v[s] "+" : "") int(m[k] / 1024) }
             for (s in v) print "RSS", s, v[s], "MiB" }' "$out/rss-$SLURM_JOB_ID.raw" | sort
  rm -f "$out/rss-$SLURM_JOB_ID.raw"
}
# node_addr NODE -> the node's NodeAddr (node names need not resolve)
node_addr() { scontrol show node "$1" | sed -n 's/.*NodeAddr=\([^ ]*\).*/\1/p'; }
# a block of 100 ports for this job, so that jobs sharing a node do not collide;
# 20000-31999: above Ray's default worker ports, below the ephemeral range (32768-)
port=$((20000 + SLURM_JOB_ID % 120 * 100))
EOF
}

ray_job() { # OUTDIR
  cat <<'EOF'
#!/bin/bash
#SBATCH --job-name=xm-mn-ray
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=00:03:00
EOF
  prologue "$1"
  cat <<'EOF'
# a Ray process that gets SIGTERM drains for 30 s first (Ray >= 2.5x); Slurm
# sends SIGKILL KillWait (5 s) after SIGTERM, which would orphan its children
export RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S=0
nodes=($(scontrol show hostnames "$SLURM_JOB_NODELIST"))
head_ip=$(node_addr "${nodes[0]}")
tmp=/tmp/ray-$SLURM_JOB_ID   # per job: /tmp/ray of another user is not writable; sockets need a short path
trap 'rm -rf "$tmp"' EXIT    # also after scancel (bash runs it on SIGTERM)
cpus=$SLURM_CPUS_PER_TASK    # not detected: Ray would count every CPU of the host
# worker ports (default 10002-19999 on every node) from this job's block, one
# range per node: raylets on one host hand out the same free port to two workers
w=$((90 / SLURM_JOB_NUM_NODES))
steps=()
for ((k = 0; k < ${#nodes[@]}; k++)); do   # `ray start --address` waits for the head's GCS
  if [ "$k" = 0 ]; then role=(--head --port="$port" --include-dashboard=false)
  else role=(--address="$head_ip:$port"); fi
  lo=$((port + 10 + k * w))
  srun --nodes=1 --ntasks=1 -w "${nodes[k]}" \
    ray start "${role[@]}" --node-ip-address="$(node_addr "${nodes[k]}")" --temp-dir="$tmp" \
      --min-worker-port="$lo" --max-worker-port="$((lo + w - 1))" --num-cpus="$cpus" \
      --disable-usage-stats --block &
  steps+=($!)
done
echo "RAY head $head_ip:$port temp $tmp"
# ray.init() retries an absent GCS for minutes: wait for its port while the head step lives
t0=$SECONDS
until (exec 3<>"/dev/tcp/$head_ip/$port") 2>/dev/null; do
  kill -0 "${steps[0]}" 2>/dev/null && [ $((SECONDS - t0)) -lt 60 ] || { echo "RAY head did not start"; exit 1; }
  sleep 0.2
done
RAY_ADDRESS=$head_ip:$port MIN_NODES=$SLURM_JOB_NUM_NODES timeout 120 python -u "$out/ray_driver.py"
rc=$?
rss_report
kill -TERM "${steps[@]}"   # srun then ends its step: Slurm kills all of the step's processes
wait
exit $rc
EOF
}

ray_driver() {
  cat <<'EOF'
import os, time, ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy
want = int(os.environ["MIN_NODES"])
t0 = time.time()
ray.init(address=os.environ["RAY_ADDRESS"], log_to_driver=False)
# the workers join after the head: wait until all of them are alive
while len([n for n in ray.nodes() if n["Alive"]]) < want and time.time() - t0 < 90:
    time.sleep(0.5)
nodes = [n for n in ray.nodes() if n["Alive"]]
print(f"RAY nodes {len(nodes)} of {want} after {time.time() - t0:.1f} s", flush=True)
@ray.remote(num_cpus=1)
def where():
    return os.environ.get("SLURMD_NODENAME", "?")
on = ray.get([where.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote()
              for n in nodes])
print("RAY tasks on", ",".join(sorted(on)), flush=True)
raise SystemExit(0 if len(nodes) == want and len(set(on)) == want else 1)
EOF
}

torchrun_job() { # OUTDIR
  cat <<'EOF'
#!/bin/bash
#SBATCH --job-name=xm-mn-torchrun
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=00:03:00
EOF
  prologue "$1"
  cat <<'EOF'
nodes=($(scontrol show hostnames "$SLURM_JOB_NODELIST"))
head_ip=$(node_addr "${nodes[0]}")
echo "TORCHRUN rendezvous $head_ip:$port"
srun --nodes="$SLURM_JOB_NUM_NODES" --ntasks-per-node=1 \
  torchrun --nnodes="$SLURM_JOB_NUM_NODES" --nproc-per-node=1 --rdzv-id="$SLURM_JOB_ID" \
    --rdzv-backend=c10d --rdzv-endpoint="$head_ip:$port" "$out/allreduce.py"
rc=$?
rss_report
exit $rc
EOF
}

allreduce() {
  cat <<'EOF'
import os, torch, torch.distributed as dist
dist.init_process_group("gloo")
r, w = dist.get_rank(), dist.get_world_size()
t = torch.tensor([float(r)])
dist.all_reduce(t)
print(f"TORCH rank {r} world {w} node {os.environ.get('SLURMD_NODENAME')} sum {t.item():g}", flush=True)
dist.destroy_process_group()
raise SystemExit(0 if w == 2 and t.item() == w * (w - 1) // 2 else 1)
EOF
}

hetjob_job() { # OUTDIR
  cat <<'EOF'
#!/bin/bash
#SBATCH --job-name=xm-mn-hetjob
#SBATCH --time=00:02:00
#SBATCH --ntasks=1 --cpus-per-task=2 --mem=256M
#SBATCH hetjob
#SBATCH --ntasks=1 --cpus-per-task=1 --mem=256M
EOF
  prologue "$1"
  cat <<'EOF'
env | grep '^SLURM_' | sort > "$out/het-$SLURM_JOB_ID-batch.env"
# one step per component, in the background so that they run at the same time
body='s=$(date +%s.%N); env | grep "^SLURM_" | sort > "$out/het-$SLURM_JOB_ID-g$G.env"; sleep 2
echo "HET g$G $s $(date +%s.%N) on $SLURMD_NODENAME own=$SLURM_JOB_NODELIST g0=$SLURM_JOB_NODELIST_HET_GROUP_0 g1=$SLURM_JOB_NODELIST_HET_GROUP_1"'
export out
G=0 srun --het-group=0 bash -c "$body" &
g0=$!
G=1 srun --het-group=1 bash -c "$body" &
g1=$!
wait "$g0"; rc0=$?
wait "$g1"; rc1=$?
rss_report
[ "$rc0" = 0 ] && [ "$rc1" = 0 ]
EOF
}

# ---------------------------------------------------------------- running
# finished JOBID -> true once squeue lists no record of the job that is still
# pending or running (a heterogeneous job has one record per component)
finished() {
  local s
  s=$(squeue -h -t all -j "$1" -o %T 2>/dev/null) || return 1
  [ -n "$s" ] && ! grep -qvE '^(COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|PREEMPTED|BOOT_FAIL|DEADLINE)$' <<<"$s"
}
# records JOBID N -> "JobID|State|ExitCode" of the job (-X: one per
# component), once sacct has N of them and none is pending or running: the
# accounting lags squeue (a record can still say RUNNING, and a second
# component's record can arrive a moment after the first)
records() {
  local out
  for _ in $(seq 1 50); do
    out=$(sacct -n -X -P -j "$1" -o JobID,State,ExitCode 2>/dev/null)
    [ "$(grep -c . <<<"$out")" -ge "$2" ] &&
      ! grep -qE '\|(PENDING|RUNNING|REQUEUED|RESIZING|SUSPENDED|COMPLETING|CONFIGURING)\|' <<<"$out" && break
    sleep 0.2
  done
  echo "$out"
}

# run USER NAME -> submit job NAME as USER (root, or the ssh user over ssh),
# wait for its end, check it; sets JOB, SECS, OUT, REC
run() {
  local who=$1 name=$2 dir=$W/$1 script t0 end
  script=$dir/$name.sbatch
  "${name}_job" "$dir" > "$script"
  t0=$(now)
  if [ "$who" = root ]; then
    JOB=$(sbatch --parsable --chdir="$dir" --output="$dir/$name-%j.out" "$script" 2>&1)
  else
    JOB=$("${SSH[@]}" sbatch --parsable --chdir="$(q "$dir")" --output="$(q "$dir/$name-%j.out")" <"$script" 2>&1)
  fi
  JOB=${JOB%%;*}
  OUT=""; REC=""; SECS=""
  [[ $JOB =~ ^[0-9]+$ ]] || { JOB="(sbatch: $JOB)"; return 1; }
  end=$(( $(date +%s) + 240 ))
  until finished "$JOB"; do
    if [ "$(date +%s)" -ge "$end" ]; then   # our own job: cancel it
      if [ "$who" = root ]; then scancel "$JOB"; else "${SSH[@]}" scancel "$JOB"; fi
      SECS=timeout; OUT=$(cat "$dir/$name-$JOB.out" 2>&1); return 1
    fi
    sleep 0.25
  done
  SECS=$(secs_since "$t0")
  OUT=$(cat "$dir/$name-$JOB.out" 2>&1)
  REC=$(records "$JOB" "$([ "$name" = hetjob ] && echo 2 || echo 1)")
}

# all_ok -> true if every sacct record is COMPLETED 0:0
all_ok() { [ -n "$REC" ] && ! grep -qv '|COMPLETED|0:0$' <<<"$REC"; }
mem() { grep '^RSS' <<<"$OUT" | cut -d' ' -f2- | paste -sd, | sed 's/,/, /g'; }
detail() { echo "    job $JOB: $(paste -sd' ' <<<"$REC")"; tail -n 25 <<<"$OUT" | sed 's/^/    | /'; }

check_ray() {
  if all_ok && grep -q '^RAY nodes 2 of 2' <<<"$OUT" && grep -q '^RAY tasks on c1,c2$' <<<"$OUT"; then
    ok "$1: ray 2-node cluster, one task per node (job $JOB, ${SECS}s; $(grep -o 'after [0-9.]* s' <<<"$OUT" | head -1) to join; $(mem))"
  else
    bad "$1: ray (job $JOB, ${SECS}s)"; detail
  fi
}
check_torchrun() {
  if all_ok && [ "$(grep -cE '^TORCH rank [01] world 2 node c[12] sum 1$' <<<"$OUT")" = 2 ]; then
    ok "$1: torchrun 2 nodes c10d, gloo all_reduce (job $JOB, ${SECS}s; $(mem))"
  else
    bad "$1: torchrun (job $JOB, ${SECS}s)"; detail
  fi
}
check_hetjob() {
  local s0 e0 s1 e1 own0 own1 g0a g1a g0b g1b why=""
  # HET gG START END on NODE own=NODELIST g0=NODELIST g1=NODELIST
  read -r _ _ s0 e0 _ _ own0 g0a g1a < <(grep '^HET g0 ' <<<"$OUT")
  read -r _ _ s1 e1 _ _ own1 g0b g1b < <(grep '^HET g1 ' <<<"$OUT")
  all_ok && [ "$(grep -c . <<<"$REC")" = 2 ] || why="records"
  [ -n "${e1:-}" ] && [ -n "${e0:-}" ] && awk -v a="$s0" -v b="$e0" -v c="$s1" -v d="$e1" 'BEGIN{exit !(a < d && c < b)}' ||
    why="$why no-overlap"
  # each component sees both node lists, and its own one is its HET_GROUP_N
  [ "${g0a:-x}" = "${g0b:-y}" ] && [ "${g1a:-x}" = "${g1b:-y}" ] && [ "${own0#own=}" = "${g0a#g0=}" ] &&
    [ "${own1#own=}" = "${g1b#g1=}" ] || why="$why nodelists"
  if [ -z "$why" ]; then
    ok "$1: hetjob 2 components overlap ($(awk -v a="$s0" -v c="$s1" 'BEGIN{printf "%+.3f", c - a}') s apart, ${g0a} ${g1a}) (job $JOB, ${SECS}s)"
  else
    bad "$1: hetjob ($why) (job $JOB, ${SECS}s)"; detail
  fi
}

USERS=()
case $AS in root) USERS=(root) ;; ssh) USERS=("$XM_SSH_USER") ;; both) USERS=(root "$XM_SSH_USER") ;; esac
for who in "${USERS[@]}"; do
  mkdir -p "$W/$who"
  rm -f "$W/$who"/*.out "$W/$who"/*.env   # keep only this run's outputs
  chmod 0755 "$W"
  [ "$who" = root ] || chown "$who:" "$W/$who"
  ray_driver > "$W/$who/ray_driver.py"
  allreduce > "$W/$who/allreduce.py"
  for t in "${TESTS[@]}"; do
    if run "$who" "$t"; then "check_$t" "$who"; else bad "$who: $t (job $JOB, ${SECS:-?}s)"; detail; fi
  done
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
