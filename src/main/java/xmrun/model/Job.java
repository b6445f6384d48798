package xmrun.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job of an experiment: a command, its fixed arguments and environment, what it needs, and the
 * sweep that multiplies it into work units.
 *
 * @param args     argv elements after the command (positional first, then {@code --key=value})
 * @param scheduler how the job is put to a batch scheduler (ignored by the local executor)
 * @param launch   how the program starts inside the allocation ({@link Launch#DIRECT} unless the launcher says)
 * @param group    the group the job is a member of, or null
 */
public record Job(String name, List<String> command, List<String> args, Map<String, String> env,
                  Resources resources, Sweep sweep, List<Dependency> after, SchedulerOptions scheduler,
                  Launch launch, String group, SourceRef declaredAt) {
    public Job {
        launch = launch == null ? Launch.DIRECT : launch;
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        after = List.copyOf(after);
        if (command.isEmpty()) {
            throw new ScriptError(declaredAt, "job '" + name + "' has no command");
        }
    }

    public long workUnitCount() {
        return sweep.size();
    }
}
