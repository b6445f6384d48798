#!/usr/bin/env bash
# stop-slurm.sh - stop what start-slurm.sh started, by pid file only.
# Usage: stop-slurm.sh [--keep-munge] [--keep-db] [--purge]
#   --keep-munge  leave munged running
#   --keep-db     leave mariadbd and slurmdbd running
#   --purge       also delete Slurm state, logs and the accounting DB
# Running jobs die with their slurmd (their slurmstepd then exit).
set -uo pipefail
XM_TAG=stop-slurm
. "$(dirname "$0")/lib.sh"
SL=$XM_DIR/slurm
DB=$XM_DIR/mariadb
KEEP_MUNGE=0; KEEP_DB=0; PURGE=0
for a in "$@"; do
  case $a in
    --keep-munge) KEEP_MUNGE=1 ;;
    --keep-db) KEEP_DB=1 ;;
    --purge) PURGE=1 ;;
    *) die "unknown argument: $a" ;;
  esac
done

for pf in "$SL"/slurmd-*.pid; do [ -e "$pf" ] && stop_pidfile "$pf" slurmd; done
stop_pidfile "$SL/slurmctld.pid" slurmctld
if [ $KEEP_DB = 0 ]; then
  stop_pidfile "$SL/slurmdbd.pid" slurmdbd
  stop_pidfile "$DB/mariadbd.pid" mariadbd 30
fi
[ $KEEP_MUNGE = 1 ] || stop_pidfile /run/munge/munged.pid munged
if [ $PURGE = 1 ]; then
  rm -rf "$SL" "$DB"
  log "purged $SL $DB"
fi
exit 0
