import Foundation
import Testing
@testable import Planning

@Suite("Quotas")
struct QuotaTests {
    @Test("JSON has one key per quota and round-trips")
    func json() throws {
        let quotas: [Quota] = [.ratio(0.05), .count(12), .census]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(quotas), as: UTF8.self)
        #expect(text == #"[{"ratio":0.05},{"count":12},{"census":true}]"#)
        #expect(try JSONDecoder().decode([Quota].self, from: Data(text.utf8)) == quotas)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Quota.self, from: Data(#"{"ratio":0.1,"count":3}"#.utf8))
        }
    }

    @Test("ratios round half away from zero; bad quotas are refused")
    func sampleSizes() throws {
        #expect(try Quota.ratio(0.05).sampleSize(population: 30) == 2)   // 1.5 → 2
        #expect(try Quota.ratio(0.05).sampleSize(population: 29) == 1)   // 1.45 → 1
        #expect(try Quota.count(7).sampleSize(population: 3) == 7)       // infeasibility is reported later
        #expect(try Quota.census.sampleSize(population: 9) == 9)
        #expect(throws: QuotaError.invalidRatio(-0.1)) { try Quota.ratio(-0.1).sampleSize(population: 5) }
        #expect(throws: QuotaError.negativeCount(-2)) { try Quota.count(-2).sampleSize(population: 5) }
    }
}
