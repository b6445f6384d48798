package xmrun.scheduler;

import xmrun.Failure;
import xmrun.FaultKind;
import xmrun.transport.ExecResult;

import java.util.List;

/** A common fault a scheduler command ran into, with the first words a user needs (the scheduler's own follow). */
public record Fault(FaultKind kind, String headline) {

    /** Words a scheduler prints for a fault. */
    public record Words(String words, Fault fault) {
    }

    /** The fault of the first words a failed command printed (stderr, then stdout); null for success or none known. */
    public static Fault of(List<Words> table, ExecResult r) {
        if (r.ok()) {
            return null;
        }
        String text = r.stderr() + "\n" + r.stdout();
        return table.stream().filter(w -> text.contains(w.words())).map(Words::fault).findFirst().orElse(null);
    }

    /**
     * The failure of a command: the fault's headline first when there is one, then what was run and what it said,
     * e.g. {@code Slurm's controller is not answering: squeue: slurm_load_jobs error: Unable to contact slurm controller}.
     */
    public static Failure failure(Fault fault, String what, ExecResult r) {
        String said = (r.stderr().strip() + " " + r.stdout().strip()).strip();
        String message = what + (said.isEmpty() ? " (exit " + r.exitCode() + ")" : ": " + said);
        return fault == null ? new Failure(message) : new Failure(fault.headline() + ": " + message, fault.kind(), null);
    }
}
