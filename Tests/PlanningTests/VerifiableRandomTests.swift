import Testing
@testable import Planning

/// Test vectors computed outside this code base with Python's `hashlib` and `struct`
/// (the script is reproduced in `Sources/Planning/RANDOMNESS.md`), so these check our
/// implementation against the written specification, not against itself.
@Suite("Verifiable randomness")
struct VerifiableRandomTests {
    static let lottery = "2026-11-29 lottery 03 17 22 31 40 + 08"

    struct Vector: Sendable, CustomTestStringConvertible {
        let seed: String, purpose: String, entity: String, counter: UInt64
        let digestHex: String, word: UInt64, uniform: Double
        var testDescription: String { "(\(seed), \(purpose), \(entity), \(counter))" }
    }

    static let vectors: [Vector] = [
        Vector(seed: lottery, purpose: "audit.sample", entity: "91310000MA1FL0XX1X", counter: 0,
               digestHex: "96e747c3cc99025ebad651d26333a3e2861dca425dcad87907c48f12ed6b1b47",
               word: 10873738731586126430, uniform: 0.5894665577912725),
        Vector(seed: lottery, purpose: "audit.sample", entity: "91310000MA1FL0XX1X", counter: 1,
               digestHex: "5dbfe1d6863104ac3f8ed4bc7b2403e6e53f7bb60683b1c7c85287f842434f1b",
               word: 6755366277569643692, uniform: 0.3662091397038161),
        Vector(seed: lottery, purpose: "plan.2026Q1.select.market", entity: "上海餐饮001", counter: 7,
               digestHex: "a50943bdc2516cad518bdb1481bc2c525aeacc94528d8e950f4dbbd31123875c",
               word: 11892110773336501421, uniform: 0.6446726167944853),
        Vector(seed: "", purpose: "", entity: "", counter: 0,
               digestHex: "d6fcf678fa29937acb57b9560e7598dc51b70c3575034d5c14144875ab256d4d",
               word: 15491527817701200762, uniform: 0.8397974057535633),
    ]

    @Test("digest, word and uniform match the independent reference", arguments: vectors)
    func referenceVector(_ v: Vector) {
        let random = VerifiableRandom(seed: v.seed, purpose: v.purpose)
        let hex = random.digest(entity: v.entity, counter: v.counter)
            .map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        #expect(hex == v.digestHex)
        #expect(random.word(entity: v.entity, counter: v.counter) == v.word)
        #expect(random.uniform(entity: v.entity, counter: v.counter) == v.uniform)
    }

    @Test("length prefixes keep shifted field boundaries apart")
    func fieldBoundariesDoNotCollide() {
        let left = VerifiableRandom(seed: "ab", purpose: "c").word(entity: "")
        let right = VerifiableRandom(seed: "a", purpose: "bc").word(entity: "")
        #expect(left == 2659059893789264987)
        #expect(right == 5901488446725221813)
    }

    @Test("stream words use all four lanes of each digest, in order")
    func streamWords() {
        let random = VerifiableRandom(seed: "seed-42", purpose: "audit.sample.cps")
        var stream = random.stream(entity: "replicate-0")
        let words = (0..<6).map { _ in stream.next() }
        #expect(words == [8383751392937727893, 15586048721939943418, 11018929247996015460,
                          2963290938256954576, 10035256781954419564, 9984099117640972837])
        #expect(stream.wordIndex == 6)
        // Word 4c of a stream is the single-number word for counter c.
        #expect(random.word(entity: "replicate-0", counter: 1) == words[4])
    }

    @Test("bounded integers follow the documented rejection rule")
    func boundedIntegers() {
        let random = VerifiableRandom(seed: "seed-42", purpose: "audit.sample.cps")
        var small = random.stream(entity: "replicate-0")
        #expect((0..<5).map { _ in small.nextInteger(below: 7) } == [2, 3, 2, 5, 3])
        #expect(small.wordIndex == 5)
        // For 2⁶² + 1 about a quarter of the words are rejected: 8 words for 6 accepted draws.
        var large = random.stream(entity: "replicate-0")
        let values = (0..<6).map { _ in large.nextInteger(below: (1 << 62) + 1) }
        #expect(values == [3772065374510339988, 1750990666657779703, 1795557211141239650,
                           811884745099643754, 760727080786197027, 3033073326904795247])
        #expect(large.wordIndex == 8)
    }

    @Test("uniform numbers are exact multiples of 2⁻⁵³ in [0, 1)")
    func uniformRange() {
        #expect(VerifiableRandom.unitInterval(0) == 0)
        #expect(VerifiableRandom.unitInterval(.max) == 1 - 0x1p-53)
        #expect(VerifiableRandom.unitInterval(1 << 11) == 0x1p-53)
    }

    @Test("numbers depend on seed, purpose, entity and counter")
    func dependence() {
        let a = VerifiableRandom(seed: "s", purpose: "p")
        #expect(a.uniform(entity: "e") == VerifiableRandom(seed: "s", purpose: "p").uniform(entity: "e"))
        #expect(a.uniform(entity: "e") != a.with(purpose: "q").uniform(entity: "e"))
        #expect(a.uniform(entity: "e") != VerifiableRandom(seed: "t", purpose: "p").uniform(entity: "e"))
        #expect(a.uniform(entity: "e") != a.uniform(entity: "f"))
        #expect(a.uniform(entity: "e", counter: 0) != a.uniform(entity: "e", counter: 1))
    }
}
