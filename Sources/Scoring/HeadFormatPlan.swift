import Tables

/// The per-head output rules flattened into plain memory, so formatting a row touches no reference-counted value.
///
/// Why: copying a ``HeadOutput`` (arrays and strings inside) per row and head costs more than formatting it, and
/// even nested arrays read in place cost a retain and a release per access. Here everything sits in buffers this
/// object owns and frees, read through plain pointers; the object is used by one worker (one thread at a time).
final class HeadFormatPlan {
    /// One head's rules.
    struct Head {
        var logistic: Bool
        /// `points = offset − factor · score`; NaN factor = the head has no points.
        var factor: Double
        var offset: Double
        /// nil: the head has no grade bands.
        var measure: ScoringModel.GradeMeasure?
        /// The head's cut points are `cuts[cutsStart ..< cutsStart + cutsCount]`.
        var cutsStart: Int
        var cutsCount: Int
        /// Label `g` of the head is `labelBytes[labelEnds[labelsStart + g − 1] ..< labelEnds[labelsStart + g]]`
        /// (starting at `labelEnds[labelsStart − 1]`, or 0 for the very first label).
        var labelsStart: Int
    }

    let headCount: Int
    private let heads: UnsafeMutableBufferPointer<Head>
    private let cuts: UnsafeMutableBufferPointer<Double>
    private let labelBytes: UnsafeMutableBufferPointer<UInt8>
    /// End offset of each label in `labelBytes`, heads' labels one after the other.
    private let labelEnds: UnsafeMutableBufferPointer<Int>
    /// Whether no label needs CSV quotes (``CSVRowBuffer/isPlainField(_:separator:)``): then labels are
    /// copied as they are, without the per-byte scan for quotes and separators.
    private let plainLabels: Bool
    private let classRule: ScoringModel.SupervisionClassRule.Rule?
    private let classHeads: UnsafeMutableBufferPointer<Int>
    let scoreDecimals: Int
    let probabilityDecimals: Int
    let pointsDecimals: Int

    init(model: CompiledModel, options: ScoreOptions) {
        headCount = model.headCount
        var flatHeads: [Head] = [], flatCuts: [Double] = [], bytes: [UInt8] = [], ends: [Int] = []
        for head in model.heads {
            flatHeads.append(Head(logistic: head.logistic, factor: head.pointsFactor ?? .nan, offset: head.pointsOffset,
                                  measure: head.gradeMeasure, cutsStart: flatCuts.count,
                                  cutsCount: head.gradeCuts.count, labelsStart: ends.count))
            flatCuts += head.gradeCuts
            for label in head.labels {
                bytes += Array(label.utf8)
                ends.append(bytes.count)
            }
        }
        heads = FlatStorage.copy(flatHeads)
        cuts = FlatStorage.copy(flatCuts)
        labelBytes = FlatStorage.copy(bytes)
        labelEnds = FlatStorage.copy(ends)
        plainLabels = CSVRowBuffer.isPlainField(bytes)
        classRule = model.classRule
        classHeads = FlatStorage.copy(model.classHeads)
        scoreDecimals = options.scoreDecimals
        probabilityDecimals = options.probabilityDecimals
        pointsDecimals = options.pointsDecimals
    }

    deinit {
        heads.deallocate()
        cuts.deallocate()
        labelBytes.deallocate()
        labelEnds.deallocate()
        classHeads.deallocate()
    }

    /// Label `g` of the head whose labels start at `labelsStart`, as bytes.
    @inline(__always)
    private func label(_ labelsStart: Int, _ g: Int) -> UnsafeRawBufferPointer {
        let k = labelsStart + g
        let start = k == 0 ? 0 : labelEnds[k - 1]
        return UnsafeRawBufferPointer(start: labelBytes.baseAddress! + start, count: labelEnds[k] - start)
    }

    /// Appends every head's fields for one row (and the class), given its `headCount` linear scores.
    /// Grades come from ``HeadOutput/gradeIndex(_:cuts:score:probability:points:)``; grade indices are left in
    /// `grades`. Returns the supervision class index (−1 when the model has no class rule).
    @inline(__always)
    @discardableResult
    func appendHeads(scores: UnsafePointer<Double>, grades: UnsafeMutablePointer<Int>, to out: CSVRowBuffer) -> Int {
        for j in 0..<headCount {
            let head = heads[j]
            let s = scores[j]
            out.appendField(s, decimals: scoreDecimals)
            var p = 0.0
            if head.logistic {
                p = HeadOutput.logistic(s)
                out.appendField(p, decimals: probabilityDecimals)
            }
            let points = head.offset - head.factor * s
            if !head.factor.isNaN { out.appendField(points, decimals: pointsDecimals) }
            var g = -1
            if let m = head.measure {
                let headCuts = UnsafeBufferPointer(rebasing: cuts[head.cutsStart..<(head.cutsStart + head.cutsCount)])
                g = HeadOutput.gradeIndex(m, cuts: headCuts, score: s, probability: p, points: points)
                appendLabel(label(head.labelsStart, g), to: out)
            }
            grades[j] = g
        }
        guard let rule = classRule else { return -1 }
        let first = classHeads[0]
        var worst = grades[first]
        if rule == .worst { for h in classHeads { worst = Swift.max(worst, grades[h]) } }
        appendLabel(label(heads[first].labelsStart, worst), to: out)
        return worst
    }

    @inline(__always)
    private func appendLabel(_ bytes: UnsafeRawBufferPointer, to out: CSVRowBuffer) {
        if plainLabels { out.appendRawField(bytes) } else { out.appendField(utf8: bytes) }
    }
}
