#!/usr/bin/env bash
# xmrun experiment 0 (golden), job train: work units 1-2.
# Submitted as a Slurm array; sweep index = $1 (the array's offset) + SLURM_ARRAY_TASK_ID.
#SBATCH --job-name=xm0-train
#SBATCH --output=@WORK@/sched/%x-%A_%a.out
#SBATCH --chdir=@WORK@
#SBATCH --cpus-per-task=4
#SBATCH --mem=16384M
#SBATCH --gpus=1
#SBATCH --time=02:00:00
#SBATCH --partition=gpu
#SBATCH --account=lab
#SBATCH --constraint=a100
module load cuda/12.1
index=$(( ${1:-0} + ${SLURM_ARRAY_TASK_ID:-0} - 0 ))
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=train
export XM_WORK_UNIT_ID=$(( 1 + index ))
export XM_WORK_DIR=@WORK@/wu/$XM_WORK_UNIT_ID
export WANDB_MODE=offline
mkdir -p "$XM_WORK_DIR" || exit 127
exec >"$XM_WORK_DIR/stdout" 2>"$XM_WORK_DIR/stderr"
cd @CODE@ || exit 127
# One quoted argument list per work unit, loaded with `set --`: nothing is re-split or evaluated.
case "$index" in
0) set -- python3 train.py --lr=0.001 ;;
1) set -- python3 train.py --lr=0.0003 ;;
*) echo "xmrun: no work unit with index $index in job train" >&2; exit 127 ;;
esac
nvidia-smi -L
srun --cpu-bind=cores nsys profile "$@"
status=$?
echo "exit status $status"
exit $status
