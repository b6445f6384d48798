#!/usr/bin/env bash
# xmrun experiment 0 (golden), job train: work units 1-4.
# Submitted to this machine's local scheduler as an array; sweep index = $1 (the array's offset) + XM_LOCAL_TASK_ID.
#XMRUN --job-name=xm0-train
#XMRUN --sched-dir=@WORK@/sched
#XMRUN --chdir=@WORK@
#XMRUN --cpus=4
#XMRUN --gpus=1
#XMRUN --time=7200
module load cuda/12.1
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${XM_LOCAL_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${XM_LOCAL_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=train
export XM_WORK_UNIT_ID=$(( 1 + index ))
export XM_WORK_DIR=@WORK@/wu/$XM_WORK_UNIT_ID
export XM_ATTEMPT=${xm_attempt:-1}
export WANDB_PROJECT='it'\''s $HOME'
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
read -r xm_offset xm_length < <(dd if=@WORK@/jobs/train.index bs=32 skip="$index" count=1 status=none)
[ -n "${xm_length:-}" ] || { echo "xmrun: job train has no work unit with index $index" >&2; exit 127; }
xm_args=(); xm_count=; xm_n=0
while IFS= read -r -d '' xm_field; do
    if [ -z "$xm_count" ]; then xm_count=$xm_field
    elif [ "$xm_n" -lt "$xm_count" ]; then xm_args+=("$xm_field"); xm_n=$((xm_n + 1))
    else export "$xm_field"; fi
done < <(dd if=@WORK@/jobs/train.units iflag=skip_bytes,count_bytes skip="$xm_offset" count="$xm_length" bs=65536 status=none)
set -- python3 train.py 'data dir' --epochs=2 "${xm_args[@]}"
nvidia-smi -L
nsys profile "$@"
status=$?
echo "exit status $status"
exit $status
