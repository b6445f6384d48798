package xmrun.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import xmrun.render.ShellQuote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The completion script: picocli's (commands, options, fixed values), then a layer of xmrun's own that
 * runs first and answers where the value is only known when TAB is pressed: launcher files, cluster
 * names and experiment ids. Its tables are made from the same command model as picocli's, so a new
 * command or option needs nothing here: its {@code completionCandidates} ({@link Completions}) says
 * what it takes. zsh runs the same script through its bash compatibility (bashcompinit).
 */
final class CompletionScript {
    private CompletionScript() {
    }

    static String of(CommandLine root, String shell) {
        String name = root.getCommandName();
        Tables t = new Tables();
        t.walk(root, "");
        // xmrun FILE ... is xmrun launch FILE ...: the first word may be a launcher as well as a command
        String implicit = t.kinds.get("launch|#0");
        if (implicit != null) {
            t.kinds.put("|#0", implicit);
        }
        return header(name, shell) + AutoComplete.bash(name, root) + layer(name, t);
    }

    private static String header(String name, String shell) {
        return "# " + name + " completion for " + shell + ": add  source <(" + name + " completion " + shell + ")  to ~/."
                + shell + "rc" + (shell.equals("zsh") ? " (zsh runs it through bashcompinit)" : "") + "\n";
    }

    /** What the layer needs to know of the command tree, as bash case patterns. */
    private static final class Tables {
        final List<String> subcommands = new ArrayList<>();
        final List<String> valueOptions = new ArrayList<>();
        final Map<String, String> kinds = new LinkedHashMap<>();

        void walk(CommandLine cl, String path) {
            CommandSpec spec = cl.getCommandSpec();
            for (OptionSpec o : spec.options()) {
                for (String n : o.names()) {
                    if (o.arity().max() > 0) {
                        valueOptions.add(path + "|" + n);
                    }
                    kind(o).ifPresent(k -> kinds.put(path + "|" + n, k));
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                kind(p).ifPresent(k -> {
                    // one case per index; an open range (1..*) gets its first few, which is all a command line holds
                    for (int i = p.index().min(); i <= Math.min(p.index().max(), p.index().min() + 8); i++) {
                        kinds.put(path + "|#" + i, k);
                    }
                });
            }
            cl.getSubcommands().forEach((sub, child) -> {
                if (!child.getCommandSpec().usageMessage().hidden()) {
                    subcommands.add(path + "|" + sub);
                    walk(child, path.isEmpty() ? sub : path + " " + sub);
                }
            });
        }

        private static java.util.Optional<String> kind(ArgSpec arg) {
            return arg.completionCandidates() instanceof Completions.AtTabTime t ? java.util.Optional.of(t.kind()) : java.util.Optional.empty();
        }
    }

    private static String patterns(List<String> keys) {
        return String.join("|", keys.stream().map(ShellQuote::quote).toList());
    }

    private static String kindCases(Map<String, String> kinds) {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        kinds.forEach((key, kind) -> byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(key));
        StringBuilder b = new StringBuilder();
        byKind.forEach((kind, keys) -> b.append("    ").append(patterns(keys)).append(") echo ").append(kind).append(" ;;\n"));
        return b.toString();
    }

