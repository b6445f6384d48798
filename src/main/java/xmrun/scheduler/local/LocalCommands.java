package xmrun.scheduler.local;

/**
 * The local scheduler's commands, as fixed shell texts over the spool (layout: {@link xmrun.local.Spool}).
 * Everything variable arrives as positional arguments, so nothing a user wrote is parsed as shell.
 */
final class LocalCommands {
    private LocalCommands() {
    }

    /** {@code live PID}: the process exists and is not a zombie (proc(5): the state follows the last ')'). */
    private static final String LIVE = """
            live() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) in Z*|X*|'') false ;; esac; }
            runner_state() {
              if [ -f "$1/done" ]; then echo done
              elif live "$(cat "$1/runner.pid" 2>/dev/null)"; then echo running
              else echo gone; fi
            }
            """;

    /**
     * $1 spool, $2 java, $3 class path, $4 script, $5 offset, $6 first task, $7 last task, $8 parallel, $9 after,
     * ${10} job name, ${11} "held" to submit it held. Allocates the next id under a lock, writes the spec, starts the job's runner detached
     * (setsid: a session of its own, so a Ctrl-C in xmrun's terminal does not reach it) and prints the id.
     */
    static final String SUBMIT = """
            set -eu
            spool=$1
            mkdir -p "$spool/jobs"
            exec 9>>"$spool/lock"
            flock 9
            id=$(( $(cat "$spool/last-id" 2>/dev/null || echo 0) + 1 ))
            printf '%s\\n' "$id" >"$spool/last-id"
            exec 9>&-
            d=$spool/jobs/$id
            mkdir "$d"
            if [ "${11:-}" = held ]; then : >"$d/held"; fi
            printf 'name=%s\\nscript=%s\\noffset=%s\\ntasks=%s-%s\\nparallel=%s\\nafter=%s\\n' "${10}" "$4" "$5" "$6" "$7" "$8" "$9" >"$d/.spec"
            mv "$d/.spec" "$d/spec"
            setsid "$2" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -Xss512k -Xshare:auto -cp "$3" \\
              xmrun.local.LocalRunner "$spool" "$id" </dev/null >>"$d/runner.log" 2>&1 &
            printf '%s\\n' "$!" >"$d/runner.pid"
            printf '%s\\n' "$id"
            """;

    /**
     * $1 spool, then job ids. Per job: its spec, whether its runner runs, its events and cancel markers;
     * when the runner is gone, the exit codes its tasks' wrappers left and which started tasks still live.
     */
    static final String STATUS = LIVE + """
            spool=$1; shift
            for id; do
              d=$spool/jobs/$id
              printf 'job %s\\n' "$id"
              [ -f "$d/spec" ] || continue
              sed 's/^/spec /' "$d/spec"
              r=$(runner_state "$d")
              printf 'runner %s\\n' "$r"
              cat "$d/events" 2>/dev/null || true
              for f in "$d"/cancel*; do [ -e "$f" ] && printf 'marker %s\\n' "${f##*/}"; done
              if [ "$r" = gone ]; then
                for f in "$d"/exit.*; do [ -e "$f" ] && printf 'exitfile %s %s\\n' "${f##*.}" "$(cat "$f")"; done
                awk '$2 == "start" { print $1, $4 }' "$d/events" 2>/dev/null | while read -r t p; do
                  live "$p" && printf 'alive %s\\n' "$t"
                done
              fi
            done
            exit 0
            """;

    /**
     * $1 spool, then {@code ID} (the whole job) or {@code ID_TASK}. Leaves a marker the runner acts on
     * within a tick; a job whose runner is gone has its started tasks' process groups stopped here.
     */
    static final String CANCEL = LIVE + """
            spool=$1; shift
            for t; do
              id=${t%%_*}
              d=$spool/jobs/$id
              [ -d "$d" ] || continue
              if [ "$t" = "$id" ]; then : >"$d/cancel"; else : >"$d/cancel.${t#*_}"; fi
              if [ "$(runner_state "$d")" = gone ]; then
                awk -v want="${t#"$id"}" '$2 == "start" && (want == "" || "_" $1 == want) { print $4 }' "$d/events" 2>/dev/null |
                  while read -r p; do live "$p" && kill -TERM -- "-$p" 2>/dev/null; done
              fi
            done
            exit 0
            """;

    /** $1 spool, then job ids: lets held jobs start. */
    static final String RELEASE = """
            spool=$1; shift
            for id; do rm -f "$spool/jobs/$id/held"; done
            exit 0
            """;

    /** $1 spool, then job names: "job ID" and the spec of every job carrying one of the names. */
    static final String FIND = """
            spool=$1; shift
            for d in "$spool"/jobs/*; do
              [ -f "$d/spec" ] || continue
              name=$(sed -n 's/^name=//p' "$d/spec")
              for n; do
                if [ "$n" = "$name" ]; then printf 'job %s\\n' "${d##*/}"; cat "$d/spec"; fi
              done
            done
            exit 0
            """;
}
