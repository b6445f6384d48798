#!/usr/bin/env bash
# xmrun experiment 0 (golden), job ray: work units 2-2.
# Submitted to this machine's local scheduler as an array; sweep index = $1 (the array's offset) + XM_LOCAL_TASK_ID.
#XMRUN --job-name=xm0-ray
#XMRUN --sched-dir=@WORK@/sched
#XMRUN --chdir=@WORK@
#XMRUN --cpus=2
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${XM_LOCAL_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${XM_LOCAL_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=ray
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
set -- python3 driver.py
# One node, this one.
xm_nodes=("$(hostname)")
xm_nnodes=1
xm_addrs=(127.0.0.1)
xm_head=127.0.0.1
xm_cpus=2
xm_port=25000
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
# `ray start` on every node: the head on the first, a worker on each
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
    "${xm_container[@]}" ray start "${xm_role[@]}" --node-ip-address="${xm_addrs[xm_k]}" "${xm_flags[@]}" --block >>"$XM_WORK_DIR/ray.log" 2>&1 &
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
    "${xm_container[@]}" "$@"
    status=$?
else
    status=1
fi
# Stopping a step's srun makes Slurm stop every process of the step; `ray start --block` stops its own.
kill -TERM "${xm_ray_steps[@]}" 2>/dev/null
wait "${xm_ray_steps[@]}" 2>/dev/null
rm -rf -- "$xm_ray_tmp"
exit $status
