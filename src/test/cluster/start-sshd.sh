#!/usr/bin/env bash
# start-sshd.sh - two OpenSSH servers on loopback with key-only login.
#
#   127.0.0.1:$XM_SSH_PORT (2222)       "cluster login node"
#   127.0.0.1:$XM_SSH_JUMP_PORT (2223)  "bastion", for ProxyJump tests
#
# Creates the login user (default xmtest) if missing and a client key for it.
# Files for tests, all under $XM_TESTCLUSTER_DIR/ssh:
#   id_ed25519, id_ed25519.pub  client key pair (root-owned, 0600)
#   known_hosts                 host keys of both servers (and of the
#                               start-sshd-otp.sh one), as [127.0.0.1]:PORT
#                               and [localhost]:PORT
#   ssh_config                  hosts xm-cluster, xm-bastion, xm-via-bastion, xm-otp
#
# Usage: start-sshd.sh [--no-jump]
# Idempotent: a running server is only signalled (HUP) when its config changed.
set -euo pipefail
XM_TAG=start-sshd
. "$(dirname "$0")/lib.sh"
JUMP=1
for a in "$@"; do
  case $a in
    --no-jump) JUMP=0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown argument: $a" ;;
  esac
done
require_root
T0=$(now)
S=$XM_DIR/ssh
U=$XM_SSH_USER

ensure_pkgs "${PKGS_SSHD[@]}"

mkdir -p "$S"
chmod 0755 "$XM_DIR" "$S"
install -d -m 0755 /run/sshd   # privilege separation dir; sshd refuses to start without it

# ---- login user
if ! id "$U" >/dev/null 2>&1; then
  log "creating user $U"
  useradd -m -s /bin/bash "$U"
fi
# useradd leaves the account locked ('!'); with UsePAM no, sshd refuses locked
# accounts even for key logins. '*' means "no password" but not locked.
case $(getent shadow "$U" | cut -d: -f2) in '!'*|'') usermod -p '*' "$U" ;; esac
UH=$(getent passwd "$U" | cut -d: -f6)
UG=$(id -gn "$U")

# ---- keys (generated once, kept across runs so known_hosts stays valid)
[ -s "$S/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "$U@xmrun-testcluster" -f "$S/id_ed25519"
chmod 0600 "$S/id_ed25519"
for k in cluster jump; do
  f=$S/ssh_host_${k}_ed25519_key
  [ -s "$f" ] || ssh-keygen -q -t ed25519 -N '' -C "xmrun-testcluster-$k" -f "$f"
  chmod 0600 "$f"
done
install -d -o "$U" -g "$UG" -m 0700 "$UH/.ssh"
install -o "$U" -g "$UG" -m 0600 "$S/id_ed25519.pub" "$UH/.ssh/authorized_keys"

# ---- servers
# start_server NAME PORT: render $S/sshd_config[.jump], start or reload it
CHANGED=0
start_server() {
  local name=$1 port=$2 cfg pf lg
  if [ "$name" = cluster ]; then
    cfg=$S/sshd_config; pf=$S/sshd.pid; lg=$S/sshd.log
  else
    cfg=$S/sshd_config.jump; pf=$S/sshd-jump.pid; lg=$S/sshd-jump.log
  fi
  render "$XM_CONF/sshd_config.in" PORT="$port" HOSTKEY="$S/ssh_host_${name}_ed25519_key" \
    PIDFILE="$pf" USER="$U" > "$cfg.new"
  /usr/sbin/sshd -t -f "$cfg.new" || die "sshd rejects $cfg.new"
  if alive "$pf" sshd; then
    if ! cmp -s "$cfg.new" "$cfg"; then
      mv "$cfg.new" "$cfg"
      log "config of $name sshd changed, reloading"
      kill -HUP "$(cat "$pf")"   # sshd re-execs itself with the new config, same pid
      CHANGED=1
    fi
  else
    mv "$cfg.new" "$cfg"
    rm -f "$pf"
    need_free_port "$port" "$name sshd; XM_SSH_PORT / XM_SSH_JUMP_PORT choose others"
    log "starting $name sshd on 127.0.0.1:$port"
    # daemonises and writes PidFile; stdio to the log so a caller reading our
    # output through a pipe is not kept waiting by the daemon
    /usr/sbin/sshd -f "$cfg" -E "$lg" </dev/null >>"$lg.out" 2>&1
    CHANGED=1
  fi
  rm -f "$cfg.new"
}
start_server cluster "$XM_SSH_PORT"
[ $JUMP = 0 ] || start_server jump "$XM_SSH_JUMP_PORT"

# ---- client side (with the two-factor server's entries once start-sshd-otp.sh made its key)
write_ssh_client_files

# ---- check: a real login (retried while a fresh sshd binds its port)
wait_for 10 ssh -F "$S/ssh_config" xm-cluster true ||
  die "ssh login $U@127.0.0.1:$XM_SSH_PORT failed, see $S/sshd.log"
# the ProxyJump login costs ~0.4 s: only when a server was (re)started
if [ $JUMP = 1 ] && [ $CHANGED = 1 ]; then
  wait_for 10 ssh -F "$S/ssh_config" xm-via-bastion true ||
    die "ProxyJump via 127.0.0.1:$XM_SSH_JUMP_PORT failed, see $S/sshd-jump.log"
fi
log "sshd up: $U@127.0.0.1:$XM_SSH_PORT$([ $JUMP = 0 ] || echo ", jump host 127.0.0.1:$XM_SSH_JUMP_PORT") ($(secs_since "$T0") s)"
log "  key         $S/id_ed25519"
log "  known_hosts $S/known_hosts"
log "  ssh_config  $S/ssh_config"
