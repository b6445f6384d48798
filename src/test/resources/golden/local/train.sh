#!/usr/bin/env bash
# xmrun experiment 0 (golden), job train: work units 1-4.
# The local agent runs this once per work unit, with the unit's index in the job's sweep as $1,
# stdout and stderr already redirected to files in the unit's work dir.
index="$1"
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=train
export XM_WORK_UNIT_ID=$(( 1 + index ))
export XM_WORK_DIR=@WORK@/wu/$XM_WORK_UNIT_ID
export WANDB_PROJECT='it'\''s $HOME'
cd @CODE@ || exit 127
# One quoted command line per work unit: each argument reaches the program exactly as written.
case "$index" in
0) exec python3 train.py 'data dir' --epochs=2 --lr=0.001 '--tag=a b' ;;
1) exec python3 train.py 'data dir' --epochs=2 --lr=0.001 '--tag=`x`' ;;
2) exec python3 train.py 'data dir' --epochs=2 --lr=0.0003 '--tag=a b' ;;
3) exec python3 train.py 'data dir' --epochs=2 --lr=0.0003 '--tag=`x`' ;;
esac
echo "xmrun: no work unit with index $index in job train" >&2
exit 127
