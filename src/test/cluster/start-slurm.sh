#!/usr/bin/env bash
# start-slurm.sh - Slurm 22.05 test cluster on loopback, no systemd needed.
#
#   munged -> mariadbd (127.0.0.1:3307) -> slurmdbd (6819) -> slurmctld (6817)
#   -> slurmd c1 (6818) + slurmd c2 (6832)
#
# Partitions 'debug' (default) and 'gpu', both on c[1-2]; each node has two
# fake GPUs. Accounting is on (sacct/sacctmgr work), with account 'xmacct'
# holding root and the ssh test users (if they exist, so run start-sshd.sh
# and start-sshd-otp.sh first). Writes /etc/slurm/{slurm,gres,slurmdbd}.conf from
# conf/*.in: clients, also over ssh, need no environment.
#
# Usage: start-slurm.sh [--clean]
#   --clean  stop Slurm and wipe its state and accounting DB first
#            (job ids restart at 1)
# Idempotent: when everything is up with the same config it only re-checks.
set -euo pipefail
XM_TAG=start-slurm
. "$(dirname "$0")/lib.sh"
CLEAN=0
for a in "$@"; do
  case $a in
    --clean) CLEAN=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown argument: $a" ;;
  esac
done
require_root
T0=$(now)
SL=$XM_DIR/slurm
DB=$XM_DIR/mariadb
DB_PASS=slurmdbpass   # throw-away DB on loopback only

ensure_pkgs "${PKGS_SLURM[@]}"

if [ $CLEAN = 1 ]; then
  "$XM_HERE/stop-slurm.sh" --purge || true
fi
mkdir -p "$SL"/{state,spool,log,etc,fakegpu}
chmod 0755 "$XM_DIR"
touch "$SL/fakegpu/gpu0" "$SL/fakegpu/gpu1"

# ---------------------------------------------------------------- munge
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null ||
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "starting munged"
  rm -f /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged </dev/null >>"$SL/log/munged.out" 2>&1
  wait_for 10 sh -c 'munge -n | unmunge' || die "munged did not come up, see /var/log/munge/munged.log"
fi

# ---------------------------------------------------------------- config
# node hardware as slurmd sees it; the host's memory is split between the
# two nodes so that both together do not overcommit it
read -r CPUS SOCK CORES THREADS MEM < <(slurmd -C | head -1 | sed -E \
  's/.*CPUs=([0-9]+).*SocketsPerBoard=([0-9]+).*CoresPerSocket=([0-9]+).*ThreadsPerCore=([0-9]+).*RealMemory=([0-9]+).*/\1 \2 \3 \4 \5/')
[ -n "${MEM:-}" ] || die "could not parse 'slurmd -C'"
render "$XM_CONF/slurm.conf.in" STATE="$SL" CPUS="$CPUS" SOCKETS="$SOCK" CORES="$CORES" \
  THREADS="$THREADS" NODEMEM=$(( MEM / 2 )) > "$SL/etc/slurm.conf"
render "$XM_CONF/gres.conf.in" STATE="$SL" > "$SL/etc/gres.conf"
render "$XM_CONF/slurmdbd.conf.in" STATE="$SL" DB_PORT="$XM_DB_PORT" DB_PASS="$DB_PASS" > "$SL/etc/slurmdbd.conf"

if ! cmp -s "$SL/etc/slurm.conf" /etc/slurm/slurm.conf || ! cmp -s "$SL/etc/gres.conf" /etc/slurm/gres.conf; then
  # node definitions cannot be changed by 'scontrol reconfigure': restart
  if alive "$SL/slurmctld.pid" slurmctld || alive "$SL/slurmd-c1.pid" slurmd || alive "$SL/slurmd-c2.pid" slurmd; then
    log "slurm.conf/gres.conf changed: restarting slurmctld and slurmd"
    "$XM_HERE/stop-slurm.sh" --keep-munge --keep-db || true
  fi
  install -d -m 0755 /etc/slurm
  install -m 0644 "$SL/etc/slurm.conf" /etc/slurm/slurm.conf
  install -m 0644 "$SL/etc/gres.conf" /etc/slurm/gres.conf
fi
if ! cmp -s "$SL/etc/slurmdbd.conf" /etc/slurm/slurmdbd.conf; then
  stop_pidfile "$SL/slurmdbd.pid" slurmdbd
  # slurmdbd insists on 0600 because the file holds the DB password
  install -m 0600 -o root -g root "$SL/etc/slurmdbd.conf" /etc/slurm/slurmdbd.conf
fi

