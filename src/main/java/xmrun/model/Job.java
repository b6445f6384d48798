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
 * @param launch    how the program starts inside the allocation ({@link Launch#DIRECT} unless the launcher says)
 * @param group     the group the job is a member of, or null
 * @param retry     when a failed unit runs again, or null: never
 * @param warning   a signal the program gets before its time limit, or null
 * @param container the container its program runs in, or null to run it on the node itself
 * @param secrets   variables its program gets from xmrun's environment at submission, by name only (the experiment's too)
 */
public record Job(String name, List<String> command, List<String> args, Map<String, String> env,
                  Resources resources, Sweep sweep, List<Dependency> after, SchedulerOptions scheduler,
                  Launch launch, String group, SourceRef declaredAt, Retry retry, Warning warning, Container container,
                  List<Secret> secrets) {

    public Job(String name, List<String> command, List<String> args, Map<String, String> env, Resources resources, Sweep sweep,
               List<Dependency> after, SchedulerOptions scheduler, SourceRef declaredAt) {
        this(name, command, args, env, resources, sweep, after, scheduler, null, null, declaredAt, null, null, null, List.of());
    }

    public Job(String name, List<String> command, List<String> args, Map<String, String> env, Resources resources, Sweep sweep,
               List<Dependency> after, SchedulerOptions scheduler, Launch launch, String group, SourceRef declaredAt) {
        this(name, command, args, env, resources, sweep, after, scheduler, launch, group, declaredAt, null, null, null, List.of());
    }
    public Job {
        launch = launch == null ? Launch.DIRECT : launch;
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        after = List.copyOf(after);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        if (command.isEmpty()) {
            throw new ScriptError(declaredAt, "job '" + name + "' has no command");
        }
    }

    public Job withContainer(Container c) {
        return new Job(name, command, args, env, resources, sweep, after, scheduler, launch, group, declaredAt, retry, warning, c, secrets);
    }

    /** The names of its secrets, in the order the launcher gives them. */
    public List<String> secretNames() {
        return secrets.stream().map(Secret::name).toList();
    }

    public long workUnitCount() {
        return sweep.size();
    }
}
