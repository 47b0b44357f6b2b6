/// Measures of how well scores rank and predict binary outcomes.
///
/// Conventions shared by every function: `scores[i]` belongs to `outcomes[i]`; outcomes are 0 or 1 with 1 the
/// event (a bad loan, a critical violation); a higher score means a higher predicted risk. Scores must be finite.
/// Every function is deterministic: ties are resolved by definition (midranks, tie groups, fractional counting),
/// never by the order in which rows arrive.
public enum Metrics {}

/// Why a metric could not be computed.
public enum MetricsError: Error, Equatable, Sendable, CustomStringConvertible {
    case lengthMismatch(scores: Int, outcomes: Int)
    case empty
    case outcomeNotBinary(index: Int, value: Double)
    /// The metric needs both outcomes (AUC, KS, Gini) but only `value` occurs.
    case singleOutcomeClass(value: Double)
    case nonFiniteScore(index: Int, value: Double)
    /// A probability outside [0, 1].
    case probabilityOutOfRange(index: Int, value: Double)
    case invalidParameter(String)

    public var description: String {
        switch self {
        case let .lengthMismatch(scores, outcomes):
            return "\(scores) scores but \(outcomes) outcomes; they must pair up"
        case .empty: return "no observations"
        case let .outcomeNotBinary(index, value): return "outcome \(index) is \(value); expected 0 or 1"
        case let .singleOutcomeClass(value): return "every outcome is \(value); the metric needs both 0 and 1"
        case let .nonFiniteScore(index, value): return "score \(index) is \(value); expected a finite number"
        case let .probabilityOutOfRange(index, value):
            return "probability \(index) is \(value); expected a number in [0, 1]"
        case let .invalidParameter(message): return message
        }
    }
}

extension Metrics {
    /// Checks pairing, binary outcomes and finite scores; returns the number of events.
    @discardableResult
    static func validate(_ scores: [Double], _ outcomes: [Double], needBothClasses: Bool) throws -> Int {
        guard scores.count == outcomes.count else {
            throw MetricsError.lengthMismatch(scores: scores.count, outcomes: outcomes.count)
        }
        guard !scores.isEmpty else { throw MetricsError.empty }
        var events = 0
        for i in outcomes.indices {
            guard outcomes[i] == 0 || outcomes[i] == 1 else {
                throw MetricsError.outcomeNotBinary(index: i, value: outcomes[i])
            }
            guard scores[i].isFinite else { throw MetricsError.nonFiniteScore(index: i, value: scores[i]) }
            if outcomes[i] == 1 { events += 1 }
        }
        if needBothClasses, events == 0 || events == outcomes.count {
            throw MetricsError.singleOutcomeClass(value: events == 0 ? 0 : 1)
        }
        return events
    }

    /// Row indices sorted by ascending score (index breaks ties, so the order is total and reproducible).
    static func ascendingOrder(_ scores: [Double]) -> [Int] {
        scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }

    /// Runs of equal scores in an ascending order, as half-open ranges of positions in `order`.
    static func tieGroups(_ scores: [Double], order: [Int]) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = 0
        for k in 1...order.count where k == order.count || scores[order[k]] != scores[order[start]] {
            groups.append(start..<k)
            start = k
        }
        return groups
    }
}
