import Supervision

/// How dates are written in a data file: a pattern of `YYYY` (four digits), `MM` (month, one or two digits), `DD`
/// (day, one or two digits) and literal separators, e.g. `YYYY-MM-DD` (the default), `MM/DD/YYYY`, `DD.MM.YYYY`,
/// `YYYYMMDD` (then `MM` and `DD` take exactly two digits). A time after the date, separated by a space or `T`
/// (`2014-09-02 10:30:00`, `2014-09-02T10:30`), is ignored: dates are civil days.
public struct DateFormat: Sendable, Equatable, CustomStringConvertible {
    enum Token: Equatable, Sendable { case year, month, day, literal(UInt8) }
    let tokens: [Token]
    /// The pattern as given.
    public let description: String

    /// `YYYY-MM-DD`.
    public static let iso = DateFormat(validPattern: "YYYY-MM-DD")

    /// Parses a pattern; nil unless it has exactly one `YYYY`, one `MM` and one `DD` and ASCII separators other
    /// than letters and digits.
    public init?(_ pattern: String) {
        var tokens: [Token] = []
        var rest = Substring(pattern)
        while !rest.isEmpty {
            if rest.hasPrefix("YYYY") { tokens.append(.year); rest = rest.dropFirst(4) }
            else if rest.hasPrefix("MM") { tokens.append(.month); rest = rest.dropFirst(2) }
            else if rest.hasPrefix("DD") { tokens.append(.day); rest = rest.dropFirst(2) }
            else {
                guard let byte = rest.utf8.first, byte < 128, !(byte >= 48 && byte <= 57),
                      !((byte | 0x20) >= 97 && (byte | 0x20) <= 122), byte != 32 else { return nil }
                tokens.append(.literal(byte))
                rest = rest.dropFirst()
            }
        }
        guard tokens.filter({ $0 == .year }).count == 1, tokens.filter({ $0 == .month }).count == 1,
              tokens.filter({ $0 == .day }).count == 1 else { return nil }
        self.tokens = tokens
        description = pattern
    }

    private init(validPattern: String) { self = DateFormat(validPattern)! }

    /// The expected form, phrased to follow "expected" in error messages.
    public var expectedForm: String { "a date \(description) (as --date-format says)" }

    /// The day `text` names, or nil when it does not have this form or names no real day.
    public func date(_ text: some StringProtocol) -> CalendarDate? {
        let b = Array(text.utf8)
        // Without separators between fields, month and day take exactly two digits.
        let packed = !tokens.contains { if case .literal = $0 { return true } else { return false } }
        var i = 0, year = 0, month = 0, day = 0
        func number(min: Int, max: Int) -> Int? {
            var n = 0, k = 0
            while k < max, i < b.count, b[i] >= 48, b[i] <= 57 { n = n * 10 + Int(b[i] - 48); i += 1; k += 1 }
            return k >= min ? n : nil
        }
        for token in tokens {
            switch token {
            case .year: guard let y = number(min: 4, max: 4) else { return nil }; year = y
            case .month: guard let m = number(min: packed ? 2 : 1, max: 2) else { return nil }; month = m
            case .day: guard let d = number(min: packed ? 2 : 1, max: 2) else { return nil }; day = d
            case let .literal(c): guard i < b.count, b[i] == c else { return nil }; i += 1
            }
        }
        guard i == b.count || b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "T") else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// The shapes recognised as dates when a column is examined (see ``CellReading``).
    static let recognised: [DateFormat] = ["YYYY-MM-DD", "YYYY/MM/DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY"]
        .map { DateFormat(validPattern: $0) }

    /// Whether `text` has the shape of a date in one of the ``recognised`` forms.
    static func looksLikeDate(_ text: some StringProtocol) -> Bool {
        recognised.contains { $0.date(text) != nil }
    }
}
