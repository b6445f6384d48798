#!/usr/bin/env bash
# Cold-start benchmark: wall time and peak memory (/usr/bin/time -v) of a whole `xmrun render`
# process, for the hello example and for a 10,000-point sweep. Each run is a new JVM.
#   bench/startup.sh [RUNS]      (default 5 runs per case; prints the median and the range)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export XMRUN_HOME="$work/home"

measure() { # name launcher fresh|cached
  local name="$1" launcher="$2" mode="$3" walls=() rss=()
  "$root/bin/xmrun" render "$launcher" -o "$work/warm" >/dev/null # page cache warm, not the JVM
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/out"
    # fresh: as after an edit of the launcher (compiled again); cached: the same launcher again
    if [[ "$mode" == fresh ]]; then rm -rf "$XMRUN_HOME/cache"; fi
    /usr/bin/time -v -o "$work/time" "$root/bin/xmrun" render "$launcher" -o "$work/out" >/dev/null
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
measure "hello, edited" "$root/dsl-examples/hello.xm.groovy" fresh
measure "hello, again" "$root/dsl-examples/hello.xm.groovy" cached
measure "sweep10k (10,000 units), edited" "$root/bench/sweep10k.xm.groovy" fresh
measure "sweep10k (10,000 units), again" "$root/bench/sweep10k.xm.groovy" cached
