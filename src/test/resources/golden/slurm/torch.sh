#!/usr/bin/env bash
# xmrun experiment 0 (golden), job torch: work units 2-2.
# Submitted as a Slurm array; sweep index = $1 (the array's offset) + SLURM_ARRAY_TASK_ID.
#SBATCH --job-name=xm0-torch
#SBATCH --output=@WORK@/sched/%x-%A_%a.out
#SBATCH --chdir=@WORK@
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=8
#SBATCH --gpus-per-node=4
source venv/bin/activate
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${SLURM_ARRAY_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${SLURM_ARRAY_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=torch
export XM_WORK_UNIT_ID=$(( 2 + index ))
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
set -- python3 train.py 'it'\''s $HOME'
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
xm_cpus=8
# This unit's block of 100 ports: 20000 + ((uid + the scheduler's id of the unit) mod 120) x 100, so that units running
# at the same time on the same nodes, one user's or several users', do not share one; below the ephemeral ports (32768-).
xm_port=$(( 20000 + ($(id -u) + SLURM_JOB_ID) % 120 * 100 ))
# The setup lines, run again on each node before the process the helper starts there
xm_node_setup='source venv/bin/activate'$'\n''exec "$@"'
# torchrun starts 4 process(es) per node and tells each its RANK, LOCAL_RANK and WORLD_SIZE;
# --no-python: it runs the program as written, not as a script of its own python.
srun --nodes="$xm_nnodes" --ntasks="$xm_nnodes" --ntasks-per-node=1 --cpus-per-task="$xm_cpus" "${xm_srun_container[@]}" bash -c "$xm_node_setup" xm-node "${xm_step_container[@]}" \
    torchrun --nnodes="$xm_nnodes" --nproc-per-node=4 --rdzv-id="xm$XM_EXPERIMENT_ID-$XM_WORK_UNIT_ID" \
    --rdzv-backend=c10d --rdzv-endpoint="$xm_head:$xm_port" --no-python "$@"
status=$?
exit $status
