package xmrun.plan;

import java.util.List;
import java.util.Map;

/**
 * One run of one job at one sweep point.
 *
 * @param id    1-based, unique in its experiment ({@code XM_WORK_UNIT_ID})
 * @param index 0-based position in its job's sweep (the array task index on a scheduler)
 * @param argv  the full command line, one element per argument, exactly as the program receives it
 * @param point the sweep values this unit runs with (empty without a sweep)
 */
public record WorkUnit(int id, String job, int index, List<String> argv, Map<String, String> env, Map<String, Object> point) {
}
