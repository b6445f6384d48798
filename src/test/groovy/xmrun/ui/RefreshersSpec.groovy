package xmrun.ui

import spock.lang.Specification
import spock.util.concurrent.PollingConditions

import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger

/** The dashboard's shared cache of states: what any number of polling pages cost the clusters. */
class RefreshersSpec extends Specification {
    AtomicInteger refreshes = new AtomicInteger()
    AtomicInteger storeReads = new AtomicInteger()

    Refreshers refreshers(Duration interval, Duration idle, Closure<?> refresh = { [] }) {
        new Refreshers({ long id -> refreshes.incrementAndGet(); refresh(id) }, { long id -> storeReads.incrementAndGet(); [] }, interval, idle)
    }

    def 'however many pages poll an experiment, it is refreshed once per interval'() {
        given:
        def r = refreshers(Duration.ofMillis(200), Duration.ofSeconds(30))
        def polls = new AtomicInteger()

        when: 'eight tabs poll as fast as they can for a second'
        def tabs = (1..8).collect {
            Thread.start {
                long end = System.nanoTime() + 1_000_000_000L
                while (System.nanoTime() < end) {
                    r.latest(7)
                    polls.incrementAndGet()
                    Thread.sleep(5)
                }
            }
        }
        tabs*.join()
        r.close()

        then: 'one refresh at the start, then one per 200 ms'
        polls.get() > 400
        refreshes.get() in 4..7
    }

    def 'a refresher nobody asks for stops'() {
        given:
        def r = refreshers(Duration.ofMillis(50), Duration.ofMillis(300))

        when:
        r.latest(1)
        Thread.sleep(800)
        int settled = refreshes.get()
        Thread.sleep(400)

        then:
        settled >= 2
        refreshes.get() == settled

        when: 'asked again'
        r.latest(1)

        then:
        new PollingConditions(timeout: 2).eventually { assert refreshes.get() > settled }

        cleanup:
        r.close()
    }

    def 'before the first refresh the store answers; a failed refresh keeps the states it had and says why'() {
        given:
        def gate = new java.util.concurrent.CountDownLatch(1)
        def fail = false
        def r = refreshers(Duration.ofMillis(100), Duration.ofSeconds(30), {
            gate.await()
            if (fail) {
                throw new xmrun.Failure('squeue failed: timed out')
            }
            []
        })

        when: 'the first refresh has not ended'
        def first = r.latest(3)

        then:
        first.at() == null
        storeReads.get() == 1

        when:
        gate.countDown()
        new PollingConditions(timeout: 2).eventually { assert r.latest(3).at() != null }
        def good = r.latest(3)
        fail = true
        new PollingConditions(timeout: 2).eventually { assert r.latest(3).error() != null }

        then:
        r.latest(3).error() == 'squeue failed: timed out'
        r.latest(3).at() == good.at()

        cleanup:
        r.close()
    }
}
