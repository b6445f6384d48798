#!/usr/bin/env bash
# xmrun experiment 0 (golden), job fetch: work units 1-1.
# Submitted as a Slurm array; sweep index = $1 (the array's offset) + SLURM_ARRAY_TASK_ID.
#SBATCH --job-name=xm0-fetch
#SBATCH --output=@WORK@/sched/%x-%A_%a.out
#SBATCH --chdir=@WORK@
# $1 is the array's first sweep index, or @FILE for a retry: line TASK of FILE is "INDEX ATTEMPT".
case ${1:-0} in
@*) read -r index xm_attempt < <(dd if="${1#@}" bs=24 skip=$(( ${SLURM_ARRAY_TASK_ID:-0} - 0 )) count=1 status=none) ;;
*) index=$(( ${1:-0} + ${SLURM_ARRAY_TASK_ID:-0} - 0 )) ;;
esac
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=fetch
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
    ! declare -F xm_container_stop >/dev/null || xm_container_stop # a runtime whose container can outlive this script
    xm_close_tunnel # before the exit code: a unit that has ended has no tunnel
    grep -ah '^XM_RESULT ' "$XM_WORK_DIR/stdout$xm_sfx" "$XM_WORK_DIR/stderr$xm_sfx" >"$XM_WORK_DIR/results$xm_sfx" 2>/dev/null
    printf '%s\n' "$code" >"$XM_WORK_DIR/exit_code"
}
trap xm_record_exit EXIT
cd @CODE@ || exit 127
# A SOCKS tunnel for this unit's traffic, closed when it ends (xm_record_exit).
xm_proxy_host="${SLURM_SUBMIT_HOST:-${SGE_O_HOST:-$(hostname)}}"
xm_tunnel_pid=
xm_close_tunnel() {
    [ -z "$xm_tunnel_pid" ] || { kill "$xm_tunnel_pid" 2>/dev/null; wait "$xm_tunnel_pid" 2>/dev/null; }
}
xm_open_tunnel() {
    local try wait
    for try in 1 2 3 4 5; do
        xm_proxy_port=$((20000 + RANDOM % 40000))
        ! (exec 3<>"/dev/tcp/127.0.0.1/$xm_proxy_port") 2>/dev/null || continue # taken
        ssh -N -D "127.0.0.1:$xm_proxy_port" -o ExitOnForwardFailure=yes -o BatchMode=yes -o ServerAliveInterval=30 \
            -o LogLevel=ERROR -p 2222 -i '~/.ssh/tunnel key' -o 'UserKnownHostsFile=~/.ssh/known_hosts' "$xm_proxy_host" </dev/null &
        xm_tunnel_pid=$!
        for ((wait = 0; wait < 150; wait++)); do
            kill -0 "$xm_tunnel_pid" 2>/dev/null || break
            if (exec 3<>"/dev/tcp/127.0.0.1/$xm_proxy_port") 2>/dev/null; then return 0; fi
            sleep 0.2
        done
        xm_close_tunnel
        xm_tunnel_pid=
    done
    return 1
}
xm_open_tunnel || { echo "xmrun: cannot open the proxy tunnel (ssh -D) to $xm_proxy_host" >&2; exit 127; }
export ALL_PROXY="socks5h://127.0.0.1:$xm_proxy_port"
export HTTPS_PROXY="$ALL_PROXY" HTTP_PROXY="$ALL_PROXY" all_proxy="$ALL_PROXY" https_proxy="$ALL_PROXY" http_proxy="$ALL_PROXY"
export NO_PROXY=localhost,127.0.0.1,::1 no_proxy=localhost,127.0.0.1,::1
set -- python3 fetch.py
# The program runs in a container: podman, image docker://ghcr.io/lab/train:1.2 (not pinned).
# Inside, the program gets the job's env, xmrun's XM_*, Slurm's SLURM_*, the GPUs granted and the proxy variables.
xm_container_env=()
while IFS= read -r xm_name; do
    case $xm_name in
    XM_* | SLURM_* | CUDA_VISIBLE_DEVICES | ALL_PROXY | HTTPS_PROXY | HTTP_PROXY | NO_PROXY | all_proxy | https_proxy | http_proxy | no_proxy)
        xm_container_env+=("$xm_name") ;;
    esac
done < <(compgen -e)
xm_container_id="$XM_WORK_DIR/.podman-container-id"
rm -f "$xm_container_id"
xm_container_stop() {
    [ ! -s "$xm_container_id" ] || podman rm --force --ignore --time 3 --cidfile "$xm_container_id" >/dev/null
}
xm_podman=(--network=host -w @CODE@)
xm_podman+=(--read-only)
xm_podman+=(-v @CODE@:@CODE@)
xm_podman+=(-v @WORK@:@WORK@)
for xm_name in "${xm_container_env[@]}"; do xm_podman+=(-e "$xm_name"); done
xm_podman+=(ghcr.io/lab/train:1.2)
xm_container=(podman run --rm --init --cidfile "$xm_container_id" "${xm_podman[@]}")
xm_srun_container=()
xm_step_container=(podman run --rm --init "${xm_podman[@]}")
"${xm_container[@]}" "$@"
status=$?
exit $status
