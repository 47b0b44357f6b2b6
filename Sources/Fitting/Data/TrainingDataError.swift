/// Why a CSV file cannot be used to fit or evaluate a binary model. Field-level problems (a value that is not a
/// number, a missing column) are `TableError`s from the Tables module; these are the problems of the data set as
/// a whole, each naming the file and, where there is one, the line.
public enum TrainingDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The target column has a third distinct value: the first two seen were `positive` and `negative`.
    case outcomeNotBinary(file: String, line: Int, column: String, value: String, positive: String, negative: String)
    /// No row has the positive value in the target column.
    case positiveValueAbsent(file: String, column: String, positive: String, found: [String])
    /// Every (training) row has the positive value: nothing to contrast it with.
    case noNegatives(file: String, column: String, positive: String)
    /// A feature has one value on every training row: its weight cannot be estimated.
    case constantColumn(file: String, column: String, value: String, rows: Int)
    /// A feature column was declared both numeric and categorical, or is the target or id.
    case conflictingDeclaration(column: String, reason: String)
    /// A scorecard bin without a positive or without a negative: its WOE would rest on the ½-count correction only.
    case tooFewPositivesInBin(feature: String, bin: String, positives: Int, negatives: Int)
    /// Fewer positives (or negatives) than cross-validation folds.
    case tooFewPositivesForFolds(positives: Int, negatives: Int, folds: Int)
    /// A split file's row number does not exist in the data.
    case splitRowOutOfRange(file: String, line: Int, row: Int, rows: Int)
    /// The same data row appears twice in a split file.
    case splitRowRepeated(file: String, line: Int, row: Int)
    /// No row of the split file belongs to the requested set.
    case splitSetEmpty(file: String, set: String, found: [String])
    /// No feature column is left after exclusions.
    case noFeatures(file: String)
    /// Several delimiters split the first lines consistently (`counts`: what each gives).
    case ambiguousDelimiter(file: String, counts: [String])
    /// An undeclared column holds dates: not a feature as it is.
    case dateColumn(file: String, line: Int, column: String, value: String)
    /// An undeclared column of mostly numbers (`numbers`) has other values (`others`); `value` is the first, at
    /// `line` and 1-based `columnNumber`.
    case mixedColumn(file: String, line: Int, columnNumber: Int, column: String, value: String, numbers: Int, others: Int)
    /// An undeclared text column with nearly one value per row: an identifier, not a feature.
    case identifierColumn(file: String, column: String, distinct: Int, rows: Int)
    /// Date features were asked for without the day their ages count to.
    case asOfRequired(columns: [String])

    public var description: String {
        switch self {
        case let .outcomeNotBinary(file, line, column, value, positive, negative):
            return "\(file):\(line): target column \(column) has a third value \(ErrorText.quoted(value)); a binary "
                + "outcome needs exactly two: \(ErrorText.quoted(positive)) (positive) and \(ErrorText.quoted(negative))"
        case let .positiveValueAbsent(file, column, positive, found):
            return "\(file): no row has the positive value \(ErrorText.quoted(positive)) in target column \(column) "
                + "(found: \(ErrorText.quotedList(found)))"
        case let .noNegatives(file, column, positive):
            return "\(file): every row has \(column) = \"\(positive)\"; a binary outcome needs both classes"
        case let .constantColumn(file, column, value, rows):
            return "\(file): column \(column) is constant (\(ErrorText.quoted(value)) on all \(rows) training rows); its weight "
                + "cannot be estimated — drop it with --exclude \(column)"
        case let .conflictingDeclaration(column, reason):
            return "column \(column): \(reason)"
        case let .tooFewPositivesInBin(feature, bin, positives, negatives):
            return "feature \(feature), bin \(bin): \(positives) positive(s) and \(negatives) negative(s) among the "
                + "training rows; each bin needs both — use fewer, wider bins (--min-bin-share) or --exclude \(feature)"
        case let .tooFewPositivesForFolds(positives, negatives, folds):
            return "\(folds) folds need at least \(folds) positive and \(folds) negative training rows "
                + "(have \(positives) positive, \(negatives) negative); use fewer folds"
        case let .splitRowOutOfRange(file, line, row, rows):
            return "\(file):\(line): row \(row) does not exist; the data has \(rows) rows (0-based: 0…\(rows - 1))"
        case let .splitRowRepeated(file, line, row):
            return "\(file):\(line): row \(row) is listed twice"
        case let .splitSetEmpty(file, set, found):
            return "\(file): no row is in set \(ErrorText.quoted(set)) (sets found: \(ErrorText.list(found)))"
        case let .noFeatures(file):
            return "\(file): no feature column left (every column is the target, the id or excluded)"
        case let .ambiguousDelimiter(file, counts):
            return "\(file): cannot tell the delimiter: on each of the first lines \(counts.joined(separator: ", ")); "
                + "give --delimiter"
        case let .dateColumn(file, line, column, value):
            return "\(file):\(line) (column \(column)): holds dates like \(ErrorText.quoted(value)), which are not a "
                + "feature as they are; --exclude \(column), or --date-features \(column) --as-of YYYY-MM-DD to derive "
                + "\(column)_days (days before the as-of date) and \(column)_month"
        case let .mixedColumn(file, line, columnNumber, column, value, numbers, others):
            return "\(file):\(line):\(columnNumber) (column \(column)): \(ErrorText.quoted(value)) is not a number, "
                + "in a column of \(numbers) numbers and \(others) other value(s); expected a number — if it marks a "
                + "missing value, add it to --na-values; if the column holds codes, declare --categorical \(column)"
        case let .identifierColumn(file, column, distinct, rows):
            return "\(file) (column \(column)): \(distinct) distinct values in \(rows) rows is an identifier, not a "
                + "feature; --exclude \(column), --id \(column), or declare --categorical \(column) to fit it anyway"
        case let .asOfRequired(columns):
            return "--date-features \(ErrorText.list(columns)) needs --as-of YYYY-MM-DD, the day the ages in days count to"
        }
    }
}
