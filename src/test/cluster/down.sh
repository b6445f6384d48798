#!/usr/bin/env bash
# down.sh - stop everything up.sh started (by pid file only).
# Usage: down.sh [--purge]   (--purge: also delete Slurm/SGE state, the
#                             accounting DB and the state directory; the
#                             test user and installed packages stay)
set -uo pipefail
XM_TAG=down
. "$(dirname "$0")/lib.sh"
PURGE=()
for a in "$@"; do
  case $a in
    --purge) PURGE=(--purge) ;;
    *) die "unknown argument: $a" ;;
  esac
done
require_root
T0=$(now)
rc=0
"$XM_HERE/stop-sge.sh" "${PURGE[@]}" || rc=1
"$XM_HERE/stop-slurm-b.sh" "${PURGE[@]}" || rc=1
"$XM_HERE/stop-slurm.sh" "${PURGE[@]}" || rc=1
"$XM_HERE/stop-sshd.sh" || rc=1
if [ ${#PURGE[@]} = 1 ]; then
  rm -rf "$XM_DIR"
  log "removed $XM_DIR"
fi
log "down ($(secs_since "$T0") s)"
exit $rc
