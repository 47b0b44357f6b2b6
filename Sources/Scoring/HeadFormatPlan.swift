import Tables

/// The per-head output rules flattened into plain arrays, so formatting a row touches no reference-counted
/// values: copying a ``HeadOutput`` (arrays and strings inside) per row and head cost more than formatting it.
struct HeadFormatPlan {
    let heads: Int
    let logistic: [Bool]
    /// `points = offset − factor · score`; NaN factor = the head has no points.
    let factor: [Double]
    let offset: [Double]
    /// 0 no grades, 1 probability, 2 score, 3 points.
    let measure: [UInt8]
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
        measure = model.heads.map { h in
            switch h.gradeMeasure {
            case nil: return 0
            case .probability?: return 1
            case .score?: return 2
            case .points?: return 3
            }
        }
        cuts = model.heads.map(\.gradeCuts)
        labels = model.heads.map { $0.labels.map { Array($0.utf8) } }
        classRule = model.classRule
        classHeads = model.classHeads
        scoreDecimals = options.scoreDecimals
        probabilityDecimals = options.probabilityDecimals
        pointsDecimals = options.pointsDecimals
    }

    /// Appends every head's fields for one row (and the class), given its `heads` linear scores.
    /// Same rules as ``HeadOutput`` (which the tests pin down); grade indices are left in `grades`.
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
            switch measure[j] {
            case 1: g = cuts[j].withUnsafeBufferPointer { c in var i = 0; while i < c.count && p >= c[i] { i += 1 }; return i }
            case 2: g = cuts[j].withUnsafeBufferPointer { c in var i = 0; while i < c.count && s >= c[i] { i += 1 }; return i }
            case 3: g = cuts[j].withUnsafeBufferPointer { c in var i = 0; while i < c.count && points < c[i] { i += 1 }; return i }
            default: break
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
