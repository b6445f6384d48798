#!/usr/bin/env bash
# `xmrun results` on an experiment of 100,000 work units that have all run and reported (rows written
# straight into the store), as whole processes: wall time and peak memory (/usr/bin/time -v), median
# and range of RUNS, beside `xmrun list` on the same store (the floor: a JVM that opens the store); each in a
# JVM of its own (XMRUN_NO_SERVER=1), then served by a warm xmrun server (the client's RSS).
#   bench/results.sh [RUNS] [UNITS]      (default 5 runs, 100000 units)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-5}"
units="${2:-100000}"
work="$(mktemp -d)"
export XMRUN_HOME="$work/home"
# shellcheck source=bench/server-lib.sh
source "$root/bench/server-lib.sh"
trap 'server_stop; rm -rf "$work"' EXIT
export XMRUN_NO_SERVER=1 # a row served by the server says so

"$root/bin/xmrun" list >/dev/null # creates the store with the current schema
sqlite3 "$XMRUN_HOME/store.sqlite" <<SQL
INSERT INTO experiments (id, name, launcher, cluster, work_dir, created_at, script_args)
  VALUES (1, 'bench', '/bench/train.xm.groovy', 'local', '$work/exp', '2026-01-01T00:00:00Z', '[]');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $units)
INSERT INTO work_units (experiment_id, id, job, task_index, argv, env, script_path, scheduler_id, state, exit_code,
                        submitted_at, started_at, ended_at, point, attempt, results_attempt)
  SELECT 1, i, 'train', i - 1,
         json_array('python3', 'train.py', '--lr=' || (i % 100) * 0.0001, '--seed=' || (i / 100), '--model=m' || (i % 10)),
         '{}', '/bench/jobs/train.sh', '1_' || (i - 1), 'SUCCEEDED', 0,
         '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z',
         json_object('lr', (i % 100) * 0.0001, 'seed', i / 100, 'model', 'm' || (i % 10)), 1, 1
  FROM n;
INSERT INTO jobs (experiment_id, name, settings) VALUES (1, 'train', '{"after": [], "axes": ["lr", "seed", "model"]}');
INSERT INTO result_keys (experiment_id, key, first_unit, position) VALUES (1, 'val_loss', 1, 0), (1, 'acc', 1, 1);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $units)
INSERT INTO results (experiment_id, work_unit_id, attempt, data)
  SELECT 1, i, 1, json_object('val_loss', (i * 7919 % 100003) / 100003.0, 'acc', (i * 104729 % 1000) / 1000.0) FROM n;
SQL

measure() { # name own|served args...
  local name="$1" how="$2" walls=() rss=() run=("$root/bin/xmrun"); shift 2
  if [[ "$how" == served ]]; then server_warm; run=(env -u XMRUN_NO_SERVER "$root/bin/xmrun"); fi
  "${run[@]}" "$@" >/dev/null # page cache warm, not the JVM
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -v -o "$work/time" "${run[@]}" "$@" >"$work/out"
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.0f", s * 1000 }' "$work/time")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time")")
  done
  local sw sr
  sw=$(printf '%s\n' "${walls[@]}" | sort -n)
  sr=$(printf '%s\n' "${rss[@]}" | sort -n)
  printf '%-44s wall median %5s ms (%s-%s)   max RSS median %4s MB   %s lines\n' "$name" \
    "$(sed -n "$(((runs + 1) / 2))p" <<<"$sw")" "$(head -1 <<<"$sw")" "$(tail -1 <<<"$sw")" \
    "$(sed -n "$(((runs + 1) / 2))p" <<<"$sr")" "$(wc -l <"$work/out")"
}

echo "xmrun results on $units units, $runs runs each, $(nproc) cores, $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1)"
for how in own served; do
  echo "-- $([[ "$how" == own ]] && echo "a JVM of its own (XMRUN_NO_SERVER=1)" || echo "served by a warm xmrun server")"
  measure "floor: xmrun list" "$how" list
  measure "results 1 --csv (every row)" "$how" results 1 --csv
  measure "results 1 --sort -val_loss --limit 10" "$how" results 1 --sort -val_loss --limit 10
done
