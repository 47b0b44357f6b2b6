import Testing
@testable import Planning

@Suite("Auditor's sampler")
struct AuditFrameTests {
    static let ids = (0..<40).map { "E\($0)" }
    static let sizes = (0..<40).map { Double(1 + ($0 * 7) % 11) }

    @Test("row order does not change the draw", arguments: SamplingMethod.allCases)
    func rowOrderIndependence(method: SamplingMethod) throws {
        let forward = try AuditFrame(ids: Self.ids, values: Self.sizes, measure: .size, sampleSize: 8)
        let reversed = try AuditFrame(ids: Self.ids.reversed(), values: Self.sizes.reversed(), measure: .size, sampleSize: 8)
        #expect(forward == reversed)
        let a = try forward.draw(method: method, seed: "lottery", replicate: 3)
        let b = try reversed.draw(method: method, seed: "lottery", replicate: 3)
        #expect(a == b && a.count == 8)
    }

    @Test("replicate counts add up to R·n and each draw is replicate r of the stream")
    func replicateCounts() throws {
        let frame = try AuditFrame(ids: Self.ids, values: Self.sizes, measure: .size, sampleSize: 8)
        let counts = try frame.selectionCounts(method: .pivotal, seed: "lottery", replicates: 50)
        #expect(counts.reduce(0, +) == 400)
        var manual = [Int](repeating: 0, count: 40)
        for r in 0..<50 {
            for id in try frame.draw(method: .pivotal, seed: "lottery", replicate: r) {
                manual[frame.ids.firstIndex(of: id)!] += 1
            }
        }
        #expect(counts == manual)
    }

    @Test("π lists are checked against n, and duplicate ids are refused")
    func validation() throws {
        #expect(throws: AuditFrameError.sampleSizeDisagrees(requested: 2, sumOfPi: 1)) {
            try AuditFrame(ids: ["a", "b"], values: [0.5, 0.5], measure: .pi, sampleSize: 2)
        }
        #expect(throws: AuditFrameError.duplicateID("a")) {
            try AuditFrame(ids: ["a", "b", "a"], values: [1, 1, 1], measure: .size, sampleSize: 1)
        }
        #expect(throws: AuditFrameError.missingSampleSize) {
            try AuditFrame(ids: ["a"], values: [1], measure: .size, sampleSize: nil)
        }
        let frame = try AuditFrame(ids: ["b", "a"], values: [0.25, 0.75], measure: .pi, sampleSize: nil)
        #expect(frame.ids == ["a", "b"] && frame.design.sampleSize == 1)
    }
}
