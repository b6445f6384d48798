#!/usr/bin/env bash
# otp-askpass.sh PROMPT - SSH_ASKPASS program for logins to the two-factor
# sshd without a terminal (lib.sh otp_ssh): answers pam_oath's prompt
# "One-time password (OATH) for `USER': " with otp-code.sh and refuses any
# other question (a key passphrase, a host key to confirm).
set -euo pipefail
case ${1:-} in
  *"One-time password"*) exec "$(dirname "$0")/otp-code.sh" ;;
  *) echo "otp-askpass: not a one-time code prompt: ${1:-}" >&2; exit 1 ;;
esac
