/// The spellings of a missing value in a data file.
///
/// An empty field is always missing. Besides it, a field is missing when, with surrounding spaces and tabs removed,
/// it equals one of ``spellings`` ignoring ASCII case — by default `NA`, `NaN`, `NULL` and `N/A` (so `na`, `nan`,
/// `null` and `n/a` too): the forms R, pandas, SQL exports and spreadsheets write. A missing value never makes a
/// numeric column categorical: a numeric feature reads it as NaN (a scorecard's missing bin, or `--impute`); a
/// categorical feature reads it as the empty level `""`, which is how a model file names the missing level.
public struct MissingValues: Sendable, Equatable {
    /// The spellings besides the empty field, as given.
    public let spellings: [String]
    private let folded: Set<String>

    /// The default spellings: `NA`, `NaN`, `NULL`, `N/A`.
    public static let standard = MissingValues(["NA", "NaN", "NULL", "N/A"])

    public init(_ spellings: [String]) {
        self.spellings = spellings
        folded = Set(spellings.map { Self.fold(Self.trimmed($0)) })
    }

    /// Whether `text` is a missing value.
    public func contains(_ text: String) -> Bool {
        if text.isEmpty { return true }
        let core = Self.trimmed(text)
        return core.isEmpty || folded.contains(Self.fold(core))
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmed(_ text: String) -> Substring {
        var s = Substring(text)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }

    /// ASCII lower case (other characters unchanged), so matching does not depend on the locale.
    static func fold(_ text: Substring) -> String {
        String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
