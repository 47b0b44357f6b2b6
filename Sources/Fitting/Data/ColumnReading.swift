import Supervision
import Tables

/// Something the reader did to a column that the user should know of: never silent.
public enum ReadingNote: Equatable, Sendable, CustomStringConvertible {
    /// `count` values had thousands separators (the first on `line`).
    case thousandsSeparators(column: String, count: Int, line: Int, example: String)
    /// `count` numbers had surrounding blanks.
    case padded(column: String, count: Int, line: Int)
    /// `count` fields were missing-value spellings other than the empty field.
    case missingSpellings(column: String, count: Int, spellings: [String])
    /// Features derived from a date column.
    case derivedFromDate(column: String, features: [String])

    public var description: String {
        switch self {
        case let .thousandsSeparators(column, count, line, example):
            return "column \(column): \(count) number(s) with thousands separators read without them "
                + "(\(ErrorText.quoted(example)) on line \(line))"
        case let .padded(column, count, line):
            return "column \(column): \(count) number(s) with surrounding blanks read without them (first on line \(line))"
        case let .missingSpellings(column, count, spellings):
            return "column \(column): \(count) field(s) read as missing (\(ErrorText.quotedList(spellings)))"
        case let .derivedFromDate(column, features):
            return "column \(column): dates become the features \(features.joined(separator: ", "))"
        }
    }
}

/// The reading of one feature column by the rules of ``CellReading`` and ``MissingValues``.
///
/// **Undeclared columns.** A column whose present values are all numbers is numeric (missing values are NaN). One of
/// text only is categorical (missing values are the level `""`). One of dates only is refused — a date is not a
/// feature as it is (``TrainingDataError/dateColumn(file:line:column:value:)``) — unless `--date-features` names it.
/// A mix is read by its majority: mostly numbers (or dates) with some text is refused at the first text, naming
/// file, line and column (``TrainingDataError/mixedColumn(file:line:columnNumber:column:value:numbers:others:)``):
/// it is a number column with an unread spelling of missing, or a code list to declare `--categorical`; mostly
/// text with some numbers is categorical (the numbers are levels, as in a code list `A, B, 7`).
/// A number that cannot be read unambiguously (a decimal comma, or `400,000` in a `;`-delimited file) in a
/// column of numbers is refused at its field. A categorical column with more distinct values than half its rows
/// (and more than 50) is an identifier, not a feature, and is refused
/// (``TrainingDataError/identifierColumn(file:column:distinct:rows:)``) unless declared `--categorical`.
struct ColumnReader {
    let table: CSVTable
    let missing: MissingValues
    let commaDelimited: Bool

    enum Declared { case undeclared, numeric, categorical }

    func read(column j: Int, declared: Declared, notes: inout [ReadingNote]) throws -> FeatureColumn {
        let name = table.header[j]
        if declared == .categorical { return .categorical(name: name, levels: levels(column: j)) }
        var values: [Double] = []
        values.reserveCapacity(table.rowCount)
        var numbers = 0, texts = 0, dates = 0, spelled = 0
        var firstText: Int?, firstDate: Int?, firstUnreadable: (row: Int, ambiguous: Bool)?
        var grouped: (count: Int, row: Int)?, padded: (count: Int, row: Int)?
        var spellings: [String] = []
        for (i, row) in table.rows.enumerated() {
            let text = row[j]
            switch CellReading.read(text, missing: missing, commaDelimited: commaDelimited) {
            case .missing:
                values.append(.nan)
                if !text.isEmpty {
                    spelled += 1
                    if spellings.count < 4, !spellings.contains(text) { spellings.append(text) }
                }
            case let .number(x, isPadded, isGrouped):
                values.append(x); numbers += 1
                if isGrouped { grouped = grouped.map { ($0.count + 1, $0.row) } ?? (1, i) }
                if isPadded { padded = padded.map { ($0.count + 1, $0.row) } ?? (1, i) }
            case .ambiguousGrouping:
                values.append(.nan); numbers += 1
                if firstUnreadable == nil { firstUnreadable = (i, true) }
            case .decimalComma:
                values.append(.nan); numbers += 1
                if firstUnreadable == nil { firstUnreadable = (i, false) }
            case .date:
                values.append(.nan); dates += 1
                if firstDate == nil { firstDate = i }
            case .text:
                values.append(.nan); texts += 1
                if firstText == nil { firstText = i }
            }
        }
        if declared == .numeric || (numbers > 0 && numbers >= texts + dates) || (texts + dates == 0) {
            if let row = [firstText, firstDate].compactMap({ $0 }).min() {
                if declared == .numeric {
                    throw table.error(.notANumber, row: row, column: j, expected: expectedNumber)
                }
                throw TrainingDataError.mixedColumn(file: table.fileName, line: table.lineNumbers[row], columnNumber: j + 1,
                                                    column: name, value: table.rows[row][j], numbers: numbers,
                                                    others: texts + dates)
            }
            if let (row, ambiguous) = firstUnreadable {
                let expected = ambiguous
                    ? "a number without thousands separators: in a file not delimited by commas, 400,000 may be "
                        + "400000 or 400.000"
                    : "a number with a decimal point; a comma is read only as a thousands separator (400,000)"
                throw table.error(.invalidValue, row: row, column: j, expected: expected)
            }
            if let grouped {
                notes.append(.thousandsSeparators(column: name, count: grouped.count, line: table.lineNumbers[grouped.row],
                                                  example: table.rows[grouped.row][j]))
            }
            if let padded { notes.append(.padded(column: name, count: padded.count, line: table.lineNumbers[padded.row])) }
            if spelled > 0 { notes.append(.missingSpellings(column: name, count: spelled, spellings: spellings)) }
            return .numeric(name: name, values: values)
        }
        if dates > 0 && dates >= texts + numbers {
            let row = firstDate!
            throw TrainingDataError.dateColumn(file: table.fileName, line: table.lineNumbers[row], column: name,
                                               value: table.rows[row][j])
        }
        let levels = levels(column: j)
        let distinct = Set(levels).count
        if distinct > max(50, table.rowCount / 2) {
            throw TrainingDataError.identifierColumn(file: table.fileName, column: name, distinct: distinct,
                                                     rows: table.rowCount)
        }
        return .categorical(name: name, levels: levels)
    }

    /// The column's text, missing-value spellings as the empty level.
    func levels(column j: Int) -> [String] {
        table.rows.map { missing.contains($0[j]) ? "" : $0[j] }
    }

    var expectedNumber: String {
        "a decimal number like 12.5 (missing: empty or " + ErrorText.list(missing.spellings, separator: ", ") + ")"
    }

    /// The features derived from date column `j`: `<name>_days`, the days from each date to `asOf` (positive for
    /// dates before it; missing dates NaN), and `<name>_month`, the month as the level `01` … `12` (missing: `""`).
    /// - Throws: `TableError.invalidValue` at the first field that is neither missing nor a date of `format`.
    func dateFeatures(column j: Int, format: DateFormat, asOf: CalendarDate) throws -> [FeatureColumn] {
        var days: [Double] = [], months: [String] = []
        for (i, row) in table.rows.enumerated() {
            if missing.contains(row[j]) { days.append(.nan); months.append(""); continue }
            guard let date = format.date(row[j]) else {
                throw table.error(.invalidValue, row: i, column: j, expected: format.expectedForm)
            }
            days.append(Double(date.days(to: asOf)))
            let m = date.components.month
            months.append(m < 10 ? "0\(m)" : "\(m)")
        }
        let name = table.header[j]
        return [.numeric(name: name + "_days", values: days), .categorical(name: name + "_month", levels: months)]
    }
}
