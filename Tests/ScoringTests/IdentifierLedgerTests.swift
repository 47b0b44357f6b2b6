import Foundation
import Testing
import TestSupport
import Tables
@testable import Scoring

@Suite struct IdentifierLedgerTests {
    /// A fresh spill path in a scratch directory, and a check that the ledger leaves nothing in it.
    static func withLedger(_ body: (inout IdentifierLedger) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ledger-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var ledger = IdentifierLedger(spillPath: directory.appendingPathComponent("ids").path, fileName: "out.csv")
        try body(&ledger)
        // The spill file is unlinked as soon as it is created.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    /// Every candidate the ledger reports, asking past each one in turn.
    static func repeats(_ ledger: inout IdentifierLedger) throws -> [Int] {
        var out: [Int] = []
        while let row = try ledger.firstRepeatedRow(after: out.last ?? -1) { out.append(row) }
        return out
    }

    static func distinct(_ n: Int, seed: UInt64) -> [UInt64] {
        var g = SeededGenerator(seed: seed)
        var seen = Set<UInt64>()
        var out: [UInt64] = []
        while out.count < n {
            let h = g.next()
            if seen.insert(h).inserted { out.append(h) }
        }
        return out
    }

    /// Distinct ids over several spilled runs, appended in uneven batches: nothing repeats.
    @Test func distinctIdsHaveNoRepeat() throws {
        try Self.withLedger { ledger in
            let hashes = Self.distinct(3 * IdentifierLedger.runLength + 123, seed: 1)
            var start = 0
            for size in [1, 999, 70_000, 50_000].cycled(until: hashes.count) {
                let end = min(hashes.count, start + size)
                try ledger.append(hashes[start..<end])
                start = end
                if start == hashes.count { break }
            }
            #expect(ledger.rowCount == hashes.count)
            let found = try Self.repeats(&ledger)
            #expect(found.isEmpty)
        }
    }

    /// Repeats in spilled runs, across runs, and in the rows not yet spilled: the smallest repeating row comes first,
    /// and asking past it gives the next.
    @Test func repeatsAreFoundInRowOrder() throws {
        try Self.withLedger { ledger in
            var hashes = Self.distinct(2 * IdentifierLedger.runLength + 5000, seed: 2)
            hashes[70_000] = hashes[3]            // across runs
            hashes[131_080] = hashes[131_075]     // within the unspilled tail
            hashes[40_000] = hashes[39_999]       // within the first run
            try ledger.append(hashes[...])
            let found = try Self.repeats(&ledger)
            #expect(found == [40_000, 70_000, 131_080])
        }
    }

    /// A query partitions the unspilled rows; appending afterwards goes on from them, and later rows can repeat
    /// them.
    @Test func appendingAfterAQueryGoesOn() throws {
        try Self.withLedger { ledger in
            let hashes = Self.distinct(IdentifierLedger.runLength + 10_000, seed: 3)
            try ledger.append(hashes[..<1000])
            let none = try Self.repeats(&ledger)
            try ledger.append(hashes[1000..<70_000])
            let stillNone = try Self.repeats(&ledger)
            #expect(none.isEmpty && stillNone.isEmpty)
            try ledger.append([hashes[500], hashes[69_999]][...])   // rows 70,000 and 70,001
            try ledger.append(hashes[70_000...])
            #expect(ledger.rowCount == hashes.count + 2)
            let found = try Self.repeats(&ledger)
            #expect(found == [70_000, 70_001])
        }
    }

    /// Hashes that differ only in bits 48–55 share the 56-bit fingerprint: reported as a candidate, which is why the
    /// caller confirms every candidate against the input. Hashes differing anywhere else do not collide.
    @Test func candidatesAreFingerprintMatches() throws {
        try Self.withLedger { ledger in
            let base: UInt64 = 0xA5C3_0000_1234_5678
            try ledger.append([base, base ^ (1 << 60), base ^ 1, base ^ (1 << 50)][...])
            let found = try Self.repeats(&ledger)
            #expect(found == [3])
        }
    }

    /// A file left at the spill path (by a run killed between creating and unlinking it) is replaced.
    @Test func aLeftOverSpillFileIsReplaced() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ledger-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ids").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("stale".utf8)))
        var ledger = IdentifierLedger(spillPath: path, fileName: "out.csv")
        var hashes = Self.distinct(IdentifierLedger.runLength + 10, seed: 5)
        hashes[IdentifierLedger.runLength + 5] = hashes[2]
        try ledger.append(hashes[...])
        let found = try Self.repeats(&ledger)
        #expect(found == [IdentifierLedger.runLength + 5])
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// A spill file that cannot be created is an I/O error naming the output; nothing is lost before the first
    /// spill (a run of up to 65,536 rows never touches the file).
    @Test func aSpillFileThatCannotBeCreatedIsAnError() throws {
        var ledger = IdentifierLedger(spillPath: "/nonexistent-\(UUID().uuidString)/ids", fileName: "out.csv")
        let hashes = Self.distinct(IdentifierLedger.runLength + 1, seed: 4)
        let split = IdentifierLedger.runLength - 1
        try ledger.append(hashes[..<split])
        var thrown: Error?
        do { try ledger.append(hashes[split...]) } catch { thrown = error }
        let error = thrown as? TableError
        #expect(error?.file == "out.csv")
        #expect("\(error.map { "\($0)" } ?? "")".contains("cannot create the id spill file"))
    }

    @Test func hashSeparatesSimilarIds() {
        func h(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBytes { IdentifierLedger.hash($0) } }
        #expect(h("91310000000000001X") != h("91310000000000002X"))
        #expect(h("") != h("0"))
    }

    @Test func fingerprintSetGrowsAndEmpties() {
        var set = FingerprintSet()
        let keys = (0..<5000).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 & ((1 << 48) - 1) }
        var fresh = 0, again = 0
        for k in keys where set.insert(k) { fresh += 1 }
        for k in keys where set.insert(k) { again += 1 }
        #expect(fresh == keys.count && again == 0)
        set.removeAll()
        let afterEmptying = set.insert(keys[17])
        let zeroFirst = set.insert(0), zeroAgain = set.insert(0)
        #expect(afterEmptying && zeroFirst && !zeroAgain)
    }
}

private extension Array where Element == Int {
    /// The sizes, repeated until they sum to at least `total`.
    func cycled(until total: Int) -> [Int] {
        var out: [Int] = [], sum = 0
        while sum < total { for s in self { out.append(s); sum += s } }
        return out
    }
}
