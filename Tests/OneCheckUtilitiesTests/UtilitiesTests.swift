@testable import OneCheckUtilities
import Testing

@Suite("Utilities")
struct UtilitiesTests {
    /// The reference outputs of SplitMix64 from seed 0 (Vigna's splitmix64.c).
    @Test func splitMixMatchesTheReference() {
        var g = SplitMix64(seed: 0)
        #expect([g.next(), g.next(), g.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test func boundedDrawsAreInRangeAndRoughlyUniform() {
        var g = SplitMix64(seed: 42)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[g.uniform(below: 7)] += 1 }
        // Each count is Binomial(70000, 1/7): sd ≈ 92; 6 sd is a failure rate far below 1e-8.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 560 }, "\(counts)")
        for _ in 0..<1000 { #expect((0..<1).contains(g.uniform(below: 1))) }
        let u = (0..<1000).map { _ in g.unitInterval() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    @Test func shuffleIsAFunctionOfTheSeed() {
        var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9)
        var x = Array(0..<100), y = Array(0..<100)
        a.shuffle(&x)
        b.shuffle(&y)
        #expect(x == y && x != Array(0..<100) && x.sorted() == Array(0..<100))
    }

    @Test func concurrentMapEqualsMap() {
        let values = Array(0..<1000)
        #expect(values.concurrentMap { $0 * $0 + 1 } == values.map { $0 * $0 + 1 })
        #expect(concurrentMap(count: 3) { String($0) } == ["0", "1", "2"])
        #expect([Int]().concurrentMap { $0 } == [])
    }

    @Test func jsonStringsAreEscaped() {
        #expect(JSONText.string("plain-id_01") == "\"plain-id_01\"")
        #expect(JSONText.string("a\"b\\c\nd\u{01}é") == "\"a\\\"b\\\\c\\nd\\u0001é\"")
    }
}
