#!/usr/bin/env bash
# xmrun experiment 0 (golden), group rl: job learner (work units 5-6), job actor (work units 7-8).
# Submitted as one Slurm heterogeneous job per sweep point (the point is $1): component I is member I, whose processes
# run as job steps of that component (srun --het-group=I), on its own nodes.
#SBATCH --job-name=xm0-learner
#SBATCH --output=@WORK@/sched/%x-%j.out
#SBATCH --chdir=@WORK@
#SBATCH --cpus-per-task=4
#SBATCH --mem=16384M
#SBATCH --gpus=1
#SBATCH hetjob
#SBATCH --job-name=xm0-actor
#SBATCH --output=@WORK@/sched/%x-%j.out
#SBATCH --chdir=@WORK@
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=2
# Where each member runs, for the others: the address of its first node (a node's name need not resolve; its NodeAddr does).
xm_first_addr() {
    scontrol -o show node "$(scontrol show hostnames "$1" | head -n 1)" | sed -n 's/.*NodeAddr=\([^ ]*\).*/\1/p'
}
XM_HOST_LEARNER=$(xm_first_addr "$SLURM_JOB_NODELIST_HET_GROUP_0")
XM_HOST_ACTOR=$(xm_first_addr "$SLURM_JOB_NODELIST_HET_GROUP_1")
export XM_HOST_LEARNER XM_HOST_ACTOR
export XM_GROUP=rl
# Member 0: job learner.
xm_member_0() (
source venv/bin/activate
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${SLURM_ARRAY_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${SLURM_ARRAY_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=learner
export XM_WORK_UNIT_ID=$(( 5 + index ))
export XM_WORK_DIR=@WORK@/wu/$XM_WORK_UNIT_ID
export XM_ATTEMPT=${xm_attempt:-1}
mkdir -p "$XM_WORK_DIR" || exit 127
# Attempt 1 writes stdout, stderr, results; attempt N their .N copies: every attempt's output is kept.
xm_sfx=; [ "$XM_ATTEMPT" = 1 ] || xm_sfx=.$XM_ATTEMPT
exec >"$XM_WORK_DIR/stdout$xm_sfx" 2>"$XM_WORK_DIR/stderr$xm_sfx"
# At the end: the XM_RESULT lines the program printed, and its exit code (for status and for the jobs after it).
xm_record_exit() {
    local code=$?
    grep -ah '^XM_RESULT ' "$XM_WORK_DIR/stdout$xm_sfx" "$XM_WORK_DIR/stderr$xm_sfx" >"$XM_WORK_DIR/results$xm_sfx" 2>/dev/null
    printf '%s\n' "$code" >"$XM_WORK_DIR/exit_code"
}
trap xm_record_exit EXIT
cd @CODE@ || exit 127
# This unit's own arguments and env axes: record $index of the job's data file (a count, the arguments,
# then NAME=VALUE fields), loaded with `read -d ''`; nothing is re-split or evaluated.
read -r xm_offset xm_length < <(dd if=@WORK@/jobs/learner.index bs=32 skip="$index" count=1 status=none)
[ -n "${xm_length:-}" ] || { echo "xmrun: job learner has no work unit with index $index" >&2; exit 127; }
xm_args=(); xm_count=; xm_n=0
while IFS= read -r -d '' xm_field; do
    if [ -z "$xm_count" ]; then xm_count=$xm_field
    elif [ "$xm_n" -lt "$xm_count" ]; then xm_args+=("$xm_field"); xm_n=$((xm_n + 1))
    else export "$xm_field"; fi
done < <(dd if=@WORK@/jobs/learner.units iflag=skip_bytes,count_bytes skip="$xm_offset" count="$xm_length" bs=65536 status=none)
set -- python3 learner.py "${xm_args[@]}"
srun --het-group=0 --nodes=1 --ntasks=1 --cpus-per-task=4 "$@"
status=$?
exit $status
)
# Member 1: job actor.
xm_member_1() (
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${SLURM_ARRAY_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${SLURM_ARRAY_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=actor
export XM_WORK_UNIT_ID=$(( 7 + index ))
export XM_WORK_DIR=@WORK@/wu/$XM_WORK_UNIT_ID
export XM_ATTEMPT=${xm_attempt:-1}
mkdir -p "$XM_WORK_DIR" || exit 127
# Attempt 1 writes stdout, stderr, results; attempt N their .N copies: every attempt's output is kept.
xm_sfx=; [ "$XM_ATTEMPT" = 1 ] || xm_sfx=.$XM_ATTEMPT
exec >"$XM_WORK_DIR/stdout$xm_sfx" 2>"$XM_WORK_DIR/stderr$xm_sfx"
# At the end: the XM_RESULT lines the program printed, and its exit code (for status and for the jobs after it).
xm_record_exit() {
    local code=$?
    grep -ah '^XM_RESULT ' "$XM_WORK_DIR/stdout$xm_sfx" "$XM_WORK_DIR/stderr$xm_sfx" >"$XM_WORK_DIR/results$xm_sfx" 2>/dev/null
    printf '%s\n' "$code" >"$XM_WORK_DIR/exit_code"
}
trap xm_record_exit EXIT
cd @CODE@ || exit 127
# This unit's own arguments and env axes: record $index of the job's data file (a count, the arguments,
# then NAME=VALUE fields), loaded with `read -d ''`; nothing is re-split or evaluated.
read -r xm_offset xm_length < <(dd if=@WORK@/jobs/actor.index bs=32 skip="$index" count=1 status=none)
[ -n "${xm_length:-}" ] || { echo "xmrun: job actor has no work unit with index $index" >&2; exit 127; }
xm_args=(); xm_count=; xm_n=0
while IFS= read -r -d '' xm_field; do
    if [ -z "$xm_count" ]; then xm_count=$xm_field
    elif [ "$xm_n" -lt "$xm_count" ]; then xm_args+=("$xm_field"); xm_n=$((xm_n + 1))
    else export "$xm_field"; fi
done < <(dd if=@WORK@/jobs/actor.units iflag=skip_bytes,count_bytes skip="$xm_offset" count="$xm_length" bs=65536 status=none)
set -- python3 actor.py "${xm_args[@]}"
# This unit's nodes, each with its address: a node's name need not resolve, its NodeAddr is where Slurm itself reaches it (slurm.conf(5)).
xm_nodelist=$SLURM_JOB_NODELIST_HET_GROUP_1
mapfile -t xm_nodes < <(scontrol show hostnames "$xm_nodelist")
xm_nnodes=$(scontrol show hostnames "$xm_nodelist" | wc -l)
declare -A xm_addr_of=()
while read -r xm_n xm_a; do xm_addr_of[$xm_n]=$xm_a; done < <(scontrol -o show node "$xm_nodelist" | sed -n 's/^NodeName=\([^ ]*\) .*NodeAddr=\([^ ]*\).*/\1 \2/p')
xm_addrs=()
for xm_n in "${xm_nodes[@]}"; do xm_addrs+=("${xm_addr_of[$xm_n]:-$xm_n}"); done
xm_head=${xm_addrs[0]}
# CPUs of the one process per node: cpus x tasksPerNode, else what Slurm gave the first node
xm_cpus=2
# This unit's block of 100 ports: 20000 + ((uid + the scheduler's id of the unit) mod 120) x 100, so that units running
# at the same time on the same nodes, one user's or several users', do not share one; below the ephemeral ports (32768-).
xm_port=$(( 20000 + ($(id -u) + SLURM_JOB_ID + 1) % 120 * 100 ))
# A Ray node stopped by a signal first drains for 30 s, longer than a scheduler waits before it kills (Slurm's KillWait).
export RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S=0
# Per unit and node-local: /tmp/ray may belong to another user, and Ray's socket paths must stay short.
xm_ray_tmp=/tmp/xmray-$(id -u)-$xm_port
# The unit's ports: the head's GCS on the first, the dashboard on the next (it starts, minimal, even when not asked for).
xm_ray_flags="--temp-dir=$xm_ray_tmp --num-cpus=$xm_cpus --disable-usage-stats"
xm_ray_head_flags="--include-dashboard=false --dashboard-port=$((xm_port + 1))"
# Node K's own ports, from the same block: its dashboard agent's 2-9, its workers' 10-99, split between the nodes that
# share K's address (they share a host).
xm_node_ports() {
    local j same=0 before=0 width
    for ((j = 0; j < xm_nnodes; j++)); do
        if [ "${xm_addrs[j]}" = "${xm_addrs[$1]}" ]; then
            same=$((same + 1))
            if [ "$j" -lt "$1" ]; then before=$((before + 1)); fi
        fi
    done
    width=$((90 / same))
    echo "--dashboard-agent-listen-port=$((xm_port + 2 + before % 8)) --min-worker-port=$((xm_port + 10 + before * width))" \
        "--max-worker-port=$((xm_port + 9 + (before + 1) * width))"
}
# `ray start` on every node, a job step each in the background: the head on the first, a worker on each
# other one (it waits for the head by itself); the program then runs here, once every node has joined. What Ray says
# goes to ray.log in the unit's work dir, so the program's stdout and stderr stay its own.
xm_ray_steps=()
for ((xm_k = 0; xm_k < xm_nnodes; xm_k++)); do
    if [ "$xm_k" = 0 ]; then
        read -r -a xm_role <<<"--head --port=$xm_port $xm_ray_head_flags"
    else
        xm_role=(--address="$xm_head:$xm_port")
    fi
    read -r -a xm_flags <<<"$xm_ray_flags $(xm_node_ports "$xm_k")"
    srun --nodes=1 --ntasks=1 --cpus-per-task="$xm_cpus" -w "${xm_nodes[xm_k]}" --het-group=1 "${xm_srun_container[@]}" "${xm_step_container[@]}" \
        ray start "${xm_role[@]}" --node-ip-address="${xm_addrs[xm_k]}" "${xm_flags[@]}" --block >>"$XM_WORK_DIR/ray.log" 2>&1 &
    xm_ray_steps+=("$!")
done
# Up once the head's port answers (ray.init() would retry an absent head for minutes) and every node has joined: a few
# lines of Python, run by the interpreter of the ray command.
xm_ray_join='import sys, time, ray
address, want = sys.argv[1], int(sys.argv[2])
ray.init(address=address, logging_level=40, log_to_driver=False)
t0 = time.time()
while sum(1 for n in ray.nodes() if n["Alive"]) < want:
    if time.time() - t0 > 300:
        sys.exit("xmrun: only %d of %d Ray nodes joined in 300 s" % (sum(1 for n in ray.nodes() if n["Alive"]), want))
    time.sleep(0.5)'
xm_ray_up() {
    local t0=$SECONDS
    until (exec 3<>"/dev/tcp/$xm_head/$xm_port") 2>/dev/null; do
        if ! kill -0 "${xm_ray_steps[0]}" 2>/dev/null || [ $((SECONDS - t0)) -ge 120 ]; then
            echo "xmrun: the Ray head did not start on ${xm_nodes[0]} ($xm_head:$xm_port); see $XM_WORK_DIR/ray.log" >&2
            return 1
        fi
        sleep 0.2
    done
    # shellcheck disable=SC2016 # expanded by the inner bash
    "${xm_container[@]}" bash -c 'py=$(sed -n "1s/^#! *//p" "$(command -v ray)"); case $py in *python*) ;; *) py=python3 ;; esac
exec $py -c "$0" "$@"' "$xm_ray_join" "$xm_head:$xm_port" "$xm_nnodes"
}
if xm_ray_up; then
    export RAY_ADDRESS=$xm_head:$xm_port
    # this script runs on the group's first member's node: the driver goes to this member's head node, beside the head's step
    srun --het-group=1 --nodes=1 --ntasks=1 -w "${xm_nodes[0]}" --overlap "${xm_srun_container[@]}" "${xm_step_container[@]}" "$@"
    status=$?
else
    status=1
fi
# Stopping a step's srun makes Slurm stop every process of the step; `ray start --block` stops its own.
kill -TERM "${xm_ray_steps[@]}" 2>/dev/null
wait "${xm_ray_steps[@]}" 2>/dev/null
srun --nodes="$xm_nnodes" --ntasks="$xm_nnodes" --ntasks-per-node=1 --het-group=1 rm -rf -- "$xm_ray_tmp"
exit $status
)
# Every member at once. The group ends when all have ended, with the exit status of the first that failed (each member's
# own is in its work unit's exit_code).
xm_pids=()
xm_member_0 "$@" &
xm_pids+=("$!")
xm_member_1 "$@" &
xm_pids+=("$!")
xm_group_status=0
for xm_pid in "${xm_pids[@]}"; do
    wait "$xm_pid"
    xm_member_status=$?
    if [ "$xm_group_status" = 0 ]; then xm_group_status=$xm_member_status; fi
done
exit "$xm_group_status"