# ---------------------------------------------------------------- accounting DB
# a private mariadbd with its own datadir, on TCP only (slurmdbd has no
# socket option); the stock instance and port 3306 are left alone
mkdir -p "$DB"
if [ ! -d "$DB/data/mysql" ]; then
  log "initialising mariadb datadir"
  rm -rf "$DB/data"
  mariadb-install-db --no-defaults --user=mysql --datadir="$DB/data" \
    --auth-root-authentication-method=socket --skip-test-db >"$DB/install.log" 2>&1 ||
    die "mariadb-install-db failed, see $DB/install.log"
fi
chown -R mysql:mysql "$DB"
MYSQL=(mariadb --no-defaults -S "$DB/mysqld.sock" -u root)
if ! alive "$DB/mariadbd.pid" mariadbd; then
  need_free_port "$XM_DB_PORT" mariadbd
  log "starting mariadbd on 127.0.0.1:$XM_DB_PORT"
  rm -f "$DB/mysqld.sock" "$DB/mariadbd.pid"
  # mariadbd does not daemonise: detach it from this script's session and stdio
  setsid /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$DB/data" \
    --socket="$DB/mysqld.sock" --pid-file="$DB/mariadbd.pid" --port="$XM_DB_PORT" \
    --bind-address=127.0.0.1 --skip-name-resolve --log-error="$DB/error.log" \
    --innodb-buffer-pool-size=256M --innodb-lock-wait-timeout=900 \
    </dev/null >/dev/null 2>&1 &
  wait_for 30 mariadb-admin --no-defaults -S "$DB/mysqld.sock" -u root ping ||
    die "mariadbd did not come up, see $DB/error.log"
fi
"${MYSQL[@]}" -e "CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
  CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DB_PASS';
  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';" || die "could not create DB user 'slurm'"

if ! alive "$SL/slurmdbd.pid" slurmdbd; then
  need_free_port 6819 slurmdbd
  log "starting slurmdbd"
  /usr/sbin/slurmdbd </dev/null >>"$SL/log/slurmdbd.out" 2>&1
  wait_for 30 sacctmgr -n list cluster || die "slurmdbd did not come up, see $SL/log/slurmdbd.log"
fi

# ---------------------------------------------------------------- slurmctld / slurmd
if ! alive "$SL/slurmctld.pid" slurmctld; then
  need_free_port 6817 slurmctld
  log "starting slurmctld"
  /usr/sbin/slurmctld </dev/null >>"$SL/log/slurmctld.out" 2>&1
  wait_for 20 scontrol ping || die "slurmctld does not answer, see $SL/log/slurmctld.log"
fi
for n in c1:6818 c2:6832; do
  if ! alive "$SL/slurmd-${n%%:*}.pid" slurmd; then
    need_free_port "${n#*:}" "slurmd ${n%%:*}"
    log "starting slurmd ${n%%:*}"
    /usr/sbin/slurmd -N "${n%%:*}" </dev/null >>"$SL/log/slurmd-${n%%:*}.out" 2>&1
  fi
done

# ready: both nodes usable, also while running jobs of tests that did not
# wait for this script (a re-run must not fail on a busy cluster). Not ready:
# DOWN, DRAIN, FAIL, INVAL, not responding (a '*' suffix), ...
nodes_ready() {
  local st
  st=$(scontrol -o show nodes 2>/dev/null | grep -o ' State=[^ ]*') || return 1
  [ "$(grep -c . <<<"$st")" = 2 ] || return 1
  ! grep -vqE '^ State=(IDLE|MIXED|ALLOCATED)(\+(COMPLETING|PLANNED|RESERVED))*$' <<<"$st"
}
if ! wait_for 30 nodes_ready; then
  # a node left DOWN/DRAIN by an earlier run (e.g. killed slurmd): resume once
  scontrol update nodename='c[1-2]' state=resume 2>/dev/null || true
  wait_for 20 nodes_ready || { sinfo -N >&2; die "nodes not idle, see $SL/log/"; }
fi

# ---------------------------------------------------------------- associations
# account 'xmacct' so '#SBATCH --account=xmacct' is valid. Not enforced
# (no AccountingStorageEnforce): jobs of other users run too.
# One query (sacctmgr costs ~0.3 s per call): the account's own association
# has an empty user, each member one line.
assocs=$(sacctmgr -n -P list assoc account=xmacct format=user) || die "sacctmgr failed"
if [ -z "$assocs" ] && ! sacctmgr -n -P list account xmacct format=account | grep -qx xmacct; then
  sacctmgr -i add account xmacct Description=xmrun-tests Organization=xmrun >/dev/null
fi
for u in root "$XM_SSH_USER" "$XM_SSH_OTP_USER"; do
  id "$u" >/dev/null 2>&1 || continue
  grep -qx "$u" <<<"$assocs" || sacctmgr -i add user "$u" account=xmacct >/dev/null
done

log "slurm up: $(sinfo -h -o '%P %a %D %T' | paste -sd';') ($(secs_since "$T0") s)"
