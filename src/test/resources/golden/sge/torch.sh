#!/usr/bin/env bash
# xmrun experiment 0 (golden), job torch: work units 1-1.
# Submitted as a Grid Engine array; sweep index = $1 (the array's offset) + SGE_TASK_ID - 1.
# Grid Engine gives a job's exit status 99 (run it again) and 100 (error state, dependents held) a meaning of
# its own (qsub(1), -r and -hold_jid): a program ending so has that effect here too.
#$ -N xm0-torch
#$ -o @WORK@/sched/
#$ -j y
#$ -wd @WORK@
#$ -S /bin/bash
#$ -pe smp 4
#$ -l h_vmem=2048M
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${SGE_TASK_ID:-1} - 1 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${SGE_TASK_ID:-1} - 1 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=torch
export XM_WORK_UNIT_ID=$(( 1 + index ))
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
# One node, this one.
xm_nodes=("$(hostname)")
xm_nnodes=1
xm_addrs=(127.0.0.1)
xm_head=127.0.0.1
xm_cpus=4
# This unit's block of 100 ports: 20000 + ((uid + the scheduler's id of the unit) mod 120) x 100, so that units running
# at the same time on the same nodes, one user's or several users', do not share one; below the ephemeral ports (32768-).
xm_port=$(( 20000 + ($(id -u) + JOB_ID * 11 + SGE_TASK_ID) % 120 * 100 ))
# torchrun starts 2 process(es) per node and tells each its RANK, LOCAL_RANK and WORLD_SIZE;
# --no-python: it runs the program as written, not as a script of its own python.
"${xm_container[@]}" torchrun --nnodes=1 --nproc-per-node=2 --rdzv-id="xm$XM_EXPERIMENT_ID-$XM_WORK_UNIT_ID" \
    --rdzv-backend=c10d --rdzv-endpoint="$xm_head:$xm_port" --no-python "$@"
status=$?
exit $status
