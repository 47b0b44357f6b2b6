extension Metrics {
    /// Every metric of a probability model on one data set (what `onecheck evaluate` prints).
    public struct Report: Equatable, Sendable {
        public let count: Int
        public let events: Int
        public let auc: Double
        public let gini: Double
        public let ks: Double
        public let logLoss: Double
        public let brier: Double
        /// Hit rate and lift in the top 10 %.
        public let topDecile: TopShare
        public let calibration: Calibration
    }

    /// Evaluates predicted event probabilities against outcomes (both classes must occur).
    public static func report(probabilities: [Double], outcomes: [Double]) throws -> Report {
        let events = try validate(probabilities, outcomes, needBothClasses: true)
        let auc = try auc(scores: probabilities, outcomes: outcomes)
        return Report(
            count: outcomes.count, events: events, auc: auc, gini: 2 * auc - 1,
            ks: try ks(scores: probabilities, outcomes: outcomes),
            logLoss: try logLoss(probabilities: probabilities, outcomes: outcomes),
            brier: try brier(probabilities: probabilities, outcomes: outcomes),
            topDecile: try topShare(0.1, scores: probabilities, outcomes: outcomes),
            calibration: try calibration(probabilities: probabilities, outcomes: outcomes))
    }
}
