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

    static Sweep product(Sweep... parts) {
        new Sweep.Product(parts as List)
    }

    static Sweep concat(Sweep... parts) {
        new Sweep.Concat(parts as List)
    }

    static Sweep filtered(Sweep inner, Closure<Boolean> keep) {
        Sweep.Filtered.of(inner, { Map p -> keep(p) } as java.util.function.Predicate)
    }

    static List<Map> points(Sweep sweep) {
        (0..<sweep.size()).collect { sweep.point(it) }
    }

    def 'the algebra gives #size points: #what'() {
        expect:
        sweep.size() == size
        points(sweep) == expected

        where:
        what                                  | sweep                                                                               || size | expected
        'a concat of one axis twice'          | concat(axis('lr', [1, 2]), axis('lr', [3]))                                         || 3    | [[lr: 1], [lr: 2], [lr: 3]]
        'a concat of products'                | concat(product(axis('a', [1]), axis('b', [1, 2])), product(axis('a', [2]), axis('b', [3]))) || 3 | [[a: 1, b: 1], [a: 1, b: 2], [a: 2, b: 3]]
        'a product of a concat'               | product(concat(axis('a', [1]), axis('a', [2])), axis('s', [0, 1]))                  || 4    | [[a: 1, s: 0], [a: 1, s: 1], [a: 2, s: 0], [a: 2, s: 1]]
        'a filtered product'                  | filtered(product(axis('a', [1, 2]), axis('b', [1, 2])), { it.a != it.b })           || 2    | [[a: 1, b: 2], [a: 2, b: 1]]
        'a filter that keeps all'             | filtered(axis('a', [1, 2, 3]), { true })                                            || 3    | [[a: 1], [a: 2], [a: 3]]
        'a filter that keeps none'            | filtered(axis('a', [1, 2, 3]), { false })                                           || 0    | []
        'a concat of filtered sweeps'         | concat(filtered(axis('a', 1..4), { it.a % 2 == 0 }), filtered(axis('a', 5..8), { it.a > 7 })) || 3 | [[a: 2], [a: 4], [a: 8]]
        'a product of a filtered sweep'       | product(filtered(axis('a', 1..3), { it.a != 2 }), axis('z', ['x', 'y']))            || 4    | [[a: 1, z: 'x'], [a: 1, z: 'y'], [a: 3, z: 'x'], [a: 3, z: 'y']]
        'a zip inside a concat'               | concat(new Sweep.Zip([axis('a', [1, 2]), axis('b', [3, 4])]), axis('a', [9]))       || 3    | [[a: 1, b: 3], [a: 2, b: 4], [a: 9]]
    }

    def 'a concat of sweeps over different axes names their union, and a point has only its own part\'s values'() {
        given:
        def sweep = concat(product(axis('lr', [1, 2]), axis('seed', [0])), product(axis('warmup', [100]), axis('lr', [3])))

        expect:
        sweep.names() == ['lr', 'seed', 'warmup']
        points(sweep) == [[lr: 1, seed: 0], [lr: 2, seed: 0], [lr: 3, warmup: 100]]
        points(sweep)*.keySet()*.toList() == [['lr', 'seed'], ['lr', 'seed'], ['lr', 'warmup']]
    }

    def 'a concat answers any point of a 200,000-point sweep by index'() {
        given:
        def half = product(axis('a', (0..<100).toList()), axis('b', (0..<1000).toList()))
        def sweep = concat(half, product(axis('c', (0..<1000).toList()), axis('d', (0..<100).toList())))

        expect:
        sweep.size() == 200_000
        sweep.point(99_999) == [a: 99, b: 999]
        sweep.point(100_000) == [c: 0, d: 0]
        sweep.point(199_999) == [c: 999, d: 99]
    }

    def 'a filter tests each inner point once and keeps only their indices'() {
        given:
        int tests = 0
        def inner = product(axis('a', (0..<1000).toList()), axis('b', (0..<1000).toList()))
        def sweep = filtered(inner) { tests++; it.a == it.b }

        expect:
        tests == 1_000_000
        sweep.size() == 1000
        sweep.point(0) == [a: 0, b: 0]
        sweep.point(999) == [a: 999, b: 999]
        tests == 1_000_000
    }

    def 'a filter refuses a sweep too large to test point by point'() {
        when:
        filtered(product(axis('a', (0..<10_000).toList()), axis('b', (0..<1001).toList()))) { true }

        then:
        IllegalArgumentException e = thrown()
        e.message == 'a filtered sweep tests every point, and this one has 10,010,000 points; at most 10,000,000 can be filtered'
    }

    def 'points outside a sweep are refused: #index of #what'() {
        when:
        sweep.point(index)

        then:
        thrown(IndexOutOfBoundsException)

        where:
        what       | sweep                                                  | index
        'concat'   | concat(axis('a', [1]), axis('b', [2]))                 | 2
        'filtered' | filtered(axis('a', [1, 2, 3]), { it.a == 2 })          | 1
        'filtered' | filtered(axis('a', [1, 2, 3]), { it.a == 2 })          | -1
    }
}
