import ArgumentParser
import Fitting
import Foundation

/// The options every modelling command shares: which CSV, which target and positive value, which columns are
/// features of which kind, and which rows (an optional split file).
struct FitDataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data CSV (a header row, one row per case).", valueName: "data.csv"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("The outcome column.", valueName: "column"))
    var target: String

    @Option(name: .long, help: ArgumentHelp("The target value that is the event (bad loan, violation found); the one other value is the non-event.", valueName: "value"))
    var positive: String

    @Option(name: .long, help: ArgumentHelp("Comma-separated columns to read as numbers (empty fields are missing).", valueName: "a,b"))
    var numeric: String?

    @Option(name: .long, help: ArgumentHelp("Comma-separated columns to read as categories. Undeclared columns are numeric when every non-empty value is a number, else categorical.", valueName: "c,d"))
    var categorical: String?

    @Option(name: .long, help: ArgumentHelp("Comma-separated columns that are not features.", valueName: "e,f"))
    var exclude: String?

    @Option(name: .long, help: ArgumentHelp("The entity id column: not a feature, and the model's idColumn for `onecheck score` (default: id).", valueName: "column"))
    var id: String?

    @Option(name: .long, help: ArgumentHelp("A split file with columns row (0-based data row) and set; only rows of --split-set are used.", valueName: "split.csv"))
    var split: String?

    @Option(name: .customLong("split-set"), help: ArgumentHelp("The set of the split file to use.", valueName: "name"))
    var splitSet: String = "train"

    static func list(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(separator: ",", omittingEmptySubsequences: true).map { String($0) }
    }

    var specification: TrainingData.Specification {
        TrainingData.Specification(target: target, positive: positive, numeric: Self.list(numeric),
                                   categorical: Self.list(categorical), exclude: Self.list(exclude), idColumn: id)
    }

    /// Reads the data and the chosen rows.
    func load() throws -> (data: TrainingData, rows: [Int]) {
        let data = try TrainingData(path: input, specification: specification)
        let rows = try split.map { try TrainingSplit.rows(path: $0, set: splitSet, dataRows: data.rowCount) }
            ?? Array(0..<data.rowCount)
        return (data, rows)
    }
}

/// `--model-type`.
enum FitModelType: String, ExpressibleByArgument, CaseIterable {
    case logistic, scorecard
}

/// Fixed-decimal formatting for deterministic text reports.
enum FitText {
    static func format(_ value: Double, _ decimals: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let text = String(format: "%.\(decimals)f", value)
        // "-0.0000" would differ from "0.0000" only by the sign of a rounded zero.
        return text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(text.dropFirst()) : text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
