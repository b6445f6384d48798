package xmrun.scheduler;

import java.time.Instant;

/**
 * What a scheduler said when asked when a job would start, submitting nothing: a time (its guess, from what it
 * knows now), that it would take the job without saying when, or that it would refuse it, in its own words.
 *
 * @param start   when the job would start; null when refused or not said
 * @param refusal why it would not take the job; null when it would
 */
public record StartEstimate(Instant start, String refusal) {
    /** Takes the job, cannot say when it starts (a scheduler without estimates, an answer without a time). */
    public static final StartEstimate UNKNOWN = new StartEstimate(null, null);

    public static StartEstimate at(Instant start) {
        return new StartEstimate(start, null);
    }

    public static StartEstimate refused(String why) {
        return new StartEstimate(null, why);
    }

    public boolean accepted() {
        return refusal == null;
    }
}
