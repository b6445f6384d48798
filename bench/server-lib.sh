# shellcheck shell=bash
# Sourced by the benches: the xmrun server of $XMRUN_HOME (see README, "The xmrun server"), started and stopped
# here so that a row measures it warm, cold (the first command, no server yet) or not at all (XMRUN_NO_SERVER=1).

server_pid() { # the pid of the server that logged last that it listens, if any
  [[ -f "$XMRUN_HOME/server/server.log" ]] || return 0
  awk '/: listening on / { p = $3 } END { sub(/:$/, "", p); print p }' "$XMRUN_HOME/server/server.log"
}

server_stop() { # the server of this XMRUN_HOME, if one runs: SIGTERM, then its socket is gone
  local pid; pid=$(server_pid)
  if [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; then
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  rm -f "$XMRUN_HOME"/server/*.sock
}

server_warm() { # a served command has run: the server listens and has the classes of its first command
  local i
  env -u XMRUN_NO_SERVER "${root:?}/bin/xmrun" list >/dev/null
  for ((i = 0; i < 600; i++)); do
    if compgen -G "$XMRUN_HOME/server/*.sock" >/dev/null && [[ -n "$(server_pid)" ]] &&
      grep -q ': listening on ' "$XMRUN_HOME/server/server.log"; then
      env -u XMRUN_NO_SERVER "${root:?}/bin/xmrun" list >/dev/null
      grep -q ': served ' "$XMRUN_HOME/server/server.log" && return 0
    fi
    sleep 0.1
  done
  echo "no xmrun server started; see $XMRUN_HOME/server/server.log" >&2
  return 1
}

server_wait() { # until the server a command started listens (a cold row: stopped again before the next run)
  local i
  for ((i = 0; i < 600; i++)); do
    if compgen -G "$XMRUN_HOME/server/*.sock" >/dev/null && [[ -n "$(server_pid)" ]]; then return 0; fi
    sleep 0.1
  done
  echo "no xmrun server started; see $XMRUN_HOME/server/server.log" >&2
  return 1
}
