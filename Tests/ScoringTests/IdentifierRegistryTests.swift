import Testing
@testable import Scoring

@Suite struct IdentifierRegistryTests {
    @Test func remembersEveryHashAcrossGrowth() {
        var registry = IdentifierRegistry()
        // Past the initial 65,536 slots several times; 0 is a legal hash (it shares the slot marker's stand-in).
        // One at a time, so the table grows between inserts.
        let fresh = (0..<300_000).filter { registry.insertAll([UInt64($0) &* 0x9E37_79B9_7F4A_7C15][...]) == nil }.count
        #expect(fresh == 300_000)
        let again = stride(from: 0, to: 300_000, by: 997).filter {
            registry.insertAll([UInt64($0) &* 0x9E37_79B9_7F4A_7C15][...]) == nil
        }
        #expect(again.isEmpty)
    }

    /// The batched, prefetching insert reports the first repeated hash (against the table or earlier in the
    /// batch), inserts everything before it and nothing after.
    @Test func batchInsertFindsTheFirstRepeat() {
        var batch = IdentifierRegistry()
        let first = (0..<50_000).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        let firstRepeat = batch.insertAll(first[...])
        #expect(firstRepeat == nil)
        #expect(Set(first).count == first.count)   // the fixture has no repeats of its own
        // A second batch: fresh hashes, then one repeating the first batch at 700, one repeating itself at 900.
        var second = (50_000..<51_000).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        second[900] = second[10]
        second[700] = first[123]
        let repeatAgainstTable = batch.insertAll(second[...])
        let repeatWithinBatch = batch.insertAll(second[701...])
        #expect(repeatAgainstTable == 700)
        #expect(repeatWithinBatch == 199)   // index 900 in `second`
        // Everything up to the second stop is present (900 repeats 10); nothing after it was inserted.
        let present = second.indices.filter { batch.insertAll([second[$0]][...]) != nil }
        #expect(present == Array(0...900))
        // 0 is stored as 1, in batches too.
        var zeros = IdentifierRegistry()
        let zeroRepeat = zeros.insertAll([0, 5, 0][...])
        #expect(zeroRepeat == 2)
    }

    @Test func reservedTableHoldsEverything() {
        var registry = IdentifierRegistry()
        registry.reserve(200_000)
        let hashes = (0..<200_000).map { UInt64($0) &* 0xD6E8_FEB8_6659_FD93 }
        let none = registry.insertAll(hashes[...])
        let again = registry.insertAll(hashes[199_999...])
        #expect(none == nil && again == 0)
    }

    /// Sized from an estimate, the table holds that many ids at 80 % load without growing (a million ids in 10 MB);
    /// past it, it grows by half.
    @Test func reserveSizesForEightyPercentLoad() {
        var registry = IdentifierRegistry()
        registry.reserve(200_000)
        #expect(registry.slotCount == 250_064)
        let hashes = (0..<200_000).map { UInt64($0) &* 0xD6E8_FEB8_6659_FD93 }
        let none = registry.insertAll(hashes[...])
        #expect(none == nil)
        #expect(registry.slotCount == 250_064)
        let more = (200_000..<200_100).map { UInt64($0) &* 0xD6E8_FEB8_6659_FD93 }
        let stillNone = registry.insertAll(more[...])
        #expect(stillNone == nil)
        #expect(registry.slotCount >= 375_000)
        let again = registry.insertAll(hashes[123...])
        #expect(again == 0)
    }

    /// Keys whose first slot is the last one wrap around to the start of the table.
    @Test func probingWrapsAtTheEnd() {
        var registry = IdentifierRegistry()
        let top: [UInt64] = [.max, .max - 1, .max - 2, .max - 3]   // all start at the last slot
        let none = registry.insertAll(top[...])
        #expect(none == nil)
        for (i, hash) in top.enumerated() {
            let repeated = registry.insertAll([5, hash][...])
            #expect(repeated == (i == 0 ? 1 : 0), "hash \(i)")   // 5 is new the first time only
        }
    }

    @Test func hashSeparatesSimilarIds() {
        func h(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBytes { IdentifierRegistry.hash($0) } }
        #expect(h("91310000000000001X") != h("91310000000000002X"))
        #expect(h("") != h("0"))
    }
}
