import Tables

/// How a target column's values become the 0/1 outcome.
///
/// Values are compared by their *meaning*, so that the same outcome written differently is one value:
/// - the usual binary spellings, with surrounding blanks removed and ASCII case ignored, are truth values:
///   `1`, `true`, `t`, `yes`, `y` are true and `0`, `false`, `f`, `no`, `n` are false; numbers equal to 1 or 0
///   (`1.0`, `0.00`) are the same truth values;
/// - other numbers compare by value (`2` = `2.0`);
/// - any other text compares exactly (case matters: `bad` is not `Bad`).
///
/// A row is positive (1) when its value means the same as `positive`; the values that do not must all mean one
/// thing, the negative (0): so with `--positive 1` a column written `1.0/0.0`, `TRUE/FALSE` or `Yes/No` reads as
/// expected, while `yes/no/maybe` is refused at the first `maybe`. A missing target (empty, or a missing-value
/// spelling) is refused: a row without an outcome cannot be fitted or evaluated.
public enum BinaryOutcome {
    enum Key: Hashable {
        case truth(Bool)
        case number(Double)
        case text(String)
    }

    static func key(_ text: String) -> Key {
        let core = MissingValues.fold(MissingValues.trimmed(text))
        switch core {
        case "1", "true", "t", "yes", "y": return .truth(true)
        case "0", "false", "f", "no", "n": return .truth(false)
        default: break
        }
        if case let .finite(x) = DecimalParsing.parseDouble(String(MissingValues.trimmed(text))) {
            if x == 1 { return .truth(true) }
            if x == 0 { return .truth(false) }
            return .number(x)
        }
        return .text(text)
    }

    /// The 0/1 outcome of `column`, and the first spelling of the negative value ("" when every row is positive).
    /// - Throws: `TableError` (`.missingValue` naming the line of a row without a target) or ``TrainingDataError``
    ///   (`.positiveValueAbsent`, `.outcomeNotBinary`).
    /// - Complexity: O(rows).
    public static func read(_ table: CSVTable, column: Int, positive: String,
                            missing: MissingValues = .standard) throws -> (outcome: [Double], negative: String) {
        let positiveKey = key(positive)
        var keys: [Key] = []
        keys.reserveCapacity(table.rowCount)
        for (i, row) in table.rows.enumerated() {
            if missing.contains(row[column]) {
                throw table.error(.missingValue, row: i, column: column,
                                  expected: "the target's value (a row without an outcome cannot be used)")
            }
            keys.append(key(row[column]))
        }
        // The positive value's absence is checked first: "no row is Yes (found: good, bad)" says what is wrong,
        // where "third value" would not.
        if !keys.contains(positiveKey) {
            var found: [String] = [], seen: Set<Key> = []
            for (i, k) in keys.enumerated() where seen.insert(k).inserted { found.append(table.rows[i][column]) }
            throw TrainingDataError.positiveValueAbsent(file: table.fileName, column: table.header[column],
                                                        positive: positive, found: found)
        }
        var negative: (key: Key, text: String)?
        var outcome: [Double] = []
        outcome.reserveCapacity(keys.count)
        for (i, k) in keys.enumerated() {
            if k == positiveKey { outcome.append(1); continue }
            if let n = negative, n.key != k {
                throw TrainingDataError.outcomeNotBinary(file: table.fileName, line: table.lineNumbers[i],
                                                         column: table.header[column], value: table.rows[i][column],
                                                         positive: positive, negative: n.text)
            }
            if negative == nil { negative = (k, table.rows[i][column]) }
            outcome.append(0)
        }
        return (outcome, negative?.text ?? "")
    }
}
