#!/usr/bin/env bash
# xmrun experiment 0 (golden), job eval: work units 5-5.
# Submitted as a Grid Engine array; sweep index = $1 (the array's offset) + SGE_TASK_ID - 1.
# Grid Engine gives a job's exit status 99 (run it again) and 100 (error state, dependents held) a meaning of
# its own (qsub(1), -r and -hold_jid): a program ending so has that effect here too.
#$ -N xm0-eval
#$ -o @WORK@/sched/
#$ -j y
#$ -wd @WORK@
#$ -S /bin/bash
# -hold_jid lets this job start once the jobs it waits for have ended, however they ended (qsub(1)). Whether
# they succeeded is read from the exit codes their work units left; when the condition is not met the array
# deletes itself before any program runs, so its units end cancelled.
xm_succeeded() {
    local id code
    for ((id = $1; id <= $2; id++)); do
        read -r code 2>/dev/null <@WORK@/wu/$id/exit_code && [ "$code" = 0 ] || return 1
    done
}
xm_cancel() {
    echo "xmrun: job $1 $2: deleting Grid Engine job $JOB_ID before it runs" >&2
    PATH=$PATH:$SGE_ROOT/bin/$SGE_ARCH qdel "$JOB_ID" >&2
    sleep 120 # the deletion kills this task
    echo "xmrun: Grid Engine job $JOB_ID was not deleted; can qdel be used on this host?" >&2
    exit 1
}
xm_succeeded 1 4 || xm_cancel train 'did not succeed'
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${SGE_TASK_ID:-1} - 1 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${SGE_TASK_ID:-1} - 1 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=eval
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
set -- python3 eval.py
"$@"
status=$?
exit $status