    private static String layer(String name, Tables t) {
        String topCommands = String.join(" ", t.subcommands.stream().filter(s -> s.startsWith("|")).map(s -> s.substring(1)).toList());
        return """

                # ---- %1$s's own layer: launcher files, cluster names and experiment ids, looked up when TAB is pressed.

                # _%1$s_subcommand PATH WORD: succeeds when WORD is a subcommand of the command PATH ('' for %1$s itself)
                function _%1$s_subcommand() {
                  case "$1|$2" in
                    %2$s) return 0 ;;
                  esac
                  return 1
                }

                # _%1$s_takes_value PATH OPTION: succeeds when the option takes a value (the next word)
                function _%1$s_takes_value() {
                  case "$1|$2" in
                    %3$s) return 0 ;;
                  esac
                  return 1
                }

                # _%1$s_value_kind PATH OPTION|#INDEX: what the option's value or the positional parameter is
                function _%1$s_value_kind() {
                  case "$1|$2" in
                %4$s  esac
                }

                # _%1$s_values KIND: cluster names or experiment ids, from %1$s itself (the one being completed)
                function _%1$s_values() {
                  local program=${COMP_WORDS[0]}
                  command -v "$program" >/dev/null 2>&1 || program=%1$s
                  "$program" __complete "$1" 2>/dev/null
                }

                # _%1$s_files KIND CUR: directories, then launchers (and sweep files) starting with CUR
                function _%1$s_files() {
                  local IFS=$'\\n' f
                  COMPREPLY=( $(compgen -d -- "$2") )
                  for f in $(compgen -G "$2*.xm.groovy"); do COMPREPLY+=("$f"); done
                  if [[ "$1" == sweeps ]]; then
                    for f in $(compgen -G "$2*.sweep.groovy"); do COMPREPLY+=("$f"); done
                  fi
                  type compopt >/dev/null 2>&1 && compopt -o filenames 2>/dev/null
                  return 0
                }

                function _%1$s_complete() {
                  local cur=${COMP_WORDS[COMP_CWORD]} prev="" cmd="" index=0 skip=0 dashdash=0 i w kind=""
                  (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}
                  # cmd: the command being typed ("clusters check"; not "path": zsh ties that name to PATH);
                  # index: the positional parameter being typed, not counting options and their values
                  for (( i = 1; i < COMP_CWORD; i++ )); do
                    w=${COMP_WORDS[i]}
                    if (( skip )); then skip=0; continue; fi
                    if (( ! dashdash )) && [[ "$w" == -- ]]; then dashdash=1; continue; fi
                    if (( ! dashdash )) && [[ "$w" == -* ]]; then
                      [[ "$w" != *=* ]] && _%1$s_takes_value "$cmd" "$w" && skip=1
                      continue
                    fi
                    if (( index == 0 && ! dashdash )) && _%1$s_subcommand "$cmd" "$w"; then
                      cmd="${cmd:+$cmd }$w"
                      continue
                    fi
                    [[ -z "$cmd" ]] && cmd=launch  # %1$s FILE ... is %1$s launch FILE ...
                    index=$((index + 1))
                  done
                  if (( dashdash )); then
                    kind=""
                  elif [[ "$prev" == -* ]] && _%1$s_takes_value "$cmd" "$prev"; then
                    kind=$(_%1$s_value_kind "$cmd" "$prev")
                  elif [[ "$cur" != -* ]]; then
                    kind=$(_%1$s_value_kind "$cmd" "#$index")
                  fi
                  case "$kind" in
                    clusters|experiments)
                      type compopt >/dev/null 2>&1 && compopt +o default 2>/dev/null
                      local IFS=$'\\n'
                      COMPREPLY=( $(compgen -W "$(_%1$s_values "$kind")" -- "$cur") )
                      ;;
                    launchers|sweeps)
                      _%1$s_files "$kind" "$cur"
                      if [[ -z "$cmd" ]]; then
                        local c
                        for c in $(compgen -W %5$s -- "$cur"); do COMPREPLY+=("$c"); done
                      fi
                      ;;
                    *)
                      # everything else as picocli generated it, for the command being typed
                      local f="_picocli_%1$s${cmd:+_${cmd// /_}}"
                      if type "$f" >/dev/null 2>&1; then "$f"; else _complete_%1$s; fi
                      ;;
                  esac
                }

                complete -F _%1$s_complete -o default %1$s
                """.formatted(name, patterns(t.subcommands), patterns(t.valueOptions), kindCases(t.kinds), ShellQuote.quote(topCommands));
    }
}
