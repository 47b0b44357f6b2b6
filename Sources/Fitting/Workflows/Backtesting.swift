import Scoring
import Tables

/// `onecheck backtest` as a library call.
public enum Backtesting {
    /// Which rows are the test period.
    public enum TestPeriod: Sendable, Equatable {
        /// Rows whose `column` has `value` (compared as ``BinaryOutcome`` compares: `1`, `1.0`, `True` alike).
        case marked(column: String, value: String)
        /// Rows given by a split file.
        case rows(train: [Int], test: [Int])
    }

    public struct Result: Sendable {
        public let features: [String]
        public let trainingRows: Int
        public let designColumns: Int
        public let backtest: TargetingBacktest
    }

    /// Fits a logistic regression on the training rows (penalty λ, missing numbers filled as `design` says) and
    /// reorders the test period's inspections by its score (``TargetingBacktest``).
    /// - Parameters:
    ///   - data: read with the date column (and a marking column) excluded from the features.
    ///   - dateColumn: the inspection day of each row, written as `dateFormat` says.
    /// - Throws: `TableError.invalidValue` at the first date that does not parse (file, line, column), and the errors
    ///   of the fit.
    public static func run(_ data: TrainingData, dateColumn: String, dateFormat: DateFormat, period: TestPeriod,
                           penalty: Double, design: DummyDesign.Options) throws -> Result {
        let table = data.table
        let column = try table.requireColumns([dateColumn])[0]
        let days = try table.rows.indices.map { i -> Int in
            guard let date = dateFormat.date(table.rows[i][column]) else {
                throw table.error(.invalidValue, row: i, column: column, expected: dateFormat.expectedForm)
            }
            return date.dayNumber
        }
        let trainRows: [Int], testRows: [Int]
        switch period {
        case let .marked(name, value):
            let marks = try table.strings(named: name)
            let key = BinaryOutcome.key(value)
            testRows = marks.indices.filter { BinaryOutcome.key(marks[$0]) == key }
            trainRows = marks.indices.filter { BinaryOutcome.key(marks[$0]) != key }
        case let .rows(train, test):
            trainRows = train; testRows = test
        }
        let (designMatrix, fit) = try data.fitLogistic(rows: trainRows, penalty: penalty, options: design)
        let scores = try testScores(data, design: designMatrix, fit: fit, rows: testRows)
        let r = try TargetingBacktest.evaluate(days: testRows.map { days[$0] }, scores: scores,
                                               outcomes: testRows.map { data.outcome[$0] })
        return Result(features: data.features.map(\.name), trainingRows: trainRows.count,
                      designColumns: fit.coefficients.count, backtest: r)
    }

    /// The test rows' scores as `onecheck score` computes them from the fitted model's file: the model is compiled and
    /// applied to the rows as the reader understood them (numbers in their shortest round-trip form, missing values
    /// empty), so the bits are those of `score` while cells `score` would not read (`NA`, `400,000`) are already
    /// resolved.
    static func testScores(_ data: TrainingData, design: DummyDesign, fit: LogisticFit, rows: [Int]) throws -> [Double] {
        var idColumn = data.modelIdColumn
        while data.features.contains(where: { $0.name == idColumn }) { idColumn = "_" + idColumn }
        let model = try CompiledModel(design.scoringModel(fit, name: "backtest", idColumn: idColumn), file: "fitted model")
        let header = data.features.map(\.name)
        let cells: [[String]] = rows.map { row in
            data.features.map { feature in
                switch feature {
                case let .numeric(_, values): return values[row].isNaN ? "" : DecimalFormatting.shortest(values[row])
                case let .categorical(_, levels): return levels[row]
                }
            }
        }
        let table = CSVTable(fileName: data.fileName, header: header, rows: cells,
                             lineNumbers: rows.map { data.table.lineNumbers[$0] })
        return try model.scores(of: table).scores(head: 0)
    }
}
