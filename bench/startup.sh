#!/usr/bin/env bash
# Start-up benchmark: wall time and peak memory (/usr/bin/time -v) of a whole `xmrun render` command,
# for the hello example and for a 10,000-point sweep, three ways: in a JVM of its own (XMRUN_NO_SERVER=1,
# each run a new JVM), the first command when no xmrun server runs yet (the client, a JVM of its own, and
# a server started for the next command), and served by a warm server (the client's process: its RSS is
# the client's; the server's is printed at the end).
#   bench/startup.sh [RUNS]      (default 5 runs per case; prints the median and the range)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
export XMRUN_HOME="$work/home"
# shellcheck source=bench/server-lib.sh
source "$root/bench/server-lib.sh"
trap 'server_stop; rm -rf "$work"' EXIT

measure() { # name launcher fresh|cached own|cold|served
  local name="$1" launcher="$2" mode="$3" how="$4" walls=() rss=() env=(env -u XMRUN_NO_SERVER)
  if [[ "$how" == own ]]; then env=(env XMRUN_NO_SERVER=1); fi
  XMRUN_NO_SERVER=1 "$root/bin/xmrun" render "$launcher" -o "$work/warm" >/dev/null # page cache warm, not the JVM
  if [[ "$how" == served ]]; then server_warm; fi
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/out"
    # fresh: as after an edit of the launcher (compiled again); cached: the same launcher again
    if [[ "$mode" == fresh ]]; then rm -rf "$XMRUN_HOME/cache"; fi
    if [[ "$how" == cold ]]; then server_stop; fi
    /usr/bin/time -v -o "$work/time" "${env[@]}" "$root/bin/xmrun" render "$launcher" -o "$work/out" >/dev/null
    if [[ "$how" == cold ]]; then server_wait; server_stop; fi
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.0f", s * 1000 }' "$work/time")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time")")
  done
  local sw sr
  sw=$(printf '%s\n' "${walls[@]}" | sort -n)
  sr=$(printf '%s\n' "${rss[@]}" | sort -n)
  printf '%-34s wall median %5s ms (%s-%s)   max RSS median %4s MB\n' "$name" \
    "$(sed -n "$(((runs + 1) / 2))p" <<<"$sw")" "$(head -1 <<<"$sw")" "$(tail -1 <<<"$sw")" \
    "$(sed -n "$(((runs + 1) / 2))p" <<<"$sr")"
}

echo "xmrun render, $runs cold runs each, $(nproc) cores, $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1)"
if [[ -n "${XMRUN_NO_CDS:-}" ]]; then echo "class-data archive: off (XMRUN_NO_CDS)"; else
  "$root/bin/xmrun-cds" >/dev/null; echo "class-data archive: yes"; fi
for how in own cold served; do
  case "$how" in
    own) echo "-- in a JVM of its own (XMRUN_NO_SERVER=1)" ;;
    cold) echo "-- the first command, no server yet (it starts one)" ;;
    served) echo "-- served by a warm xmrun server" ;;
  esac
  measure "hello, edited" "$root/dsl-examples/hello.xm.groovy" fresh "$how"
  measure "hello, again" "$root/dsl-examples/hello.xm.groovy" cached "$how"
  if [[ "$how" != cold ]]; then
    measure "sweep10k (10,000 units), edited" "$root/bench/sweep10k.xm.groovy" fresh "$how"
    measure "sweep10k (10,000 units), again" "$root/bench/sweep10k.xm.groovy" cached "$how"
  fi
done
printf '%-34s %s MB\n' "the server's RSS after these" "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$(server_pid)/status")"
