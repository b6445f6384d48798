#!/usr/bin/env bash
# otp-code.sh - print a one-time code that the two-factor sshd
# (start-sshd-otp.sh) accepts now: oathtool's code for the current 30 s step
# or, when a login has used that one already, for the step after the last
# code used. pam_oath refuses a code it has accepted before and every older
# one, and takes codes up to $XM_OTP_WINDOW steps ahead of its clock.
# Needs root (reads $XM_TESTCLUSTER_DIR/otp). Usage: otp-code.sh
set -euo pipefail
XM_TAG=otp-code
. "$(dirname "$0")/lib.sh"
O=$XM_DIR/otp
[ -r "$O/secret" ] || die "cannot read $O/secret: run start-sshd-otp.sh, as root"
secret=$(cat "$O/secret")
W=$XM_OTP_WINDOW
now=$(( $(date +%s) / 30 ))
next=$now
# the user's usersfile line once a code was accepted:
#   HOTP/T30/6 USER - HEXSECRET COUNTER LASTCODE TIME
last=$(awk -v u="$XM_SSH_OTP_USER" '$2 == u {print $6}' "$O/users.oath")
if [ -n "$last" ]; then
  # the codes of steps now-W .. now+W, one a line (-w N: N more after the first)
  i=$(( now - W ))
  while read -r code; do
    if [ "$code" = "$last" ] && [ $((i + 1)) -gt "$next" ]; then next=$((i + 1)); fi
    i=$((i + 1))
  done < <(oathtool --totp -b -w $((2 * W)) -N "@$(( (now - W) * 30 ))" "$secret")
fi
[ "$next" -le $((now + W)) ] ||
  die "the codes of the next $((W * 30)) s have all been used; try again in $(( (next - now - W) * 30 )) s"
oathtool --totp -b -N "@$((next * 30))" "$secret"
