#!/usr/bin/env bash
# start-sge.sh - single-host Grid Engine 8.1.9 (Debian gridengine-*), no systemd.
#
#   sge_qmaster + sge_execd on this host, queue all.q (slots = nproc),
#   parallel environment 'smp', scheduler run every second, accounting
#   flushed every second (qacct sees a job ~1 s after it ends), root may
#   run jobs (min_uid 0). Configs: conf/sge-*.
#
# Usage: start-sge.sh [--clean]   (--clean: wipe spool DB and accounting first)
# Clients need no environment: SGE_ROOT=/var/lib/gridengine and
# SGE_CELL=default are compiled into Debian's binaries.
# Idempotent: daemons are only started when not running, the configuration
# is only applied when it changed or qmaster restarted.
set -euo pipefail
XM_TAG=start-sge
. "$(dirname "$0")/lib.sh"
CLEAN=0
for a in "$@"; do
  case $a in
    --clean) CLEAN=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown argument: $a" ;;
  esac
done
require_root
T0=$(now)
export SGE_ROOT=/var/lib/gridengine SGE_CELL=default
COMMON=$SGE_ROOT/$SGE_CELL/common
SPOOL=/var/spool/gridengine
QM_PID=$SPOOL/qmaster/qmaster.pid
# execd writes its pid to $SGE_EXECD_PIDFILE when set, which we do
EXECD_PID=/run/gridengine/execd.pid
W=$XM_DIR/sge
H=$(hostname)

# SGE compares forward and reverse lookups of its own name
getent hosts "$H" >/dev/null || die "hostname '$H' does not resolve (add it to /etc/hosts)"

ensure_pkgs "${PKGS_SGE[@]}"

if [ $CLEAN = 1 ]; then
  "$XM_HERE/stop-sge.sh" --purge || true
fi
mkdir -p "$W/cfg"
chmod 0755 "$XM_DIR"
for d in "$SPOOL/qmaster" "$SPOOL/qmaster/job_scripts" "$SPOOL/spooldb" "$SPOOL/execd" /run/gridengine; do
  install -d -o sgeadmin -g sgeadmin -m 0755 "$d"
done
if [ ! -s "$COMMON/bootstrap" ]; then
  install -d -o sgeadmin -g sgeadmin -m 0755 "$SGE_ROOT/$SGE_CELL" "$COMMON"
  install -m 0644 -o sgeadmin -g sgeadmin /usr/share/gridengine/default-bootstrap "$COMMON/bootstrap"
fi
# the package's postinst initialises the cell; after --clean we do it again
if [ -z "$(ls -A "$SPOOL/spooldb" 2>/dev/null)" ]; then
  log "initialising spool DB (init_cluster)"
  runuser -u sgeadmin -- /usr/share/gridengine/scripts/init_cluster "$SGE_ROOT" "$SGE_CELL" "$SPOOL/spooldb" sgeadmin \
    >"$W/init_cluster.log" 2>&1 || die "init_cluster failed, see $W/init_cluster.log"
fi

# 127.0.0.1 reverse-resolves to 'localhost' (first name in /etc/hosts) while
# the host calls itself "$H"; without aliases every client fails with
# "commlib error: access denied (client IP resolved to host name "localhost".
# This is not identical to clients host name ...)"
ip=$(getent hosts "$H" | awk '{print $1; exit}')
aliases=$(awk -v ip="$ip" -v h="$H" '$1 == ip {for (i = 2; i <= NF; i++) if ($i != h && $i != "localhost") printf " %s", $i}' /etc/hosts)
echo "$H localhost$aliases" > "$W/host_aliases"
if ! cmp -s "$W/host_aliases" "$COMMON/host_aliases"; then
  install -m 0644 "$W/host_aliases" "$COMMON/host_aliases"
  # qmaster reads host_aliases only at start-up
  if alive "$QM_PID" sge_qmaster; then "$XM_HERE/stop-sge.sh"; fi
fi
echo "$H" > "$COMMON/act_qmaster"
chown sgeadmin:sgeadmin "$COMMON/act_qmaster"

