extension Metrics {
    /// Hit rate and lift when only the top `fraction` of rows by score can be acted on (inspected, declined).
    public struct TopShare: Equatable, Sendable {
        /// The requested share of rows, in (0, 1].
        public let fraction: Double
        /// Rows selected: `fraction·n` (not rounded — ties and the boundary row are counted fractionally).
        public let selected: Double
        /// Expected events among the selected rows.
        public let events: Double
        /// `events / selected`: the precision of acting on the top share.
        public let hitRate: Double
        /// The overall event rate.
        public let baseRate: Double
        /// `hitRate / baseRate` (1 = no better than random selection).
        public let lift: Double
        /// `events / total events`: the share of all events captured (recall).
        public let capture: Double
    }

    /// Hit rate and lift in the top `fraction` of rows, highest scores first.
    ///
    /// Capacity is `c = fraction·n` rows. Rows are taken in descending score order; when the boundary falls inside a
    /// group of tied scores, that group contributes the share of it that fits, with its events counted
    /// in proportion (the expected value under a random order within the tie). So the result never depends on row
    /// order, and a fraction of `1` gives a hit rate equal to the base rate.
    /// - Throws: ``MetricsError`` for bad input or `fraction ∉ (0, 1]`.
    /// - Complexity: O(n log n).
    public static func topShare(_ fraction: Double, scores: [Double], outcomes: [Double]) throws -> TopShare {
        guard fraction > 0, fraction <= 1 else {
            throw MetricsError.invalidParameter("top share is \(fraction); expected a fraction in (0, 1]")
        }
        let totalEvents = Double(try validate(scores, outcomes, needBothClasses: false))
        let n = Double(scores.count)
        let capacity = fraction * n
        let order = ascendingOrder(scores)
        var taken = 0.0, events = 0.0
        for group in tieGroups(scores, order: order).reversed() {
            let size = Double(group.count)
            let groupEvents = Double(group.filter { outcomes[order[$0]] == 1 }.count)
            let share = min(1, (capacity - taken) / size)
            taken += share * size
            events += share * groupEvents
            if taken >= capacity { break }
        }
        let baseRate = totalEvents / n
        let hitRate = events / capacity
        return TopShare(fraction: fraction, selected: capacity, events: events, hitRate: hitRate, baseRate: baseRate,
                        lift: baseRate > 0 ? hitRate / baseRate : .nan,
                        capture: totalEvents > 0 ? events / totalEvents : .nan)
    }
}
