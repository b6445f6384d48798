#!/usr/bin/env bash
# start-slurm-b.sh - a second Slurm 22.05 cluster on this host, beside the
# one start-slurm.sh runs, for launches that choose between clusters.
#
#   slurmctld (6917) -> slurmd b1 (6918) + slurmd b2 (6919)
#
# ClusterName xmtestb, partition 'debug' (default) on b[1-2], each node
# declared with 4 CPUs and two fake GPUs. No accounting (sacct says it is
# disabled). Config, state, spool and logs live under $XM_DIR/slurm-b; its
# clients need SLURM_CONF=$XM_DIR/slurm-b/etc/slurm.conf (also over ssh: the
# directory is world-readable). /etc/slurm stays the first cluster's, and the
# first cluster's daemons are never touched. Shares the host's munged, so run
# start-slurm.sh first. Writes $XM_DIR/slurm-b.env (up.sh adds it to
# cluster.env).
#
# Usage: start-slurm-b.sh [--clean]
#   --clean  stop this cluster and wipe its state first (job ids restart at 1)
# Idempotent: when everything is up with the same config it only re-checks.
set -euo pipefail
XM_TAG=start-slurm-b
. "$(dirname "$0")/lib.sh"
CLEAN=0
for a in "$@"; do
  case $a in
    --clean) CLEAN=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) die "unknown argument: $a" ;;
  esac
done
require_root
T0=$(now)
SB=$XM_DIR/slurm-b
CONF=$SB/etc/slurm.conf

ensure_pkgs "${PKGS_SLURM[@]}"
munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || die "munged is not running; run start-slurm.sh first"

if [ $CLEAN = 1 ]; then
  "$XM_HERE/stop-slurm-b.sh" --purge || true
fi
mkdir -p "$SB"/{state,spool,log,etc,fakegpu}
chmod 0755 "$XM_DIR" "$SB" "$SB/etc"
touch "$SB/fakegpu/gpu0" "$SB/fakegpu/gpu1"

# ---------------------------------------------------------------- config
MEM=$(slurmd -C | head -1 | sed -nE 's/.*RealMemory=([0-9]+).*/\1/p')
[ -n "$MEM" ] || die "could not parse 'slurmd -C'"
NEW=$(mktemp -d "$SB/etc/new.XXXXXX")
trap 'rm -rf "$NEW"' EXIT
# the first cluster's nodes get half of the host's memory each, these a quarter
render "$XM_CONF/slurm-b.conf.in" STATE="$SB" CTLD_PORT="$XM_SLURM_B_CTLD_PORT" B1_PORT="$XM_SLURM_B_B1_PORT" \
  B2_PORT="$XM_SLURM_B_B2_PORT" NODEMEM=$(( MEM / 4 )) > "$NEW/slurm.conf"
render "$XM_CONF/gres-b.conf.in" STATE="$SB" > "$NEW/gres.conf"
if ! cmp -s "$NEW/slurm.conf" "$CONF" || ! cmp -s "$NEW/gres.conf" "$SB/etc/gres.conf"; then
  # node definitions cannot be changed by 'scontrol reconfigure': restart
  if alive "$SB/slurmctld.pid" slurmctld || alive "$SB/slurmd-b1.pid" slurmd || alive "$SB/slurmd-b2.pid" slurmd; then
    log "slurm.conf/gres.conf changed: restarting this cluster's slurmctld and slurmd"
    "$XM_HERE/stop-slurm-b.sh" || true
  fi
  install -m 0644 "$NEW/slurm.conf" "$CONF"
  install -m 0644 "$NEW/gres.conf" "$SB/etc/gres.conf"
fi
# every Slurm command below reads this cluster's config, never /etc/slurm's
export SLURM_CONF=$CONF

# ---------------------------------------------------------------- slurmctld / slurmd
if ! alive "$SB/slurmctld.pid" slurmctld; then
  need_free_port "$XM_SLURM_B_CTLD_PORT" "slurmctld of xmtestb"
  log "starting slurmctld (xmtestb)"
  /usr/sbin/slurmctld -f "$CONF" </dev/null >>"$SB/log/slurmctld.out" 2>&1
  wait_for 20 scontrol ping || die "slurmctld does not answer, see $SB/log/slurmctld.log"
fi
for n in b1:"$XM_SLURM_B_B1_PORT" b2:"$XM_SLURM_B_B2_PORT"; do
  if ! alive "$SB/slurmd-${n%%:*}.pid" slurmd; then
    need_free_port "${n#*:}" "slurmd ${n%%:*}"
    log "starting slurmd ${n%%:*}"
    /usr/sbin/slurmd -f "$CONF" -N "${n%%:*}" </dev/null >>"$SB/log/slurmd-${n%%:*}.out" 2>&1
  fi
done

# ready: both nodes usable (idle or busy), as in start-slurm.sh
nodes_ready() {
  local st
  st=$(scontrol -o show nodes 2>/dev/null | grep -o ' State=[^ ]*') || return 1
  [ "$(grep -c . <<<"$st")" = 2 ] || return 1
  ! grep -vqE '^ State=(IDLE|MIXED|ALLOCATED)(\+(COMPLETING|PLANNED|RESERVED))*$' <<<"$st"
}
if ! wait_for 30 nodes_ready; then
  # left DRAIN by a spec that was killed before it resumed them: resume once
  scontrol update nodename='b[1-2]' state=resume 2>/dev/null || true
  wait_for 20 nodes_ready || { sinfo -N >&2; die "nodes not idle, see $SB/log/"; }
fi

write_atomically "$XM_DIR/slurm-b.env" 0644 "XM_SLURM_B_CLUSTER=xmtestb
XM_SLURM_B_CONF=$CONF
XM_SLURM_B_PARTITION=debug
XM_SLURM_B_NODES=b1,b2
XM_SLURM_B_NODE_CPUS=4
XM_SLURM_B_CTLD_PORT=$XM_SLURM_B_CTLD_PORT"
log "slurm xmtestb up: $(sinfo -h -o '%P %a %D %T' | paste -sd';') ($(secs_since "$T0") s)"
