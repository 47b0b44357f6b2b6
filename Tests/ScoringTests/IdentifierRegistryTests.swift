import Testing
@testable import Scoring

@Suite struct IdentifierRegistryTests {
    @Test func remembersEveryHashAcrossGrowth() {
        var registry = IdentifierRegistry()
        // Past the initial 65,536 slots several times; 0 is a legal hash (it shares the slot marker's stand-in).
        let fresh = (0..<300_000).filter { registry.insert(UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }.count
        #expect(fresh == 300_000)
        let again = stride(from: 0, to: 300_000, by: 997).filter { registry.insert(UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
        #expect(again.isEmpty)
    }

    @Test func hashSeparatesSimilarIds() {
        func h(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBytes { IdentifierRegistry.hash($0) } }
        #expect(h("91310000000000001X") != h("91310000000000002X"))
        #expect(h("") != h("0"))
    }
}
