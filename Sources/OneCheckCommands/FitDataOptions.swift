import ArgumentParser
import Fitting
import Foundation
import Supervision

/// The options every modelling command shares: which CSV and how it is written, which target and positive value,
/// which columns are features of which kind, and which rows (an optional split file).
struct FitDataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data CSV (a header row, one row per case).", valueName: "data.csv"))
    var input: String

    @OptionGroup var text: TextInputOptions

    @Option(name: .long, help: ArgumentHelp("The outcome column.", valueName: "column"))
    var target: String

    @Option(name: .long, help: ArgumentHelp("The target value that is the event (bad loan, violation found); the one other value is the non-event. Binary spellings match by meaning: 1, 1.0, true, yes, y are one value (any case), as are 0, 0.0, false, no, n.", valueName: "value"))
    var positive: String

    @Option(name: .long, help: ArgumentHelp("Comma-separated columns to read as numbers (missing values allowed).", valueName: "a,b"))
    var numeric: ColumnList = ColumnList()

    @Option(name: .long, help: ArgumentHelp("Comma-separated columns to read as categories. An undeclared column of numbers (and missing values) is numeric, one of text is categorical, one mostly of numbers with some text is refused at the text.", valueName: "c,d"))
    var categorical: ColumnList = ColumnList()

    @Option(name: .long, help: ArgumentHelp("Comma-separated columns that are not features.", valueName: "e,f"))
    var exclude: ColumnList = ColumnList()

    @Option(name: .long, help: ArgumentHelp("The entity id column: not a feature, and the model's idColumn for `onecheck score` (default: id, when the file has it).", valueName: "column"))
    var id: String?

    @Option(name: .long, help: ArgumentHelp("A split file with columns row (0-based data row) and set; only rows of --split-set are used.", valueName: "split.csv"))
    var split: String?

    @Option(name: .customLong("split-set"), help: ArgumentHelp("The set of the split file to use.", valueName: "name"))
    var splitSet: String = "train"

    @Option(name: .long, help: ArgumentHelp("The field delimiter: , ; tab | or auto (detected from the first lines; an ambiguous file is refused).", valueName: "d"))
    var delimiter: DelimiterArgument = DelimiterArgument(.detect)

    @Option(name: .customLong("na-values"), help: ArgumentHelp("Comma-separated spellings of a missing value besides the empty field, matched ignoring case and surrounding blanks.", valueName: "NA,NaN,NULL,N/A"))
    var naValues: MissingValuesArgument = MissingValuesArgument(.standard)

    @Option(name: .customLong("date-format"), help: ArgumentHelp("How dates are written: YYYY, MM, DD and separators (MM/DD/YYYY, DD.MM.YYYY, YYYYMMDD); a time after a space or T is ignored.", valueName: "YYYY-MM-DD"))
    var dateFormat: DateFormatArgument = DateFormatArgument(.iso)

    @Option(name: .customLong("date-features"), help: ArgumentHelp("Comma-separated date columns to turn into <column>_days (days before --as-of) and <column>_month (01-12, categorical). Files to score need the same two columns.", valueName: "column,…"))
    var dateFeatures: ColumnList = ColumnList()

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day <column>_days counts to (with --date-features).", valueName: "YYYY-MM-DD"))
    var asOf: DateArgument?

    func validate() throws {
        if !dateFeatures.names.isEmpty && asOf == nil {
            throw ValidationError("--date-features needs --as-of YYYY-MM-DD, the day the ages in days count to.")
        }
    }

    var specification: TrainingData.Specification {
        TrainingData.Specification(target: target, positive: positive, numeric: numeric.names,
                                   categorical: categorical.names, exclude: exclude.names, idColumn: id,
                                   missingValues: naValues.value, dateFeatures: dateFeatures.names,
                                   asOf: asOf?.date, dateFormat: dateFormat.format)
    }

    /// Reads the data (with `extraExcluded` columns left out of the features) and the chosen rows; prints what the
    /// reader did to the data (notes), so nothing is guessed silently.
    func load(excluding extraExcluded: [String] = []) throws -> (data: TrainingData, rows: [Int]) {
        var spec = specification
        spec.exclude += extraExcluded
        let data = try TrainingData(path: input, specification: spec, delimiter: delimiter.value)
        let rows = try split.map { try TrainingSplit.rows(path: $0, set: splitSet, dataRows: data.rowCount) }
            ?? Array(0..<data.rowCount)
        for note in data.notes { print("note       \(note)") }
        return (data, rows)
    }

    var modelName: String { URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent }
}

