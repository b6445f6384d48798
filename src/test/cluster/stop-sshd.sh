#!/usr/bin/env bash
# stop-sshd.sh - stop the sshd servers started by start-sshd.sh and
# start-sshd-otp.sh (by pid file).
# Open sessions (per-connection sshd children) end when their clients do.
# Users, keys, known_hosts and the one-time code secret are kept, so a
# restart needs no new trust.
set -uo pipefail
XM_TAG=stop-sshd
. "$(dirname "$0")/lib.sh"
stop_pidfile "$XM_DIR/ssh/sshd.pid" sshd 5
stop_pidfile "$XM_DIR/ssh/sshd-jump.pid" sshd 5
stop_pidfile "$XM_DIR/ssh/sshd-otp.pid" xmrun-sshd-otp 5
exit 0
