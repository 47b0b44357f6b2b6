/// "Had this period's inspections been ordered by the model, how much earlier would the problems have been found?"
///
/// The backtest keeps the period's schedule — the same days, with the same number of inspections on each — and
/// only changes *which* establishment is visited in which slot: the highest-scored establishment gets the earliest
/// slot. For each inspection that found a problem (a positive), `days earlier = actual day − reordered day`.
///
/// **Ties.** Equal scores keep their actual order (earlier actual day first, then input order), so ties never
/// flatter the model and the result is deterministic.
/// **First half.** The share of all positives found in the first half of the period's inspection slots (the first
/// `n/2` by date): by actual date, and after reordering. Counting slots rather than calendar days makes the
/// half independent of weekends and of how the period's end dates fall.
public struct TargetingBacktest: Equatable, Sendable {
    public let inspections: Int
    public let positives: Int
    /// Mean over positives of `actual day − reordered day` (> 0: found earlier).
    public let meanDaysEarlier: Double
    public let firstHalfShareActual: Double
    public let firstHalfShareReordered: Double
    public let auc: Double
    /// Hit rate and lift in the top 10 % of scores.
    public let topDecile: Metrics.TopShare
    /// The reordered day of every inspection (input order).
    public let reorderedDays: [Int]

    /// Runs the backtest.
    /// - Parameters:
    ///   - days: the actual day number of each inspection (e.g. `CalendarDate.dayNumber`).
    ///   - scores: model risk scores (higher = visit sooner).
    ///   - outcomes: 1 when the inspection found a problem, else 0.
    /// - Throws: ``BacktestError`` or ``MetricsError`` (mismatched lengths, no positives, non-binary outcomes).
    /// - Complexity: O(n log n).
    public static func evaluate(days: [Int], scores: [Double], outcomes: [Double]) throws -> TargetingBacktest {
        guard days.count == scores.count else {
            throw BacktestError.lengthMismatch(days: days.count, scores: scores.count)
        }
        let positives = try Metrics.validate(scores, outcomes, needBothClasses: true)
        let n = days.count
        let slots = days.sorted()
        let byModel = days.indices.sorted { a, b in
            if scores[a] != scores[b] { return scores[a] > scores[b] }
            if days[a] != days[b] { return days[a] < days[b] }
            return a < b
        }
        let byDate = days.indices.sorted { days[$0] < days[$1] || (days[$0] == days[$1] && $0 < $1) }
        var reordered = [Int](repeating: 0, count: n)
        var modelSlot = [Int](repeating: 0, count: n), actualSlot = [Int](repeating: 0, count: n)
        for (k, i) in byModel.enumerated() { reordered[i] = slots[k]; modelSlot[i] = k }
        for (k, i) in byDate.enumerated() { actualSlot[i] = k }
        var earlier = 0.0, firstHalfActual = 0.0, firstHalfModel = 0.0
        let half = Double(n) / 2
        for i in 0..<n where outcomes[i] == 1 {
            earlier += Double(days[i] - reordered[i])
            if Double(actualSlot[i]) < half { firstHalfActual += 1 }
            if Double(modelSlot[i]) < half { firstHalfModel += 1 }
        }
        let p = Double(positives)
        return TargetingBacktest(
            inspections: n, positives: positives, meanDaysEarlier: earlier / p,
            firstHalfShareActual: firstHalfActual / p, firstHalfShareReordered: firstHalfModel / p,
            auc: try Metrics.auc(scores: scores, outcomes: outcomes),
            topDecile: try Metrics.topShare(0.1, scores: scores, outcomes: outcomes), reorderedDays: reordered)
    }
}

/// Why a backtest could not be run.
public enum BacktestError: Error, Equatable, Sendable, CustomStringConvertible {
    case lengthMismatch(days: Int, scores: Int)

    public var description: String {
        switch self {
        case let .lengthMismatch(days, scores): return "\(days) inspection days but \(scores) scores"
        }
    }
}
