extension Metrics {
    /// The area under the ROC curve: `P(score of an event > score of a non-event) + ½·P(tie)`.
    ///
    /// Computed from ranks (the Mann–Whitney statistic): with midranks `R` over all scores,
    /// `AUC = (Σ_{events} R − n₁(n₁ + 1)/2) / (n₁·n₀)`. Tied scores share their average rank, which counts each
    /// tied event/non-event pair as ½ — the same as the trapezoidal ROC area.
    /// - Throws: ``MetricsError`` (mismatched lengths, non-binary outcomes, non-finite scores, one class only).
    /// - Complexity: O(n log n).
    public static func auc(scores: [Double], outcomes: [Double]) throws -> Double {
        let events = try validate(scores, outcomes, needBothClasses: true)
        let order = ascendingOrder(scores)
        var rankSum = 0.0
        for group in tieGroups(scores, order: order) {
            // Positions are 0-based; ranks 1-based: the group's midrank is the mean of lower+1 … upper.
            let midrank = Double(group.lowerBound + group.upperBound + 1) / 2
            for k in group where outcomes[order[k]] == 1 { rankSum += midrank }
        }
        let n1 = Double(events), n0 = Double(scores.count - events)
        return (rankSum - n1 * (n1 + 1) / 2) / (n1 * n0)
    }

    /// The Gini coefficient (accuracy ratio) `2·AUC − 1`.
    public static func gini(scores: [Double], outcomes: [Double]) throws -> Double {
        2 * (try auc(scores: scores, outcomes: outcomes)) - 1
    }

    /// The Kolmogorov–Smirnov statistic `max_t |F₁(t) − F₀(t)|`, with `F₁`, `F₀` the empirical distribution
    /// functions of the events' and the non-events' scores.
    ///
    /// Thresholds are taken only between distinct scores (a tie group is never split), so the value does not
    /// depend on how tied rows are ordered.
    /// - Complexity: O(n log n).
    public static func ks(scores: [Double], outcomes: [Double]) throws -> Double {
        let events = try validate(scores, outcomes, needBothClasses: true)
        let order = ascendingOrder(scores)
        let n1 = Double(events), n0 = Double(scores.count - events)
        var cumulativeEvents = 0.0, cumulativeNonEvents = 0.0, best = 0.0
        for group in tieGroups(scores, order: order) {
            for k in group { if outcomes[order[k]] == 1 { cumulativeEvents += 1 } else { cumulativeNonEvents += 1 } }
            best = max(best, abs(cumulativeEvents / n1 - cumulativeNonEvents / n0))
        }
        return best
    }
}
