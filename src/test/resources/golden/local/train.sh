#!/usr/bin/env bash
# xmrun experiment 0 (golden), job train: work units 1-4.
# The local agent runs this once per work unit with the unit's index in the job's sweep as $1.
index=$(( ${1:-0} + 0 - 0 ))
export XM_EXPERIMENT_ID=0
export XM_JOB_NAME=train
export XM_WORK_UNIT_ID=$(( 1 + index ))
export XM_WORK_DIR=@WORK@/wu/$XM_WORK_UNIT_ID
export WANDB_PROJECT='it'\''s $HOME'
mkdir -p "$XM_WORK_DIR" || exit 127
exec >"$XM_WORK_DIR/stdout" 2>"$XM_WORK_DIR/stderr"
cd @CODE@ || exit 127
# One quoted argument list per work unit, loaded with `set --`: nothing is re-split or evaluated.
case "$index" in
0) set -- python3 train.py 'data dir' --epochs=2 --lr=0.001 '--tag=a b' ;;
1) set -- python3 train.py 'data dir' --epochs=2 --lr=0.001 '--tag=`x`' ;;
2) set -- python3 train.py 'data dir' --epochs=2 --lr=0.0003 '--tag=a b' ;;
3) set -- python3 train.py 'data dir' --epochs=2 --lr=0.0003 '--tag=`x`' ;;
*) echo "xmrun: no work unit with index $index in job train" >&2; exit 127 ;;
esac
"$@"
status=$?
exit $status
