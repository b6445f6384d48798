#!/usr/bin/env bash
# A stand-in for data preparation: writes its shards into the work unit's own directory.
echo "preparing $* in $XM_WORK_DIR"
for i in 1 2; do echo "shard $i" > "$XM_WORK_DIR/shard-$i.txt"; done
echo "prepared"
