#!/usr/bin/env bash
# xmrun experiment 0 (golden), job enroot: work units 3-3.
# Submitted to this machine's local scheduler as an array; sweep index = $1 (the array's offset) + XM_LOCAL_TASK_ID.
#XMRUN --job-name=xm0-enroot
#XMRUN --sched-dir=@WORK@/sched
#XMRUN --chdir=@WORK@
#XMRUN --gpus=2
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${XM_LOCAL_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${XM_LOCAL_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=enroot
export XM_WORK_UNIT_ID=$(( 3 + index ))
export XM_WORK_DIR=@WORK@/wu/$XM_WORK_UNIT_ID
export XM_ATTEMPT=${xm_attempt:-1}
export WANDB_PROJECT=mnist
mkdir -p "$XM_WORK_DIR" || exit 127
# Attempt 1 writes stdout, stderr, results; attempt N their .N copies: every attempt's output is kept.
xm_sfx=; [ "$XM_ATTEMPT" = 1 ] || xm_sfx=.$XM_ATTEMPT
exec >"$XM_WORK_DIR/stdout$xm_sfx" 2>"$XM_WORK_DIR/stderr$xm_sfx"
# At the end: the XM_RESULT lines the program printed, and its exit code (for status and for the jobs after it).
xm_record_exit() {
    local code=$?
    ! declare -F xm_container_stop >/dev/null || xm_container_stop # a runtime whose container can outlive this script
    grep -ah '^XM_RESULT ' "$XM_WORK_DIR/stdout$xm_sfx" "$XM_WORK_DIR/stderr$xm_sfx" >"$XM_WORK_DIR/results$xm_sfx" 2>/dev/null
    printf '%s\n' "$code" >"$XM_WORK_DIR/exit_code"
}
trap xm_record_exit EXIT
cd @CODE@ || exit 127
set -- python3 train.py
# The program runs in a container: enroot, image images/train.sqsh (not pinned).
[ -e /data ] || { printf 'xmrun: %s: mount %s: no such file or directory on %s\n' golden.xm.groovy:30 /data "$(hostname)" >&2; exit 127; }
[ -e /scratch/me ] || { printf 'xmrun: %s: mount %s: no such file or directory on %s\n' golden.xm.groovy:31 /scratch/me "$(hostname)" >&2; exit 127; }
# Inside, the program gets the job's env, xmrun's XM_*, Slurm's SLURM_*, the GPUs granted and the proxy variables.
xm_container_env=(WANDB_PROJECT)
while IFS= read -r xm_name; do
    case $xm_name in
    XM_* | SLURM_* | CUDA_VISIBLE_DEVICES | ALL_PROXY | HTTPS_PROXY | HTTP_PROXY | NO_PROXY | all_proxy | https_proxy | http_proxy | no_proxy)
        xm_container_env+=("$xm_name") ;;
    esac
done < <(compgen -e)
xm_container=(enroot start)
xm_container+=(--rw)
xm_container+=(-e NVIDIA_VISIBLE_DEVICES=all)
xm_container+=(-m @CODE@:@CODE@)
xm_container+=(-m @WORK@:@WORK@)
xm_container+=(-m /data:/data:none:x-create=auto,rbind,ro)
xm_container+=(-m /scratch/me:/scratch/me)
xm_container+=(@CODE@/images/train.sqsh /bin/sh -c 'while [ "$1" != -- ]; do export "$1=$2"; shift 2; done; shift; cd "$1" || exit 127; shift; exec "$@"' sh)
for xm_name in "${xm_container_env[@]}"; do xm_container+=("$xm_name" "${!xm_name}"); done
xm_container+=(-- @CODE@)
xm_srun_container=()
xm_step_container=("${xm_container[@]}")
"${xm_container[@]}" "$@"
status=$?
exit $status
