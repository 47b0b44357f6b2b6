/// A jurisdiction's code (`J01`, `310104`): the unit a plan is made for — a 区/县 district of a city, a city of a
/// province. Entities, the inspector roster and the quotas carry it in an optional `jurisdiction` column of
/// entities.csv, inspectors.csv and quotas.csv.
///
/// A file without the column is one implicit jurisdiction (``Jurisdiction/implicit``, `nil` on the records): every
/// file written before jurisdictions existed reads and plans as it did. A file with the column gives every row a
/// non-empty code; a planner asked for jurisdiction `J` keeps the rows whose code is `J`.
public struct JurisdictionCode: DirectoryKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// What the city files share about jurisdictions: the column name and the codes the generator gives.
public enum Jurisdiction {
    /// The column of entities.csv, inspectors.csv and quotas.csv that names a row's jurisdiction.
    public static let column = "jurisdiction"

    /// The jurisdiction of a record read from a file without the column (`nil`): the whole file is one.
    public static let implicit: JurisdictionCode? = nil

    /// The form a code must have, as refusals name it.
    public static let expectedForm = "a jurisdiction code (letters, digits, '-', '_' or '.', at most 64 bytes)"

    /// Whether `text` is a well-formed code: 1–64 bytes of ASCII letters, digits, `-`, `_` and `.` — a code is
    /// part of file and directory names and of the seed derivation's input, so it is kept plain.
    public static func isWellFormed(_ text: Substring) -> Bool {
        let bytes = text.utf8
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x2D || b == 0x5F || b == 0x2E
        }
    }

    public static func isWellFormed(_ text: String) -> Bool { isWellFormed(Substring(text)) }

    /// The code of the `k`-th (0-based) of `count` generated jurisdictions: `J` and `k + 1` with at least two
    /// digits (`J01` … `J10`), so codes sort in UTF-8 order as they are numbered.
    /// - Precondition: `0 <= k < count`.
    public static func generatedCode(_ k: Int, of count: Int) -> JurisdictionCode {
        precondition(k >= 0 && k < count, "jurisdiction index in range")
        let width = Swift.max(2, String(count).count)
        let digits = String(k + 1)
        return JurisdictionCode("J" + String(repeating: "0", count: width - digits.count) + digits)
    }
}

extension CityRow {
    /// The row's jurisdiction: ``Jurisdiction/implicit`` when the file has no `jurisdiction` column, else its
    /// non-empty, well-formed code (refused at its line and column otherwise).
    public func jurisdiction() throws -> JurisdictionCode? {
        guard has(Jurisdiction.column) else { return Jurisdiction.implicit }
        let text = try required(Jurisdiction.column, expected: Jurisdiction.expectedForm)
        guard Jurisdiction.isWellFormed(text) else {
            throw fail(Jurisdiction.column, .invalidValue, expected: Jurisdiction.expectedForm)
        }
        return JurisdictionCode(text)
    }
}

/// The key of a quotas.csv row: each stratum once per jurisdiction.
struct JurisdictionStratum: Hashable {
    var jurisdiction: JurisdictionCode?
    var stratum: Stratum
}