/// How a logistic fit treats missing numbers: `--impute`, `--impute-value`, `--missing-indicator`.
struct ImputationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Logistic models: fill missing numbers with the training rows' median or mean, or --impute-value; stored in the model, so `score` fills them alike.", valueName: "median|mean|value"))
    var impute: ImputeMethod?

    @Option(name: .customLong("impute-value"), help: ArgumentHelp("The fill value of --impute value.", valueName: "x"))
    var imputeValue: Double?

    @Flag(name: .customLong("missing-indicator"), help: "With --impute: add the 0/1 column <name>:missing for each column with missing training values.")
    var missingIndicator = false

    func validate() throws {
        if (impute == .value) != (imputeValue != nil) {
            throw ValidationError("--impute value and --impute-value go together.")
        }
        if let v = imputeValue, !v.isFinite { throw ValidationError("--impute-value must be a finite number.") }
        if missingIndicator && impute == nil { throw ValidationError("--missing-indicator needs --impute.") }
    }

    var imputation: Imputation? {
        switch impute {
        case nil: return nil
        case .median: return Imputation(.median, indicator: missingIndicator)
        case .mean: return Imputation(.mean, indicator: missingIndicator)
        case .value: return Imputation(.value(imputeValue ?? 0), indicator: missingIndicator)
        }
    }
}

enum ImputeMethod: String, ExpressibleByArgument, CaseIterable {
    case median, mean, value
}

/// `--model-type`.
enum FitModelType: String, ExpressibleByArgument, CaseIterable {
    case logistic, scorecard
}

/// A comma-separated list of column names.
struct ColumnList: ExpressibleByArgument {
    var names: [String] = []
    init() {}
    init?(argument: String) {
        names = argument.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
    }
}

/// A comma-separated list of numbers ≥ 0 (`--penalties`, `--min-bin-shares`).
struct NumberList: ExpressibleByArgument {
    var values: [Double]
    init(_ values: [Double]) { self.values = values }
    init?(argument: String) {
        var values: [Double] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: true) {
            guard let v = Double(part), v.isFinite, v >= 0 else { return nil }
            values.append(v)
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }
    var defaultValueDescription: String { values.map { "\($0)" }.joined(separator: ",") }
}

/// A comma-separated list of integers ≥ 2 (`--max-bins`).
struct BinLimitList: ExpressibleByArgument {
    var values: [Int]
    init(_ values: [Int]) { self.values = values }
    init?(argument: String) {
        var values: [Int] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: true) {
            guard let v = Int(part), v >= 2 else { return nil }
            values.append(v)
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }
    var defaultValueDescription: String { values.map(String.init).joined(separator: ",") }
}

struct DelimiterArgument: ExpressibleByArgument {
    var value: Delimiter
    init(_ value: Delimiter) { self.value = value }
    init?(argument: String) {
        switch argument {
        case "auto", "detect": value = .detect
        case "tab", "\\t", "\t": value = .byte(9)
        case ",", ";", "|": value = .byte(argument.utf8.first!)
        default: return nil
        }
    }
    var defaultValueDescription: String { "auto" }
}

struct MissingValuesArgument: ExpressibleByArgument {
    var value: MissingValues
    init(_ value: MissingValues) { self.value = value }
    init?(argument: String) {
        value = MissingValues(argument.split(separator: ",", omittingEmptySubsequences: true).map(String.init))
    }
    var defaultValueDescription: String { value.spellings.joined(separator: ",") }
}

struct DateFormatArgument: ExpressibleByArgument {
    var format: DateFormat
    init(_ format: DateFormat) { self.format = format }
    init?(argument: String) {
        guard let f = DateFormat(argument) else { return nil }
        format = f
    }
    var defaultValueDescription: String { format.description }
}

struct DateArgument: ExpressibleByArgument {
    var date: CalendarDate
    init?(argument: String) {
        guard let d = CalendarDate(argument) else { return nil }
        date = d
    }
}

struct MetricArgument: ExpressibleByArgument, CustomStringConvertible {
    var metric: SelectionMetric
    var name: String
    init(_ name: String) { self.init(argument: name)! }
    init?(argument: String) {
        guard let m = SelectionMetric(name: argument) else { return nil }
        metric = m
        name = argument
    }
    var description: String { name }
    var defaultValueDescription: String { name }
}

/// Number formatting for deterministic text reports.
enum FitText {
    /// Fixed decimals.
    static func format(_ value: Double, _ decimals: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let text = String(format: "%.\(decimals)f", value)
        // "-0.0000" would differ from "0.0000" only by the sign of a rounded zero.
        return text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(text.dropFirst()) : text
    }

    /// `digits` significant digits (`%g`: plain decimals, or an exponent for very large or small values).
    static func significant(_ value: Double, _ digits: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.\(digits)g", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Prints warnings to standard error.
    static func warn(_ warnings: [FitWarning]) {
        for w in warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
    }
}
