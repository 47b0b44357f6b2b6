extension Metrics {
    /// One group of a calibration table.
    public struct CalibrationBin: Equatable, Sendable {
        public let count: Int
        public let lowestProbability: Double
        public let highestProbability: Double
        /// Mean predicted probability in the group (the expected event rate).
        public let meanPredicted: Double
        /// Observed event rate in the group.
        public let observedRate: Double
        public var events: Double { observedRate * Double(count) }
    }

    /// A calibration table: predicted vs observed event rates by quantile group, plus Hosmer–Lemeshow's statistic.
    public struct Calibration: Equatable, Sendable {
        public let bins: [CalibrationBin]
        /// `Σ_g (O_g − E_g)² / (E_g·(1 − E_g/n_g))` over groups with `0 < E_g < n_g`; compare with χ²(groups − 2).
        public let hosmerLemeshow: Double
    }

    /// Calibration by quantile groups of the predicted probability (deciles by default).
    ///
    /// Rows are sorted by ascending probability (row index breaks ties) and cut into `groups` groups of
    /// `⌊(g+1)·n/groups⌋ − ⌊g·n/groups⌋` rows, so group sizes differ by at most one. Empty groups (n < groups)
    /// are omitted.
    /// - Complexity: O(n log n).
    public static func calibration(probabilities: [Double], outcomes: [Double], groups: Int = 10) throws -> Calibration {
        guard groups > 0 else { throw MetricsError.invalidParameter("calibration needs at least one group") }
        try validate(probabilities, outcomes, needBothClasses: false)
        for (i, p) in probabilities.enumerated() where !(p >= 0 && p <= 1) {
            throw MetricsError.probabilityOutOfRange(index: i, value: p)
        }
        let order = ascendingOrder(probabilities)
        let n = order.count
        var bins: [CalibrationBin] = []
        var statistic = 0.0
        for g in 0..<groups {
            let range = (g * n / groups)..<((g + 1) * n / groups)
            guard !range.isEmpty else { continue }
            var predicted = 0.0, observed = 0.0
            for k in range { predicted += probabilities[order[k]]; observed += outcomes[order[k]] }
            let size = Double(range.count)
            bins.append(CalibrationBin(count: range.count, lowestProbability: probabilities[order[range.lowerBound]],
                                       highestProbability: probabilities[order[range.upperBound - 1]],
                                       meanPredicted: predicted / size, observedRate: observed / size))
            if predicted > 0, predicted < size {
                statistic += (observed - predicted) * (observed - predicted) / (predicted * (1 - predicted / size))
            }
        }
        return Calibration(bins: bins, hosmerLemeshow: statistic)
    }
}
