#!/usr/bin/env bash
# stop-sge.sh - stop sge_execd and sge_qmaster started by start-sge.sh.
# Asks the daemons to shut down (qconf -ke / -km), then waits on the pids from
# their pid files and TERMs only those. qmaster takes several seconds to exit.
# Running jobs are not killed by qconf -ke (qdel them first if needed).
# Usage: stop-sge.sh [--purge]   (--purge: also wipe spool DB and accounting)
set -uo pipefail
XM_TAG=stop-sge
. "$(dirname "$0")/lib.sh"
PURGE=0
for a in "$@"; do
  case $a in
    --purge) PURGE=1 ;;
    *) die "unknown argument: $a" ;;
  esac
done
export SGE_ROOT=/var/lib/gridengine SGE_CELL=default
SPOOL=/var/spool/gridengine
H=$(hostname)
EXECD_PID=/run/gridengine/execd.pid
QM_PID=$SPOOL/qmaster/qmaster.pid

wait_gone() { # PID SECONDS
  local i
  for ((i = 0; i < $2 * 10; i++)); do running "$1" || return 0; sleep 0.1; done
  return 1
}
if alive "$EXECD_PID" sge_execd; then
  p=$(cat "$EXECD_PID")
  log "stopping sge_execd ($p)"
  qconf -ke "$H" >/dev/null 2>&1 || true
  wait_gone "$p" 10 || stop_pidfile "$EXECD_PID" sge_execd
fi
rm -f "$EXECD_PID"
if alive "$QM_PID" sge_qmaster; then
  p=$(cat "$QM_PID")
  log "stopping sge_qmaster ($p)"
  qconf -km >/dev/null 2>&1 || true
  wait_gone "$p" 20 || stop_pidfile "$QM_PID" sge_qmaster
fi
if [ $PURGE = 1 ]; then
  # next start-sge.sh re-initialises the cell (init_cluster)
  rm -rf "$SPOOL"/spooldb/* "$SPOOL"/qmaster/* "$SPOOL"/execd/* \
    "$SGE_ROOT/$SGE_CELL/common/accounting" "$XM_DIR/sge"
  log "purged spool DB, accounting and $XM_DIR/sge"
fi
exit 0
