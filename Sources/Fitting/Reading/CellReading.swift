import Tables

/// How one field of a feature column reads, by the rules every data-reading command shares.
///
/// **Numbers.** A field is a number when, after removing surrounding spaces and tabs (padding), it has the
/// decimal grammar of `Tables.DecimalParsing` (`12`, `-3.5`, `1e-3`), or the grouped form `[sign] d{1,3}
/// (",", d{3})+ ["." digits]` with no leading zero — thousands separators, as in `400,000` or `1,234,567.5` — which reads as the same
/// digits without the commas. Any other comma (`1,5`, `12,34`, `0,125`) is not read as a number: it may be a
/// decimal comma, and guessing would be silent. In a file whose delimiter is not a comma (`;` or tab, where decimal
/// commas are usual), a grouped value with a single group and no decimal point (`400,000`) is ambiguous — 400000
/// or 400.000 — and is refused, whatever the column. `NaN` and `Inf` spellings are not numbers here (`NaN` is a
/// missing value by default; an infinite feature value cannot be fitted).
/// **Dates.** A field that is not a number but has the form of a date — `YYYY-MM-DD` or `YYYY/MM/DD` (optionally
/// followed by a time after a space or `T`), `D/M/YYYY`, `M/D/YYYY` or `D.M.YYYY` — is recognised as a date, so that
/// a date column is never read as 1,500 categories.
enum CellReading: Equatable {
    case missing
    /// A number; `padded` when surrounding blanks were removed, `grouped` when thousands separators were.
    case number(Double, padded: Bool, grouped: Bool)
    /// A grouped value that may be a decimal comma (see the type's documentation).
    case ambiguousGrouping
    /// Digits, a comma and digits that are not thousands groups (`1,5`, `0,125`): a decimal comma, not read.
    case decimalComma
    case date
    case text

    static func read(_ text: String, missing: MissingValues, commaDelimited: Bool) -> CellReading {
        if missing.contains(text) { return .missing }
        let core = MissingValues.trimmed(text)
        let padded = core.count != text.count
        switch DecimalParsing.parseDouble(String(core)) {
        case let .finite(x): return .number(x, padded: padded, grouped: false)
        case .nonFinite: return .text
        case .missing, .invalid: break
        }
        if let (value, singleGroup) = grouped(core) {
            if !commaDelimited && singleGroup { return .ambiguousGrouping }
            return .number(value, padded: padded, grouped: true)
        }
        if looksLikeDecimalComma(core) { return .decimalComma }
        return DateFormat.looksLikeDate(core) ? .date : .text
    }

    /// `[sign] digits "," digits`.
    static func looksLikeDecimalComma(_ text: Substring) -> Bool {
        var s = text.utf8[...]
        if let f = s.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { s = s.dropFirst() }
        let parts = s.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= 48 && $0 <= 57 } }
    }

    /// The value of `[sign] d{1,3} (",", d{3})+ ["." digits]`, and whether it has one group and no decimal point.
    static func grouped(_ text: Substring) -> (Double, Bool)? {
        let bytes = Array(text.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        func digits(from start: Int) -> Int {
            var j = start
            while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 { j += 1 }
            return j - start
        }
        let lead = digits(from: i)
        // A leading zero is no thousands group ("0,125" is a decimal comma).
        guard lead >= 1, lead <= 3, bytes[i] != UInt8(ascii: "0") else { return nil }
        i += lead
        var groups = 0
        while i < bytes.count, bytes[i] == UInt8(ascii: ",") {
            guard digits(from: i + 1) == 3 else { return nil }
            i += 4
            groups += 1
        }
        guard groups > 0 else { return nil }
        var fraction = false
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            let n = digits(from: i + 1)
            guard n >= 1 else { return nil }
            i += 1 + n
            fraction = true
        }
        guard i == bytes.count else { return nil }
        let plain = String(decoding: bytes.filter { $0 != UInt8(ascii: ",") }, as: UTF8.self)
        guard case let .finite(x) = DecimalParsing.parseDouble(plain) else { return nil }
        return (x, groups == 1 && !fraction)
    }
}
