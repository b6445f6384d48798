#!/usr/bin/env bash
# smoke.sh - quick end-to-end check of a running test cluster (after up.sh):
# submits a handful of real jobs to Slurm and SGE, as root and as the ssh
# user through sshd, and checks their accounting records.
# Prints PASS/FAIL lines and "N passed, N failed"; exit 0 only if all passed.
# shellcheck disable=SC2015,SC2016  # "test && ok || bad" is meant; job-side $VARs stay quoted
set -uo pipefail
XM_TAG=smoke
. "$(dirname "$0")/lib.sh"
W=$XM_DIR/smoke
mkdir -p "$W" && cd "$W" || exit 1
SSH=(ssh -F "$XM_DIR/ssh/ssh_config" xm-cluster)
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# sacct_final JOBID [RECORDS] -> "State|ExitCode" lines (one per job or array
# task) once there are RECORDS (default 1) and none is pending or running;
# TIMEOUT after 60 s. (An array's pending tasks share one record until they
# start, so a finished first task alone does not mean the array is done.)
sacct_final() {
  local out end=$(( $(date +%s) + 60 ))
  while :; do
    out=$(sacct -n -X -P -j "$1" -o State,ExitCode 2>/dev/null)
    if [ "$(grep -c . <<<"$out")" -ge "${2:-1}" ] && ! grep -qE '^(PENDING|RUNNING|REQUEUED|RESIZING|SUSPENDED|COMPLETING|CONFIGURING)' <<<"$out"; then
      echo "$out"; return
    fi
    [ "$(date +%s)" -lt "$end" ] || { echo TIMEOUT; return; }
    sleep 0.2
  done
}
# qacct_final JOBID TASKS -> qacct output once TASKS records exist
qacct_final() {
  local out
  for _ in $(seq 1 150); do
    out=$(qacct -j "$1" 2>/dev/null)
    [ "$(grep -c '^exit_status' <<<"$out")" -ge "$2" ] && { echo "$out"; return 0; }
    sleep 0.2
  done
  return 1
}

# ---- Slurm
J=$(sbatch --parsable --wrap true)
r=$(sacct_final "$J")
[ "$r" = "COMPLETED|0:0" ] && ok "slurm: sbatch --wrap true -> $r" || bad "slurm: job $J -> $r"

A=$(sbatch --parsable --array=0-3 -o 'array-%A_%a.out' --wrap 'echo task=$SLURM_ARRAY_TASK_ID')
r=$(sacct_final "$A" 4)
[ "$(grep -c '^COMPLETED|0:0$' <<<"$r")" = 4 ] && [ "$(cat array-"$A"_*.out | sort | paste -sd,)" = task=0,task=1,task=2,task=3 ] &&
  ok "slurm: --array=0-3 -> 4 tasks COMPLETED" || bad "slurm: array $A -> $(paste -sd' ' <<<"$r")"

F=$(sbatch --parsable --wrap 'exit 3')
D=$(sbatch --parsable --dependency=afterok:"$F" --wrap true)
r=$(sacct_final "$F"); rd=$(sacct_final "$D")
[ "$r" = "FAILED|3:0" ] && ok "slurm: failing job -> $r" || bad "slurm: failing job $F -> $r"
[[ "$rd" == CANCELLED* ]] && ok "slurm: afterok on failed job -> dependent $rd (kill_invalid_depend)" ||
  bad "slurm: dependent $D -> $rd"

G=$(sbatch --parsable -p gpu --gpus=1 --wrap true)
r=$(sacct_final "$G")
[ "$r" = "COMPLETED|0:0" ] && ok "slurm: --gpus=1 on partition gpu -> $r" || bad "slurm: gpu job $G -> $r"

U=$("${SSH[@]}" sbatch --parsable --account=xmacct -o /dev/null --wrap id 2>&1)
r=$(sacct_final "$U")
u=$(sacct -n -X -P -j "$U" -o User 2>/dev/null)
[ "$r" = "COMPLETED|0:0" ] && [ "$u" = "$XM_SSH_USER" ] && ok "slurm: sbatch over ssh as $u -> $r" ||
  bad "slurm: ssh job '$U' -> $r user=$u"

# ---- SGE
printf '#!/bin/bash\n#$ -cwd -j y -o sge-$JOB_ID.out\necho slots=$NSLOTS queue=$QUEUE\nexit 3\n' > exit3.sh
J=$(qsub -terse -pe smp 2 exit3.sh)
r=$(qacct_final "$J" 1 | awk '$1 == "exit_status" {print $2}')
[ "$r" = 3 ] && grep -q 'slots=2 queue=all.q' "sge-$J.out" && ok "sge: qsub -pe smp 2 -> qacct exit_status $r" ||
  bad "sge: job $J exit_status=$r out=$(cat "sge-$J.out" 2>&1)"

A=$(qsub -terse -t 1-3 -b y -cwd -j y -o /dev/null true); A=${A%%.*}
r=$(qacct_final "$A" 3 | awk '$1 == "exit_status" {print $2}' | paste -sd,)
[ "$r" = 0,0,0 ] && ok "sge: qsub -t 1-3 -> 3 task records" || bad "sge: array $A -> '$r'"

U=$("${SSH[@]}" qsub -terse -b y -o /dev/null -j y true 2>&1)
r=$(qacct_final "$U" 1 | awk '$1 == "owner" || $1 == "exit_status" {print $2}' | paste -sd' ')
[ "$r" = "$XM_SSH_USER 0" ] && ok "sge: qsub over ssh -> owner/exit_status $r" || bad "sge: ssh job '$U' -> '$r'"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
