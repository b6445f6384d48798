#!/usr/bin/env bash
# stop-slurm-b.sh - stop what start-slurm-b.sh started (slurmctld and slurmd
# of cluster xmtestb), by pid file only. munged is the first cluster's: left
# running. Running jobs die with their slurmd.
# Usage: stop-slurm-b.sh [--purge]   (--purge: also delete its state and logs)
set -uo pipefail
XM_TAG=stop-slurm-b
. "$(dirname "$0")/lib.sh"
SB=$XM_DIR/slurm-b
PURGE=0
for a in "$@"; do
  case $a in
    --purge) PURGE=1 ;;
    *) die "unknown argument: $a" ;;
  esac
done
for pf in "$SB"/slurmd-*.pid; do [ -e "$pf" ] && stop_pidfile "$pf" slurmd; done
stop_pidfile "$SB/slurmctld.pid" slurmctld
if [ $PURGE = 1 ]; then
  rm -rf "$SB" "$XM_DIR/slurm-b.env"
  log "purged $SB"
fi
exit 0
