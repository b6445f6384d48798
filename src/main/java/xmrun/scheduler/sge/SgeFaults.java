package xmrun.scheduler.sge;

import xmrun.Failure;
import xmrun.FaultKind;
import xmrun.scheduler.Fault;
import xmrun.scheduler.Fault.Words;
import xmrun.transport.ExecResult;

import java.util.List;

/**
 * Grid Engine's words for the common faults, matched in what a failed command printed: its clients reach
 * sge_qmaster through commlib, whose errors they print as they are.
 */
final class SgeFaults {
    static final Fault QMASTER = new Fault(FaultKind.SCHEDULER_DOWN, "Grid Engine's qmaster is not answering");
    static final Fault AUTH = new Fault(FaultKind.AUTH_REFUSED, "Grid Engine refused us");
    static final Fault QUEUE = new Fault(FaultKind.QUEUE_UNKNOWN, "Grid Engine does not know the queue");


    private static final List<Words> WORDS = List.of(
            new Words("unable to send message to qmaster", QMASTER),
            new Words("unable to contact qmaster", QMASTER),
            new Words("got select error (Connection refused)", QMASTER),
            new Words("can't connect to service", QMASTER),
            new Words("got syncron message receive timeout error", QMASTER),
            new Words("access denied", AUTH),
            new Words("is no submit host", AUTH),
            new Words("is neither submit nor admin host", AUTH),
            new Words("has no permission", AUTH),
            new Words("unknown queue", QUEUE));

    private SgeFaults() {
    }

    static Fault of(ExecResult r) {
        return Fault.of(WORDS, r);
    }

    static Failure failure(String what, ExecResult r) {
        return Fault.failure(of(r), what, r);
    }
}
