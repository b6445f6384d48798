#!/usr/bin/env bash
# xmrun experiment 0 (golden), job raysym: work units 4-4.
# Submitted as a Slurm array; sweep index = $1 (the array's offset) + SLURM_ARRAY_TASK_ID.
#SBATCH --job-name=xm0-raysym
#SBATCH --output=@WORK@/sched/%x-%A_%a.out
#SBATCH --chdir=@WORK@
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${SLURM_ARRAY_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${SLURM_ARRAY_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=raysym
export XM_WORK_UNIT_ID=$(( 4 + index ))
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
set -- python3 driver.py
# This unit's nodes, each with its address: a node's name need not resolve, its NodeAddr is where Slurm itself reaches it (slurm.conf(5)).
xm_nodelist=$SLURM_JOB_NODELIST
mapfile -t xm_nodes < <(scontrol show hostnames "$xm_nodelist")
xm_nnodes=$(scontrol show hostnames "$xm_nodelist" | wc -l)
declare -A xm_addr_of=()
while read -r xm_n xm_a; do xm_addr_of[$xm_n]=$xm_a; done < <(scontrol -o show node "$xm_nodelist" | sed -n 's/^NodeName=\([^ ]*\) .*NodeAddr=\([^ ]*\).*/\1 \2/p')
xm_addrs=()
for xm_n in "${xm_nodes[@]}"; do xm_addrs+=("${xm_addr_of[$xm_n]:-$xm_n}"); done
xm_head=${xm_addrs[0]}
# CPUs of the one process per node: cpus x tasksPerNode, else what Slurm gave the first node
xm_cpus=${SLURM_JOB_CPUS_PER_NODE%%[(,]*}
xm_port=26000
# A Ray node stopped by a signal first drains for 30 s, longer than a scheduler waits before it kills (Slurm's KillWait).
export RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S=0
# Per unit and node-local: /tmp/ray may belong to another user, and Ray's socket paths must stay short.
xm_ray_tmp=/tmp/xmray-$(id -u)-$xm_port
# The unit's ports: the head's GCS on the first, the dashboard on the next (it starts, minimal, even when not asked for).
xm_ray_flags="--temp-dir=$xm_ray_tmp --num-cpus=$xm_cpus --disable-usage-stats"
xm_ray_head_flags="--include-dashboard=true --dashboard-host=0.0.0.0 --dashboard-port=$((xm_port + 1))"
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
# `ray symmetric-run` (Ray 2.49 or later), the same command on every node: the node whose own address is --address starts
# the head, waits until every node has joined, runs the program and then stops Ray on its host (`ray stop`: every Ray
# process of the user there); the others start workers. Nodes sharing the head's address (one host) would each take it
# for their own, so then the head names another address of its host and they the loopback one, and the head starts once
# they are past symmetric-run's check that no Ray runs on the host.
export XM_RAY_PORT=$xm_port XM_RAY_NODES=$xm_nnodes XM_RAY_TMP=$xm_ray_tmp XM_RAY_FLAGS=$xm_ray_flags
export XM_RAY_HEAD_FLAGS=$xm_ray_head_flags XM_RAY_STATUS=$XM_WORK_DIR/.ray-status XM_RAY_SHARED=0
export RAY_SYMMETRIC_RUN_CLUSTER_WAIT_TIMEOUT=120
for ((xm_k = 0; xm_k < xm_nnodes; xm_k++)); do
    xm_a=$xm_head
    if [ "$xm_k" -gt 0 ] && [ "${xm_addrs[xm_k]}" = "$xm_head" ]; then
        xm_a=127.0.0.1
        XM_RAY_SHARED=$((XM_RAY_SHARED + 1))
    fi
    export "XM_RAY_ADDR_$xm_k=$xm_a" "XM_RAY_NODE_FLAGS_$xm_k=$(xm_node_ports "$xm_k")"
done
rm -f "$XM_RAY_STATUS"
# shellcheck disable=SC2016 # expanded by each node's bash
xm_ray_node='k=$SLURM_NODEID v=XM_RAY_NODE_FLAGS_$SLURM_NODEID a=XM_RAY_ADDR_$SLURM_NODEID
read -r -a flags <<<"$XM_RAY_FLAGS ${!v}"
addr=${!a}
mkdir -p "$XM_RAY_TMP"
if [ "$k" = 0 ]; then
    read -r -a head <<<"$XM_RAY_HEAD_FLAGS"
    if [ "$XM_RAY_SHARED" -gt 0 ]; then
        addr=$(hostname -I | tr " " "\n" | grep -v -e "^127\." -e "^$" | head -n 1)
        for ((t = 0; t < 600; t++)); do
            [ "$(find "$XM_RAY_TMP" -maxdepth 1 -name "passed.*" | wc -l)" -lt "$XM_RAY_SHARED" ] || break
            sleep 0.1
        done
    fi
    RAY_ADDRESS=$addr:$XM_RAY_PORT ray symmetric-run --address "$addr:$XM_RAY_PORT" --min-nodes "$XM_RAY_NODES" "${flags[@]}" "${head[@]}" -- "$@"
    echo "$?" >"$XM_RAY_STATUS"
else
    rm -f "$XM_RAY_TMP/passed.$k"
    PYTHONUNBUFFERED=1 ray symmetric-run --address "$addr:$XM_RAY_PORT" --min-nodes "$XM_RAY_NODES" "${flags[@]}" -- "$@" 2>&1 |
        while IFS= read -r line; do
            printf "%s\n" "$line"
            case $line in "On worker node"*) : >"$XM_RAY_TMP/passed.$k" ;; esac
        done
fi'
# --wait: the other nodes are stopped 5 s after the first one ends (workers would wait for a head that has gone)
srun --nodes="$xm_nnodes" --ntasks="$xm_nnodes" --ntasks-per-node=1 --cpus-per-task="$xm_cpus" --wait=5 "${xm_srun_container[@]}" "${xm_step_container[@]}" \
    bash -c "$xm_ray_node" xm-ray "$@"
xm_srun_status=$?
status=$(cat "$XM_RAY_STATUS" 2>/dev/null) || status=$xm_srun_status
rm -f "$XM_RAY_STATUS"
srun --nodes="$xm_nnodes" --ntasks="$xm_nnodes" --ntasks-per-node=1 rm -rf -- "$xm_ray_tmp"
exit $status
