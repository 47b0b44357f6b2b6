import Tables

/// The per-head output rules flattened into plain arrays, so formatting a row touches no reference-counted
/// values: copying a ``HeadOutput`` (arrays and strings inside) per row and head cost more than formatting it.
struct HeadFormatPlan {
    let heads: Int
    let logistic: [Bool]
    /// `points = offset − factor · score`; NaN factor = the head has no points.
    let factor: [Double]
    let offset: [Double]
    /// nil: the head has no grade bands.
    let measure: [ScoringModel.GradeMeasure?]
    let cuts: [[Double]]
    let labels: [[[UInt8]]]
    let classRule: ScoringModel.SupervisionClassRule.Rule?
    let classHeads: [Int]
    let scoreDecimals: Int
    let probabilityDecimals: Int
    let pointsDecimals: Int

    init(model: CompiledModel, options: ScoreOptions) {
        heads = model.headCount
        logistic = model.heads.map(\.logistic)
        factor = model.heads.map { $0.pointsFactor ?? .nan }
        offset = model.heads.map(\.pointsOffset)
        measure = model.heads.map(\.gradeMeasure)
        cuts = model.heads.map(\.gradeCuts)
        labels = model.heads.map { $0.labels.map { Array($0.utf8) } }
        classRule = model.classRule
        classHeads = model.classHeads
        scoreDecimals = options.scoreDecimals
        probabilityDecimals = options.probabilityDecimals
        pointsDecimals = options.pointsDecimals
    }

    /// Appends every head's fields for one row (and the class), given its `heads` linear scores.
    /// Grades come from ``HeadOutput/gradeIndex(_:cuts:score:probability:points:)``; grade indices are left in `grades`.
    @inline(__always)
    /// Returns the supervision class index (−1 when the model has no class rule).
    @discardableResult
    func appendHeads(scores: UnsafePointer<Double>, grades: UnsafeMutablePointer<Int>, to out: CSVRowBuffer) -> Int {
        for j in 0..<heads {
            let s = scores[j]
            out.appendField(s, decimals: scoreDecimals)
            var p = 0.0
            if logistic[j] {
                p = HeadOutput.logistic(s)
                out.appendField(p, decimals: probabilityDecimals)
            }
            let f = factor[j]
            let points = offset[j] - f * s
            if !f.isNaN { out.appendField(points, decimals: pointsDecimals) }
            var g = -1
            if let m = measure[j] {
                g = cuts[j].withUnsafeBufferPointer {
                    HeadOutput.gradeIndex(m, cuts: $0, score: s, probability: p, points: points)
                }
            }
            grades[j] = g
            if g >= 0 { labels[j][g].withUnsafeBytes { out.appendField(utf8: $0) } }
        }
        guard let rule = classRule else { return -1 }
        let first = classHeads[0]
        var worst = grades[first]
        if rule == .worst { for h in classHeads { worst = Swift.max(worst, grades[h]) } }
        labels[first][worst].withUnsafeBytes { out.appendField(utf8: $0) }
        return worst
    }
}
