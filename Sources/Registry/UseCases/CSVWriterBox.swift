import Foundation
import Tables

/// A `CSVWriter` that removes its temporary file unless committed, for writers of small reports.
final class CSVWriterBox {
    private let writer: CSVWriter
    private var committed = false

    init(url: URL) throws { writer = try CSVWriter(url: url) }

    func row(_ fields: [String]) throws { try writer.appendRow(fields) }

    func commit() throws {
        try writer.commit()
        committed = true
    }

    deinit { if !committed { writer.abandon() } }
}

enum DecimalText {
    static func shortest(_ value: Double) -> String { DecimalFormatting.shortest(value) }
    static func fixed(_ value: Double?, decimals: Int = 6) -> String {
        value.map { DecimalFormatting.fixed($0, decimals: decimals) } ?? ""
    }
}
