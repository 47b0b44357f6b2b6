import Foundation
import Supervision
import Testing
@testable import Planning

/// The jurisdiction seed derivation (RANDOMNESS.md §8) against vectors computed with Python's `hashlib` and
/// `struct`, outside this code base; and its record in the manifest.
@Suite("Jurisdiction seeds")
struct JurisdictionSeedTests {
    static let lottery = "2026-04-01 lottery 05 11 28 30 33 + 12"

    struct Vector: Sendable, CustomTestStringConvertible {
        let seed: String, code: String, value: UInt64, text: String
        var testDescription: String { "(\(seed), \(code))" }
    }

    static let vectors: [Vector] = [
        Vector(seed: lottery, code: "J01", value: 14477724008662634105, text: "c8eb3547947b0e79"),
        Vector(seed: lottery, code: "J02", value: 10560070397607881477, text: "928ce813b4892b05"),
        Vector(seed: lottery, code: "310104", value: 6483066169816256801, text: "59f87a552b401121"),
        Vector(seed: "上海 2026Q1 摇号 07 19 23", code: "J10", value: 12001278351681052690, text: "a68d1b134a88e012"),
        Vector(seed: "demo", code: "J01", value: 8702931529142446990, text: "78c7061d9b152b8e"),
    ]

    @Test("value and seed text match the independent reference", arguments: vectors)
    func referenceVector(_ v: Vector) {
        let derived = JurisdictionSeed(publicSeed: v.seed, jurisdiction: JurisdictionCode(v.code))
        #expect(derived.value == v.value)
        #expect(derived.seedText == v.text)
    }

    @Test("the message is the length-prefixed tag, seed and code of the spec")
    func message() {
        let hex = JurisdictionSeed.message(publicSeed: "demo", code: "J01")
            .map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        #expect(hex == "000000000000001d6f6e65636865636b2e6a7572697364696374696f6e2d736565642e7631"
            + "000000000000000464656d6f" + "00000000000000034a3031")
    }

    @Test("a seed text keeps its leading zeros (16 digits)")
    func leadingZeros() throws {
        // Any derived value renders as 16 digits; scan a few codes for one below 2⁶⁰ to exercise the padding.
        let small = (0..<200).lazy.map { JurisdictionSeed(publicSeed: "demo", jurisdiction: JurisdictionCode("C\($0)")) }
            .first { $0.value < 1 << 60 }
        let found = try #require(small)
        #expect(found.seedText.count == 16 && found.seedText.hasPrefix("0"))
        #expect(UInt64(found.seedText, radix: 16) == found.value)
    }

    @Test("the manifest records the jurisdiction and refuses a seed that is not its derivation")
    func manifestRoundTrip() throws {
        let derived = JurisdictionSeed(publicSeed: Self.lottery, jurisdiction: "J02")
        let line = derived.manifestLine
        #expect(line == "  \"jurisdiction\": {\"code\": \"J02\", \"public_seed\": \"\(Self.lottery)\", "
            + "\"derivation\": \"onecheck.jurisdiction-seed.v1\"},")
        var json = JSONScanner(bytes: Array("{\"jurisdiction\": {\"code\": \"J02\", \"public_seed\": \"x\", \"derivation\": \"onecheck.jurisdiction-seed.v2\"}}".utf8),
                               file: "manifest.json")
        #expect(throws: PlanDirectoryError.self) {
            try json.object { json, _ in _ = try JurisdictionSeed.parse(&json) }
        }
        var good = JSONScanner(bytes: Array(("{" + line.dropLast().trimmingCharacters(in: .whitespaces) + "}").utf8),
                               file: "manifest.json")
        var parsed: JurisdictionSeed?
        try good.object { json, _ in parsed = try JurisdictionSeed.parse(&json) }
        #expect(parsed == derived)
    }
}
