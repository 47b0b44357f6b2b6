import OneCheckUtilities
import Scoring
import Supervision

/// The model the README demo scores with (`models/default.json`): the ``TrueModel`` plus scorecard points, grade
/// bands A–D per head and the supervision class.
///
/// - Points: 600 points at good:bad odds of 50:1, 20 more points for each doubling of the odds.
/// - Grades: cut on the probability of a problem at the 40 %, 75 % and 95 % quantiles of each head's probability
///   over a *reference population* — the first ``referenceEntities`` entities of the city with seed
///   ``referenceSeed`` — rounded to three significant digits, so the shares are about A 40 %, B 35 %, C 20 %,
///   D 5 % in any city drawn from the same formula. The reference is fixed, so the model does not depend on the
///   seed or size of the city being generated.
/// - Supervision class: the worst grade over all heads.
public enum DefaultModel {
    public static let referenceSeed: UInt64 = 20_261_129
    public static let referenceEntities = 100_000
    public static let points = ScoringModel.PointsScaling(basePoints: 600, baseOdds: 50, pointsToDoubleOdds: 20)
    public static let name = "synthetic-city-default"

    /// The default model of ``TrueModel/standard``, built once per process.
    public static let standard: ScoringModel = make()

    /// Builds the default model (draws the reference population of ``referenceEntities`` entities).
    public static func make(from truth: TrueModel = .standard) -> ScoringModel {
        let cuts = gradeCuts(truth)
        var model = truth.scoringModel()
        model.name = name
        model.description = "Default model for the synthetic city: the true model with scorecard points (600 at "
            + "50:1, 20 to double the odds), probability grade bands A-D at the 40/75/95 % quantiles of a fixed "
            + "reference population, and a supervision class = worst grade over all heads."
        for h in model.heads.indices {
            model.heads[h].points = points
            model.heads[h].grades = ScoringModel.GradeBands(measure: .probability, cuts: cuts[h],
                                                           labels: Grade.labels)
        }
        model.supervisionClass = ScoringModel.SupervisionClassRule(rule: .worst, heads: model.heads.map(\.name))
        return model
    }

    /// Per head, the three probability cut points.
    public static func gradeCuts(_ truth: TrueModel = .standard) -> [[Double]] {
        let drawer = EntityDrawer(seed: referenceSeed, model: truth)
        let heads = truth.heads.count
        let chunk = 8192
        let chunks = (referenceEntities + chunk - 1) / chunk
        let parts: [[Double]] = concurrentMap(count: chunks) { c in
            let range = (c * chunk)..<Swift.min(referenceEntities, (c + 1) * chunk)
            var units = [Int64](repeating: 0, count: drawer.features.count)
            var design = [Double](repeating: 0, count: truth.designColumns.count)
            var eta = [Double](repeating: 0, count: heads)
            var out: [Double] = []
            out.reserveCapacity(range.count * heads)
            for i in range {
                _ = units.withUnsafeMutableBufferPointer { drawer.drawEntity(index: i, units: $0) }
                units.withUnsafeBufferPointer { u in design.withUnsafeMutableBufferPointer { drawer.kernel.designRow(units: u, into: $0) } }
                design.withUnsafeBufferPointer { x in eta.withUnsafeMutableBufferPointer { drawer.kernel.linearPredictors(design: x, into: $0) } }
                out.append(contentsOf: eta)
            }
            return out
        }
        var cuts: [[Double]] = []
        for h in 0..<heads {
            var values: [Double] = []
            values.reserveCapacity(referenceEntities)
            for part in parts { for r in stride(from: h, to: part.count, by: heads) { values.append(part[r]) } }
            values.sort()
            var headCuts: [Double] = []
            var cumulative = 0.0
            for share in QuotaPolicy.gradeShares.dropLast() {
                cumulative += share
                let position = Swift.min(values.count - 1, Int((cumulative * Double(values.count)).rounded(.down)))
                var cut = TrueModel.significant(CityMath.logistic(values[position]), digits: 3)
                // Rounding can only merge neighbours when two quantiles agree to three digits; keep them ordered.
                if let last = headCuts.last, cut <= last { cut = TrueModel.significant(last * 1.01, digits: 4) }
                headCuts.append(cut)
            }
            cuts.append(headCuts)
        }
        return cuts
    }
}
