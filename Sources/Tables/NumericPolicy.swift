/// How a numeric column treats empty fields and non-finite values.
///
/// Finite numbers are always accepted. `strict` (the default everywhere) rejects both missing and non-finite
/// values, which is what model inputs need; `missingAsNaN` lets a caller see gaps as NaN and impute them.
public struct NumericPolicy: Sendable, Equatable {
    /// What an empty field becomes.
    public enum Missing: Sendable, Equatable {
        /// An empty field is an error (`TableError.Kind.missingValue`).
        case reject
        /// An empty field reads as this value (compared by bit pattern, so `.nan` equals `.nan`).
        case substitute(Double)

        public static func == (lhs: Missing, rhs: Missing) -> Bool {
            switch (lhs, rhs) {
            case (.reject, .reject): return true
            case let (.substitute(a), .substitute(b)): return a.bitPattern == b.bitPattern
            default: return false
            }
        }
    }

    /// What an empty field becomes.
    public var missing: Missing
    /// Whether `NaN`, `Inf` and decimals overflowing to ±∞ are accepted (as NaN/±∞).
    public var allowsNonFinite: Bool
    /// The expected form shown in errors, or nil for the defaults ("a decimal number like 12.5", and
    /// "a finite decimal number like 12.5" when rejecting a non-finite value).
    public var expectedForm: String?

    public init(missing: Missing = .reject, allowsNonFinite: Bool = false, expectedForm: String? = nil) {
        self.missing = missing
        self.allowsNonFinite = allowsNonFinite
        self.expectedForm = expectedForm
    }

    /// The expected form to print for a rejected value of `kind`.
    func expected(for kind: TableError.Kind) -> String {
        if let expectedForm { return expectedForm }
        return kind == .nonFiniteNotAllowed ? TableError.expectedFiniteNumber : TableError.expectedNumber
    }

    /// Missing and non-finite values are errors.
    public static let strict = NumericPolicy()
    /// Empty fields read as NaN; non-finite text is still an error.
    public static let missingAsNaN = NumericPolicy(missing: .substitute(.nan))

    /// The accepted value for a parse result under this policy, or nil when it must be rejected.
    @inlinable
    public func accept(_ parsed: ParsedDouble) -> Double? {
        switch parsed {
        case .finite(let value): return value
        case .nonFinite(let value): return allowsNonFinite ? value : nil
        case .missing:
            if case .substitute(let value) = missing { return value }
            return nil
        case .invalid: return nil
        }
    }
}