if ! alive "$QM_PID" sge_qmaster; then
  need_free_port 6444 sge_qmaster
  log "starting sge_qmaster"
  /usr/sbin/sge_qmaster </dev/null >>"$W/qmaster.out" 2>&1
  wait_for 30 qstat -f || die "qmaster not reachable, see $SPOOL/qmaster/messages"
  # an execd that outlived its qmaster takes ~30 s to register with the new
  # one; restarting it takes a fraction of a second
  if alive "$EXECD_PID" sge_execd; then
    log "restarting sge_execd for the new qmaster"
    stop_pidfile "$EXECD_PID" sge_execd 10
  fi
fi

# ---- configuration
# Applied whenever it changed or qmaster was (re)started since it was last
# applied; each qconf call costs ~60 ms, so a warm run skips them.
render "$XM_CONF/sge-exechost.in" HOST="$H" > "$W/cfg/exechost"
render "$XM_CONF/sge-allhosts.in" HOST="$H" > "$W/cfg/allhosts"
render "$XM_CONF/sge-all.q.in" SLOTS="$(nproc)" > "$W/cfg/all.q"
# qconf -Mconf takes the configuration's name from the file name: it must be 'global'
cp "$XM_CONF/sge-global" "$W/cfg/global"
cp "$XM_CONF/sge-sched" "$W/cfg/sched"
cp "$XM_CONF/sge-smp.pe" "$W/cfg/smp"
stamp="$(cat "$QM_PID") $H $(cat "$W"/cfg/* | md5sum | cut -d' ' -f1)"
if [ "$(cat "$W/applied" 2>/dev/null)" != "$stamp" ]; then
  log "applying configuration"
  # q ARGS...: qconf with its chatter ("... modified ...") kept in a log
  q() { qconf "$@" >>"$W/qconf.log" 2>&1 || die "qconf $* failed, see $W/qconf.log"; }
  q -Mconf "$W/cfg/global"
  q -Msconf "$W/cfg/sched"
  qconf -ss 2>/dev/null | grep -qx "$H" || q -as "$H"
  if qconf -sel 2>/dev/null | grep -qx "$H"; then q -Me "$W/cfg/exechost"; else q -Ae "$W/cfg/exechost"; fi
  if qconf -shgrpl 2>/dev/null | grep -qx '@allhosts'; then q -Mhgrp "$W/cfg/allhosts"; else q -Ahgrp "$W/cfg/allhosts"; fi
  if qconf -spl 2>/dev/null | grep -qx smp; then q -Mp "$W/cfg/smp"; else q -Ap "$W/cfg/smp"; fi
  if qconf -sql 2>/dev/null | grep -qx all.q; then q -Mq "$W/cfg/all.q"; else q -Aq "$W/cfg/all.q"; fi
  echo "$stamp" > "$W/applied"
fi

if ! alive "$EXECD_PID" sge_execd; then
  need_free_port 6445 sge_execd
  log "starting sge_execd"
  SGE_EXECD_PIDFILE=$EXECD_PID /usr/sbin/sge_execd </dev/null >>"$W/execd.out" 2>&1
fi
# ready = load reported (arch not -NA-) and no u(nknown)/E(rror)/d(isabled)/
# s(uspended) state on the queue instance
queue_ok() {
  qstat -f -q all.q | awk -v h="all.q@$H" '$1 == h && NF >= 5 && $5 != "-NA-" && (NF == 5 || $6 !~ /[uEdDsSC]/) {ok = 1} END {exit !ok}'
}
if ! wait_for 40 queue_ok; then
  qmod -c all.q >/dev/null 2>&1 || true   # clear an error state left by an earlier run
  wait_for 10 queue_ok || { qstat -f >&2; die "all.q@$H not usable, see $SPOOL/execd/*/messages"; }
fi
log "sge up: $(qstat -f -q all.q | awk -v h="all.q@$H" '$1 == h {print $1, $3, $4, $5}') ($(secs_since "$T0") s)"
