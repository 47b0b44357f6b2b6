import Foundation
import Supervision
import Testing
@testable import Planning

@Suite("Quotas")
struct QuotaTests {
    @Test("JSON has one key per quota and round-trips")
    func json() throws {
        let quotas: [SampleSize] = [.ratio(0.05), .count(12), .census]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(quotas), as: UTF8.self)
        #expect(text == #"[{"ratio":0.05},{"count":12},{"census":true}]"#)
        #expect(try JSONDecoder().decode([SampleSize].self, from: Data(text.utf8)) == quotas)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SampleSize.self, from: Data(#"{"ratio":0.1,"count":3}"#.utf8))
        }
    }

    @Test("ratios round half away from zero; bad quotas are refused")
    func sampleSizes() throws {
        #expect(try SampleSize.ratio(0.05).integerSize(population: 30) == 2)   // 1.5 → 2
        #expect(try SampleSize.ratio(0.05).integerSize(population: 29) == 1)   // 1.45 → 1
        #expect(try SampleSize.count(7).integerSize(population: 3) == 7)       // infeasibility is reported later
        #expect(try SampleSize.census.integerSize(population: 9) == 9)
        #expect(throws: QuotaError.invalidRatio(-0.1)) { try SampleSize.ratio(-0.1).integerSize(population: 5) }
        #expect(throws: QuotaError.negativeCount(-2)) { try SampleSize.count(-2).integerSize(population: 5) }
    }
}
