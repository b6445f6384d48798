#!/usr/bin/env bash
# xmrun experiment 0 (golden), group rl: job learner (work units 1-1), job actor (work units 2-2).
# Submitted to this machine's local scheduler once per sweep point (the point is $1), with the CPUs and GPUs of all its
# members: its one task starts every member at once.
#XMRUN --job-name=xm0-learner
#XMRUN --sched-dir=@WORK@/sched
#XMRUN --chdir=@WORK@
#XMRUN --cpus=3
#XMRUN --gpus=1
#XMRUN --time=7200
# Where each member runs, for the others: here.
export XM_HOST_LEARNER=127.0.0.1 XM_HOST_ACTOR=127.0.0.1
export XM_GROUP=rl
# Member 0: job learner.
xm_member_0() (
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${XM_LOCAL_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${XM_LOCAL_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=learner
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
set -- python3 learner.py
"$@"
status=$?
exit $status
)
# Member 1: job actor.
xm_member_1() (
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${XM_LOCAL_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${XM_LOCAL_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=actor
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
set -- python3 actor.py
# One node, this one.
xm_nodes=("$(hostname)")
xm_nnodes=1
xm_addrs=(127.0.0.1)
xm_head=127.0.0.1
xm_cpus=1
# This unit's block of 100 ports: 20000 + ((uid + the scheduler's id of the unit) mod 120) x 100, so that units running
# at the same time on the same nodes, one user's or several users', do not share one; below the ephemeral ports (32768-).
xm_port=$(( 20000 + ($(id -u) + XM_LOCAL_JOB_ID * 11 + XM_LOCAL_TASK_ID + 1) % 120 * 100 ))
# torchrun starts 1 process(es) per node and tells each its RANK, LOCAL_RANK and WORLD_SIZE;
# --no-python: it runs the program as written, not as a script of its own python.
"${xm_container[@]}" torchrun --nnodes=1 --nproc-per-node=1 --rdzv-id="xm$XM_EXPERIMENT_ID-$XM_WORK_UNIT_ID" \
    --rdzv-backend=c10d --rdzv-endpoint="$xm_head:$xm_port" --no-python "$@"
status=$?
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
