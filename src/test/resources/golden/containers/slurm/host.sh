#!/usr/bin/env bash
# xmrun experiment 0 (golden), job host: work units 7-7.
# Submitted as a Slurm array; sweep index = $1 (the array's offset) + SLURM_ARRAY_TASK_ID.
#SBATCH --job-name=xm0-host
#SBATCH --output=@WORK@/sched/%x-%A_%a.out
#SBATCH --chdir=@WORK@
index=$(( ${1:-0} + ${SLURM_ARRAY_TASK_ID:-0} - 0 ))
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=host
export XM_WORK_UNIT_ID=$(( 7 + index ))
export XM_WORK_DIR=@WORK@/wu/$XM_WORK_UNIT_ID
mkdir -p "$XM_WORK_DIR" || exit 127
exec >"$XM_WORK_DIR/stdout" 2>"$XM_WORK_DIR/stderr"
# The unit's exit code, for status and for the jobs that wait for this one.
xm_record_exit() {
    local code=$?
    printf '%s\n' "$code" >"$XM_WORK_DIR/exit_code"
}
trap xm_record_exit EXIT
cd @CODE@ || exit 127
set -- python3 eval.py
"$@"
status=$?
exit $status
