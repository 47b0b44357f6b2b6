#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

/// The metric a tuning run chooses by.
public enum SelectionMetric: Equatable, Sendable, CustomStringConvertible {
    case auc
    case logLoss
    /// Hit rate in the top `capacity` share of rows (e.g. 0.1: what a planner with capacity for 10 % finds).
    case hitRate(capacity: Double)

    public var higherIsBetter: Bool { self != .logLoss }

    /// The metric named `auc`, `logloss` (or `log-loss`) or `hitrate:<share>` with a share in (0, 1] (any case);
    /// nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "auc": self = .auc
        case "logloss", "log-loss": self = .logLoss
        default:
            let parts = name.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].lowercased() == "hitrate", let share = Double(parts[1]),
                  share > 0, share <= 1 else { return nil }
            self = .hitRate(capacity: share)
        }
    }

    public var description: String {
        switch self {
        case .auc: return "AUC"
        case .logLoss: return "log loss"
        case let .hitRate(capacity): return "hit rate at \(capacity)"
        }
    }

    /// The metric of predicted probabilities against outcomes.
    public func evaluate(probabilities: [Double], outcomes: [Double]) throws -> Double {
        switch self {
        case .auc: return try Metrics.auc(scores: probabilities, outcomes: outcomes)
        case .logLoss: return try Metrics.logLoss(probabilities: probabilities, outcomes: outcomes)
        case let .hitRate(capacity): return try Metrics.topShare(capacity, scores: probabilities, outcomes: outcomes).hitRate
        }
    }
}

/// The cross-validated result of every candidate, and the chosen one.
public struct TuningReport<Candidate: Sendable>: Sendable {
    public struct Entry: Sendable {
        public let candidate: Candidate
        /// The metric on each split, in ``CrossValidation/splits`` order.
        public let splitValues: [Double]
        public let mean: Double
        /// Sample standard deviation over splits.
        public let standardDeviation: Double
        /// Why the candidate could not be evaluated (e.g. separation without a penalty); its values are then empty
        /// and its mean NaN, and it is never chosen.
        public let failure: String?
    }

    public let metric: SelectionMetric
    public let entries: [Entry]
    /// Index into ``entries`` of the best mean (the first candidate wins ties, so list simpler ones first).
    public let bestIndex: Int
    public var best: Entry { entries[bestIndex] }
}

/// Cross-validated search over candidate settings.
public enum Tuning {
    /// Evaluates every candidate on every split and picks the best mean metric.
    ///
    /// A candidate whose fit throws on some split is reported with its error and skipped, so one unusable setting
    /// (say λ = 0 on data with a rare, pure category) does not abort the search; when every candidate fails, the
    /// first candidate's error is rethrown.
    /// - Parameter predict: fits `candidate` on the split's training rows and returns event probabilities for its
    ///   validation rows, in their order.
    public static func search<Candidate: Sendable>(
        _ candidates: [Candidate], outcomes: [Double], splits: CrossValidation, metric: SelectionMetric,
        predict: (Candidate, _ trainRows: [Int], _ validationRows: [Int]) throws -> [Double]
    ) throws -> TuningReport<Candidate> {
        guard !candidates.isEmpty else { throw TuningError.noCandidates }
        var entries: [TuningReport<Candidate>.Entry] = []
        var firstError: Error?
        for candidate in candidates {
            var values: [Double] = []
            do {
                for split in splits.splits {
                    let p = try predict(candidate, split.trainRows, split.validationRows)
                    values.append(try metric.evaluate(probabilities: p, outcomes: split.validationRows.map { outcomes[$0] }))
                }
            } catch {
                if firstError == nil { firstError = error }
                entries.append(.init(candidate: candidate, splitValues: [], mean: .nan, standardDeviation: .nan,
                                     failure: String(describing: error)))
                continue
            }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.count > 1
                ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
            entries.append(.init(candidate: candidate, splitValues: values, mean: mean,
                                 standardDeviation: variance.squareRoot(), failure: nil))
        }
        var best: Int?
        for k in entries.indices where entries[k].failure == nil {
            guard let b = best else { best = k; continue }
            if metric.higherIsBetter ? entries[k].mean > entries[b].mean : entries[k].mean < entries[b].mean { best = k }
        }
        guard let best else { throw firstError ?? TuningError.noCandidates }
        return TuningReport(metric: metric, entries: entries, bestIndex: best)
    }

    /// Chooses the ridge penalty λ of a logistic regression on a fixed design.
    public static func logisticPenalty(design: Matrix, outcomes: [Double], penalties: [Double],
                                       splits: CrossValidation, metric: SelectionMetric,
                                       unpenalizedColumns: Set<Int> = [0]) throws -> TuningReport<Double> {
        try search(penalties, outcomes: outcomes, splits: splits, metric: metric) { lambda, train, validation in
            let fit = try LogisticRegression(l2Penalty: lambda, unpenalizedColumns: unpenalizedColumns)
                .fit(design: rows(design, train), outcome: train.map { outcomes[$0] })
            return fit.probabilities(rows(design, validation))
        }
    }

    /// Chooses among scorecard settings (binning rules, IV threshold, penalty). Bins are refitted on each split's
    /// training rows only.
    public static func scorecard(columns: [FeatureColumn], outcomes: [Double], builders: [ScorecardBuilder],
                                 splits: CrossValidation, metric: SelectionMetric) throws -> TuningReport<ScorecardBuilder> {
        try search(builders, outcomes: outcomes, splits: splits, metric: metric) { builder, train, validation in
            let card = try builder.fit(columns: columns, outcome: outcomes, trainingRows: train)
            return try card.probabilities(columns.map { $0.selecting(rows: validation) })
        }
    }

    static func rows(_ m: Matrix, _ indices: [Int]) -> Matrix {
        let source = m.converted(to: .rowMajor)
        var storage = [Double](); storage.reserveCapacity(indices.count * m.columns)
        for i in indices { storage.append(contentsOf: source.storage[(i * m.columns)..<((i + 1) * m.columns)]) }
        return Matrix(rows: indices.count, columns: m.columns, storage: storage)
    }
}
