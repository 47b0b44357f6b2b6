import Foundation
@testable import OneCheckUtilities
import Synchronization
import Testing

@Suite("Utilities")
struct UtilitiesTests {
    /// `utf8Precedes` (memcmp on contiguous UTF-8) is the byte order of `utf8.lexicographicallyPrecedes` on every
    /// pair: prefixes, empty strings, bytes above 0x7F (CJK, accents), small and large strings, substrings.
    @Test func utf8OrderIsTheByteOrder() {
        var g = SplitMix64(seed: 3)
        let alphabet: [String] = ["", "a", "b", "A", "0", "9", "é", "长", "😀", "\u{7f}", "z"]
        var samples: [String] = ["", "a", "ab", "abc", "9131010100001", "91310101000011111", "913101010000111112"]
        for _ in 0..<300 {
            samples.append((0..<g.uniform(below: 24)).map { _ in alphabet[g.uniform(below: alphabet.count)] }.joined())
        }
        for x in samples {
            for y in samples.prefix(80) {
                #expect(x.utf8Precedes(y) == x.utf8.lexicographicallyPrecedes(y.utf8), "\(x) vs \(y)")
                let sx = x.dropFirst(), sy = y.dropLast()
                #expect(sx.utf8Precedes(sy) == sx.utf8.lexicographicallyPrecedes(sy.utf8), "\(sx) vs \(sy)")
            }
        }
    }

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

    @Test func delimitedTextDoublesEveryDelimiterScalar() {
        #expect(QuotedText.delimited("plain", by: "\"") == "\"plain\"")
        #expect(QuotedText.delimited("it's", by: "'") == "'it''s'")
        // A quote that a combining mark joins is one Character with it; its scalar is still doubled.
        let joined = "a\"\u{301}b"
        #expect(joined.count == 3)
        #expect(Array(QuotedText.delimited(joined, by: "\"").unicodeScalars)
                == Array("\"a\"\"\u{301}b\"".unicodeScalars))
        #expect(QuotedText.delimited("", by: "\"") == "\"\"")
    }

    @Test func terminalSafeTextEscapesControlsButLineBreaksAndTabs() {
        #expect(QuotedText.terminalSafe("Error: a\tb\nc 公司") == "Error: a\tb\nc 公司")
        #expect(QuotedText.terminalSafe("x\u{1b}[2J\r\u{7f}\u{9b}y") == "x\\u{1b}[2J\\u{d}\\u{7f}\\u{9b}y")
    }

    @Test func jsonStringsAreEscaped() {
        #expect(JSONText.string("plain-id_01") == "\"plain-id_01\"")
        #expect(JSONText.string("a\"b\\c\nd\u{01}é") == "\"a\\\"b\\\\c\\nd\\u0001é\"")
    }

    /// An array's elements are written as `string` writes each; it parses back to the same texts.
    @Test func jsonArraysHoldEachTextAsAString() throws {
        let texts = ["91350100M000100Y3B", "", "a\"b\\c\nd\u{01}é", "公司"]
        let array = JSONText.array(texts)
        #expect(array == "[" + texts.map(JSONText.string).joined(separator: ",") + "]")
        #expect(try JSONSerialization.jsonObject(with: Data(array.utf8)) as? [String] == texts)
        #expect(JSONText.array([String]()) == "[]")
    }

    /// The work runs once on another thread; every `value()` gives its result, or its error.
    @Test func backgroundWorkGivesItsResultOrItsError() throws {
        let runs = Mutex(0)
        let work = BackgroundWork { () -> [Int] in
            runs.withLock { $0 += 1 }
            return Array(0..<1000).map { $0 * $0 }
        }
        #expect(try work.value()[999] == 998_001)
        #expect(try work.value().count == 1000)
        #expect(runs.withLock { $0 } == 1)
        struct Refused: Error, Equatable {}
        let failing = BackgroundWork { () throws -> Int in throw Refused() }
        #expect(throws: Refused()) { try failing.value() }
        #expect(throws: Refused()) { try failing.value() }
    }

    /// Pieces arrive in the order put, across threads, then nil; the producer runs at most `capacity` pieces
    /// ahead; a cancelled consumer stops a producer waiting for a place, and leaves pieces untaken safely.
    @Test func handoffPassesPiecesInOrder() throws {
        let handoff = Handoff<[Int]>(capacity: 3)
        let put = Mutex(0)
        let producer = BackgroundWork { () -> Int in
            defer { handoff.finish() }
            for i in 0..<500 {
                handoff.put([i, i * i])
                put.withLock { $0 += 1 }
            }
            return 500
        }
        var taken: [[Int]] = [try #require(handoff.take())]
        Thread.sleep(forTimeInterval: 0.1)
        #expect(put.withLock { $0 } <= 1 + 3)  // whatever the timing: one taken, three places
        while let piece = handoff.take() { taken.append(piece) }
        #expect(try producer.value() == 500)
        #expect(taken == (0..<500).map { [$0, $0 * $0] })

        let cancelled = Handoff<Int>(capacity: 2)
        let stopping = BackgroundWork { () -> Int in
            defer { cancelled.finish() }
            var count = 0
            while !cancelled.isCancelled { cancelled.put(count); count += 1 }
            return count
        }
        #expect(cancelled.take() == 0)
        Thread.sleep(forTimeInterval: 0.05)  // the producer fills both places and waits
        cancelled.cancel()
        #expect(try stopping.value() <= 4)
    }
}
