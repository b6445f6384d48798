package xmrun.model

import spock.lang.Specification

class SweepSpec extends Specification {

    static Sweep.Axis axis(String name, List values) {
        new Sweep.Axis(name, values)
    }

    def 'a product has one point per combination, the last axis fastest'() {
        given:
        def sweep = new Sweep.Product([axis('lr', [1, 2]), axis('seed', [0, 1, 2])])

        expect:
        sweep.size() == 6
        (0..<6).collect { sweep.point(it) } == [
                [lr: 1, seed: 0], [lr: 1, seed: 1], [lr: 1, seed: 2],
                [lr: 2, seed: 0], [lr: 2, seed: 1], [lr: 2, seed: 2]]
    }

    def 'zipped axes move together inside a product'() {
        given:
        def sweep = new Sweep.Product([new Sweep.Zip([axis('a', [1, 2]), axis('b', ['x', 'y'])]), axis('c', [true, false])])

        expect:
        sweep.size() == 4
        sweep.names() == ['a', 'b', 'c']
        (0..<4).collect { sweep.point(it) } == [[a: 1, b: 'x', c: true], [a: 1, b: 'x', c: false],
                                                [a: 2, b: 'y', c: true], [a: 2, b: 'y', c: false]]
    }

    def 'sizes multiply: #shape'() {
        expect:
        new Sweep.Product(shape.withIndex().collect { n, i -> axis("axis$i", (1..n).toList()) }).size() == size

        where:
        shape          || size
        []             || 1
        [5]            || 5
        [2, 3]         || 6
        [10, 10, 100]  || 10_000
    }

    def 'a 100,000-point sweep answers any point without building the others'() {
        given:
        def sweep = new Sweep.Product([axis('a', (0..<100).toList()), axis('b', (0..<1000).toList())])

        expect:
        sweep.size() == 100_000
        sweep.point(99_999) == [a: 99, b: 999]
        sweep.point(12_345) == [a: 12, b: 345]
    }

    def 'an axis name used twice is rejected'() {
        when:
        new Sweep.Product([axis('lr', [1]), axis('lr', [2])])

        then:
        IllegalArgumentException e = thrown()
        e.message == "axis 'lr' appears twice in one sweep"
    }
}
