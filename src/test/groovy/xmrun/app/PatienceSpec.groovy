package xmrun.app

import spock.lang.Specification
import xmrun.Failure
import xmrun.FaultKind
import xmrun.UserError
import xmrun.transport.ConnectionLost

import java.time.Duration

/** Waiting out faults that pass, on a clock that does not sleep. */
class PatienceSpec extends Specification {
    long now = 0
    List<Long> pauses = []
    List<String> said = []
    Patience.Clock clock = new Patience.Clock() {
        long nanos() { now }

        void sleep(long millis) {
            pauses << millis
            now += millis * 1_000_000
        }
    }

    Patience patience(Duration limit = Duration.ofMinutes(5)) {
        new Patience(limit, { said << it }, clock)
    }

    static Failure down() {
        new Failure("Slurm's controller is not answering: squeue failed: Unable to contact slurm controller", FaultKind.SCHEDULER_DOWN, null)
    }

    def 'a controller down for a while is waited out with growing pauses, told once when it starts and once when it ends'() {
        given:
        int calls = 0
        def p = patience()

        when:
        String r = p.call { if (++calls <= 6) { throw down() }; 'states' }

        then:
        r == 'states'
        pauses == [1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L]
        said == ["xmrun: Slurm's controller is not answering: squeue failed: Unable to contact slurm controller; trying again for up to 5 min",
                 'xmrun: the scheduler answers again after 35 s']
    }

    def 'a dropped connection is waited out too, in its own words'() {
        given:
        int calls = 0
        def p = patience()

        when:
        p.call { if (++calls == 1) { throw new ConnectionLost('connection to u@h:22 lost while running squeue; it may have run', null) }; 1 }

        then:
        said == ['xmrun: connection to u@h:22 lost while running squeue; it may have run; trying again for up to 5 min',
                 'xmrun: connected again after 1 s']
    }

    def 'the line that tells of the trouble is one line, though the scheduler said several'() {
        given:
        int calls = 0

        when:
        patience().call {
            if (++calls == 1) {
                throw new Failure("Grid Engine's qmaster is not answering: qconf -sconf failed: error: commlib error\n" +
                        'ERROR: unable to send message to qmaster', FaultKind.SCHEDULER_DOWN, null)
            }
            1
        }

        then:
        said[0] == "xmrun: Grid Engine's qmaster is not answering: qconf -sconf failed: error: commlib error " +
                'ERROR: unable to send message to qmaster; trying again for up to 5 min'
    }

    def 'a fault that will not pass by waiting fails at once: #kind'() {
        given:
        def p = patience()

        when:
        p.call { throw new Failure('no', kind, null) }

        then:
        thrown(Failure)
        pauses.isEmpty()
        said.isEmpty()

        where:
        kind << [FaultKind.AUTH_REFUSED, FaultKind.QUEUE_UNKNOWN, FaultKind.QUEUE_CLOSED, null]
    }

    def 'trouble that outlasts the limit fails with the last words and how long it was waited out'() {
        given:
        def p = patience(Duration.ofSeconds(30))

        when:
        p.call { throw down() }

        then:
        def e = thrown(Patience.GaveUp)
        e.message == "Slurm's controller is not answering: squeue failed: Unable to contact slurm controller; still failing after 30 s, " +
                'giving up (XMRUN_PATIENCE=30s; set it to wait longer)'
        e.kind() == FaultKind.SCHEDULER_DOWN
        pauses.sum() == 30_000
        said.size() == 1
    }

    def 'a limit of 0 fails at once with the fault\'s own words, saying nothing more'() {
        when:
        patience(Duration.ZERO).call { throw down() }

        then:
        def e = thrown(Failure)
        !(e instanceof Patience.GaveUp)
        said.isEmpty()
    }

    def 'each spell of trouble is told and timed on its own'() {
        given:
        def p = patience(Duration.ofSeconds(20))
        int calls = 0

        when: 'the first call succeeds after 7 s of trouble; then trouble comes back and lasts'
        p.call { if (++calls <= 3) { throw down() }; 'ok' }
        p.call { throw down() }

        then:
        thrown(Patience.GaveUp)
        said.size() == 3
        said[1] == 'xmrun: the scheduler answers again after 7 s'
    }

    def 'XMRUN_PATIENCE: #value'() {
        expect:
        Patience.fromEnvironment(value == null ? [:] : [XMRUN_PATIENCE: value], {}).limit() == limit

        where:
        value  || limit
        null   || Duration.ofMinutes(5)
        '300'  || Duration.ofSeconds(300)
        '90s'  || Duration.ofSeconds(90)
        '10m'  || Duration.ofMinutes(10)
        '1h'   || Duration.ofHours(1)
        '0'    || Duration.ZERO
    }

    def 'an XMRUN_PATIENCE that is not a time is the user\'s mistake: #value'() {
        when:
        Patience.fromEnvironment([XMRUN_PATIENCE: value], {})

        then:
        def e = thrown(UserError)
        e.message == "XMRUN_PATIENCE must be a time like 300 (seconds), 90s, 10m or 1h; got '$value'"

        where:
        value << ['5 minutes', '-1', 'soon']
    }
}
