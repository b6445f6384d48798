package xmrun.store

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import spock.lang.Specification
import xmrun.Hostile

class JsonTextSpec extends Specification {
    def 'a unit\'s values are written as JsonOutput writes them: #value'() {
        expect:
        JsonText.of(value) == JsonOutput.toJson(value)

        where:
        value << [
                ['python3', 'train.py', '--lr=0.001'],
                Hostile.STRINGS,
                Hostile.STRINGS.collectEntries { [(it): it] },
                [lr: 1e-5, seed: 3, big: 12345678901234L, model: "variant-${1 + 1}", on: true, off: false, none: null],
                [lr: 1e-5 * 7, tiny: 0.000000123, huge: 1e30, neg: -2.5, bigint: 2G ** 80, s: (short) 4, b: (byte) 5],
                [x: 0.1d, y: 1.5e-7d, z: 3.0f, n: Double.MAX_VALUE, m: Double.MIN_VALUE, w: 1e22d, f: 1.1f],
                [nested: [a: [1, 2, [b: 'c']]], list: [[], [:]]],
                ['ünïcödé ✓ 日本 \u0000 \u001f \u007f \u2028 \ud83d\ude00 \ud800'],
                [:],
                [],
                [when: new Date(0)],
                [(1): 'a number as key'],
        ]
    }

    def 'the text reads back as the values it was written from'() {
        given:
        def point = [lr: 1e-5 * 7, seed: 42, model: 'transformer-large-variant-3', tag: Hostile.STRINGS.join('|')]

        expect:
        new JsonSlurper().parseText(JsonText.of(point)) == point
        FlatJson.object(JsonText.of(point)) == point
    }
}
