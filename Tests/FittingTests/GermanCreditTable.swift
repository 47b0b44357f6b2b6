import Foundation
import Tables
import TestSupport
@testable import Fitting

/// germancredit.csv as scorecard feature columns, read through the Tables module and ``TrainingData`` (numeric
/// columns are those whose every value parses; `creditability = bad` is the event).
enum GermanCredit {
    static let path = "german-credit/germancredit.csv"

    static func load() throws -> (columns: [FeatureColumn], outcome: [Double]) {
        let data = try TrainingData(path: try SharedData.url(path).path,
                                    specification: .init(target: "creditability", positive: "bad"))
        return (data.features, data.outcome)
    }
}

/// A CSV file with a header, read whole through the Tables module, for tests that need a few named columns.
struct NamedColumns {
    let table: CSVTable
    init(_ relativePath: String) throws { table = try CSVTable.read(try SharedData.url(relativePath)) }
    func strings(_ name: String) throws -> [String] { try table.strings(named: name) }
    func doubles(_ name: String) throws -> [Double] { try table.doubles(named: name) }
}
