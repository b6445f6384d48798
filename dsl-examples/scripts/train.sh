#!/usr/bin/env bash
# A stand-in for a training program: prints what it was given, "trains" briefly, succeeds.
echo "work unit $XM_WORK_UNIT_ID of experiment $XM_EXPERIMENT_ID (job $XM_JOB_NAME)"
echo "args: $*"
for step in 1 2; do echo "step $step loss 0.$((RANDOM % 90 + 10))"; sleep 0.1; done
echo "done"
