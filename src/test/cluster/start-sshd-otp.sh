#!/usr/bin/env bash
# start-sshd-otp.sh - an OpenSSH server on loopback with two-factor login:
# the user's key, then a time-based one-time code (TOTP, RFC 6238) that PAM
# (pam_oath) asks for through keyboard-interactive.
#
#   127.0.0.1:$XM_SSH_OTP_PORT (2224)  user $XM_SSH_OTP_USER (xmotp)
#
# Run start-sshd.sh first: the user logs in with its client key. Creates the
# user if missing, a TOTP secret (kept across runs) and the PAM service
# /etc/pam.d/xmrun-sshd-otp. Files under $XM_TESTCLUSTER_DIR:
#   otp/secret       base32 secret: oathtool --totp -b "$(cat otp/secret)"
#   otp/users.oath   pam_oath's usersfile; the server records there the last
#                    code it accepted, and refuses that one and older ones
#   ssh/known_hosts, ssh/ssh_config   gain this server and host xm-otp
# otp-code.sh prints a code the server accepts now.
#
# Usage: start-sshd-otp.sh
# Idempotent: a running server is only signalled (HUP) when its config changed.
set -euo pipefail
XM_TAG=start-sshd-otp
. "$(dirname "$0")/lib.sh"
for a in "$@"; do
  case $a in
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) die "unknown argument: $a" ;;
  esac
done
require_root
T0=$(now)
S=$XM_DIR/ssh
O=$XM_DIR/otp
U=$XM_SSH_OTP_USER
# sshd names its PAM service after the name it was run as (auth-pam.c uses
# __progname), so a link with this name gives it a service of its own and
# Debian's /etc/pam.d/sshd stays as it is
SERVICE=xmrun-sshd-otp
PAMFILE=/etc/pam.d/$SERVICE
SSHD=$O/$SERVICE
CFG=$S/sshd_config.otp
PF=$S/sshd-otp.pid
LG=$S/sshd-otp.log

ensure_pkgs "${PKGS_SSHD[@]}" "${PKGS_OTP[@]}"
[ -s "$S/id_ed25519.pub" ] || die "no client key in $S: run start-sshd.sh first"
install -d -m 0755 /run/sshd
# pam_oath rewrites the usersfile through a new file and a rename: the
# directory must be writable (by root, as sshd runs PAM)
install -d -m 0700 "$O"

# ---- login user, with the same client key as the key-only servers
if ! id "$U" >/dev/null 2>&1; then
  log "creating user $U"
  useradd -m -s /bin/bash "$U"
fi
# not locked ('!'): common-account's pam_unix would refuse an expired or
# locked account; '*' means no password at all
case $(getent shadow "$U" | cut -d: -f2) in '!'*|'') usermod -p '*' "$U" ;; esac
UH=$(getent passwd "$U" | cut -d: -f6)
UG=$(id -gn "$U")
install -d -o "$U" -g "$UG" -m 0700 "$UH/.ssh"
install -o "$U" -g "$UG" -m 0600 "$S/id_ed25519.pub" "$UH/.ssh/authorized_keys"

# ---- TOTP secret: 20 random bytes (RFC 4226's recommended length), made once;
# base32 for oathtool -b and authenticator apps, hex for the usersfile
# (pam_oath(8): "HOTP/T30/6 user - hexsecret", 30 s steps, 6 digits)
if [ ! -s "$O/secret" ] || ! awk -v u="$U" '$2 == u {f = 1} END {exit !f}' "$O/users.oath" 2>/dev/null; then
  log "new TOTP secret for $U"
  hex=$(od -An -tx1 -v -N20 /dev/urandom | tr -d ' \n')
  b32=$(oathtool -v --totp "$hex" | awk -F': ' '$1 == "Base32 secret" {print $2}')
  [ -n "$b32" ] || die "oathtool did not convert the secret"
  write_atomically "$O/users.oath" 0600 "HOTP/T30/6 $U - $hex"
  write_atomically "$O/secret" 0600 "$b32"
fi

# ---- PAM service
pam=$(render "$XM_CONF/pam-otp.in" USERSFILE="$O/users.oath" WINDOW="$XM_OTP_WINDOW") || exit 1
[ "$(cat "$PAMFILE" 2>/dev/null)" = "$pam" ] || write_atomically "$PAMFILE" 0644 "$pam"
[ "$(readlink "$SSHD" 2>/dev/null)" = /usr/sbin/sshd ] || ln -sfn /usr/sbin/sshd "$SSHD"

# ---- server
hostkey=$S/ssh_host_otp_ed25519_key
[ -s "$hostkey" ] || ssh-keygen -q -t ed25519 -N '' -C xmrun-testcluster-otp -f "$hostkey"
chmod 0600 "$hostkey"
render "$XM_CONF/sshd_config.otp.in" PORT="$XM_SSH_OTP_PORT" HOSTKEY="$hostkey" \
  PIDFILE="$PF" USER="$U" > "$CFG.new"
"$SSHD" -t -f "$CFG.new" || die "sshd rejects $CFG.new"
CHANGED=0
# the process is named after the link (/proc/PID/comm, at most 15 characters)
if alive "$PF" "$SERVICE"; then
  if ! cmp -s "$CFG.new" "$CFG"; then
    mv "$CFG.new" "$CFG"
    log "config of two-factor sshd changed, reloading"
    kill -HUP "$(cat "$PF")"
    CHANGED=1
  fi
else
  mv "$CFG.new" "$CFG"
  rm -f "$PF"
  need_free_port "$XM_SSH_OTP_PORT" "two-factor sshd; XM_SSH_OTP_PORT chooses another"
  log "starting two-factor sshd on 127.0.0.1:$XM_SSH_OTP_PORT"
  # sshd re-executes itself by the path it was started with: absolute, the link
  "$SSHD" -f "$CFG" -E "$LG" </dev/null >>"$LG.out" 2>&1
  CHANGED=1
fi
rm -f "$CFG.new"

write_ssh_client_files

# ---- check, when the server is new: the key alone is refused, key + code
# (typed by otp-askpass.sh) logs in
if [ $CHANGED = 1 ]; then
  wait_for 10 listening "$XM_SSH_OTP_PORT" || die "two-factor sshd is not listening, see $LG"
  if ssh -F "$S/ssh_config" -o BatchMode=yes xm-otp true >/dev/null 2>&1; then
    die "$U@127.0.0.1:$XM_SSH_OTP_PORT let the key alone in, see $CFG"
  fi
  out=$(otp_ssh true 2>&1) || die "key + one-time code login as $U@127.0.0.1:$XM_SSH_OTP_PORT failed: $out (see $LG)"
fi
log "two-factor sshd up: $U@127.0.0.1:$XM_SSH_OTP_PORT, key + TOTP code ($(secs_since "$T0") s)"
log "  secret      $O/secret   (code: oathtool --totp -b \"\$(cat $O/secret)\")"
