#!/usr/bin/env bash
# xmrun experiment 0 (golden), job apptainer: work units 5-5.
# Submitted as a Slurm array; sweep index = $1 (the array's offset) + SLURM_ARRAY_TASK_ID.
#SBATCH --job-name=xm0-apptainer
#SBATCH --output=@WORK@/sched/%x-%A_%a.out
#SBATCH --chdir=@WORK@
#SBATCH --gpus=1
index=$(( ${1:-0} + ${SLURM_ARRAY_TASK_ID:-0} - 0 ))
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=apptainer
export XM_WORK_UNIT_ID=$(( 5 + index ))
export XM_WORK_DIR=@WORK@/wu/$XM_WORK_UNIT_ID
export HF_HOME=/data/hf
mkdir -p "$XM_WORK_DIR" || exit 127
exec >"$XM_WORK_DIR/stdout" 2>"$XM_WORK_DIR/stderr"
# The unit's exit code, for status and for the jobs that wait for this one.
xm_record_exit() {
    local code=$?
    ! declare -F xm_container_stop >/dev/null || xm_container_stop # a runtime whose container can outlive this script
    printf '%s\n' "$code" >"$XM_WORK_DIR/exit_code"
}
trap xm_record_exit EXIT
cd @CODE@ || exit 127
set -- python3 train.py
# The program runs in a container: apptainer, image images/train.sif (not pinned).
[ -e /data ] || { printf 'xmrun: %s: mount %s: no such file or directory on %s\n' golden.xm.groovy:50 /data "$(hostname)" >&2; exit 127; }
export APPTAINERENV_HF_HOME="$HF_HOME"
xm_container=(apptainer exec --pwd @CODE@)
xm_container+=(--writable-tmpfs)
xm_container+=(--nv)
xm_container+=(--bind @CODE@:@CODE@)
xm_container+=(--bind @WORK@:@WORK@)
xm_container+=(--bind /data:/data:ro)
xm_container+=(@CODE@/images/train.sif)
xm_srun_container=()
xm_step_container=("${xm_container[@]}")
srun --cpu-bind=cores "${xm_srun_container[@]}" "${xm_step_container[@]}" "$@"
status=$?
exit $status
