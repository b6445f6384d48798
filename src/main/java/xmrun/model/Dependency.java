package xmrun.model;

/** {@code after 'train'}: this job's work units start once those of {@code job} have ended as {@code when} says. */
public record Dependency(String job, When when, SourceRef declaredAt) {

    /** Mirrors Slurm's afterok / afterany / afternotok (sbatch(1), --dependency). */
    public enum When {
        SUCCESS("afterok"), ANY("afterany"), FAILURE("afternotok");

        public final String slurmType;

        When(String slurmType) {
            this.slurmType = slurmType;
        }

        /** Whether a dependent may run once its dependency ended with this outcome. */
        public boolean satisfiedBy(boolean allSucceeded) {
            return switch (this) {
                case SUCCESS -> allSucceeded;
                case ANY -> true;
                case FAILURE -> !allSucceeded;
            };
        }
    }
}
