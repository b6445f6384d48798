package xmrun.plan;

import xmrun.model.Dependency;
import xmrun.model.Job;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Dependencies first, otherwise the launcher's order. The model has already ruled out cycles. */
final class SubmitOrder {
    private SubmitOrder() {
    }

    static List<Job> of(List<Job> jobs) {
        Map<String, Job> byName = jobs.stream().collect(Collectors.toMap(Job::name, Function.identity()));
        Set<Job> ordered = new LinkedHashSet<>();
        jobs.forEach(j -> add(j, byName, ordered));
        return List.copyOf(new ArrayList<>(ordered));
    }

    private static void add(Job job, Map<String, Job> byName, Set<Job> ordered) {
        if (ordered.contains(job)) {
            return;
        }
        for (Dependency d : job.after()) {
            add(byName.get(d.job()), byName, ordered);
        }
        ordered.add(job);
    }
}
