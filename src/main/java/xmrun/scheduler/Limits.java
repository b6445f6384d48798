package xmrun.scheduler;

/**
 * What one submission may ask of a scheduler, as it told us at launch.
 *
 * @param maxArraySize the most tasks one array may have
 * @param cpus         the most CPUs one task can get, or null when the scheduler itself judges requests
 * @param gpus         the most GPUs one task can get, or null likewise
 */
public record Limits(int maxArraySize, Integer cpus, Integer gpus) {
    public static Limits arraysOf(int maxArraySize) {
        return new Limits(maxArraySize, null, null);
    }
}
