#!/usr/bin/env bash
# xmrun experiment 0 (golden), job eval: work units 5-5.
# Submitted to this machine's local scheduler as an array; sweep index = $1 (the array's offset) + XM_LOCAL_TASK_ID.
#XMRUN --job-name=xm0-eval
#XMRUN --sched-dir=@WORK@/sched
#XMRUN --chdir=@WORK@
index=$(( ${1:-0} + ${XM_LOCAL_TASK_ID:-0} - 0 ))
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=eval
export XM_WORK_UNIT_ID=$(( 5 + index ))
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
