import LinearAlgebra

/// A validated model prepared for scoring: encoders per feature, the weight matrix `W` (design columns × heads,
/// row-major) and the per-head output rules.
///
/// Heads are scored together: for a block of `b` design rows `X`, `S = X·W + 1·interceptᵀ` is one tall, thin
/// product (``TallProduct``: a gemm kernel for few columns, exact to the bit on every CPU).
public struct CompiledModel: Sendable {
    public let model: ScoringModel
    public let designColumns: [String]
    public let encoders: [FeatureEncoder]
    /// The first design column of each feature.
    public let designOffsets: [Int]
    /// `p × H`, row-major: `weights[c, h]` is head `h`'s weight on design column `c`.
    public let weights: Matrix
    /// ``weights`` packed for ``TallProduct``.
    public let packedWeights: PackedHeads
    public let intercepts: [Double]
    public let heads: [HeadOutput]
    /// Indices into ``heads`` combined into the supervision class, and the rule.
    public let classHeads: [Int]
    public let classRule: ScoringModel.SupervisionClassRule.Rule?
    /// Per head, `points = offset − factor · score`; 0 and 0 for heads without points (for the finiteness check).
    let pointsFactors: [Double]
    let pointsOffsets: [Double]

    public var designWidth: Int { designColumns.count }
    public var headCount: Int { heads.count }

    /// Compiles a model; validates it first (so it also accepts models built in code).
    public init(_ model: ScoringModel, file: String = "model") throws {
        try model.validate(file: file)
        self.model = model
        let columns = model.designColumns
        designColumns = columns
        var encs: [FeatureEncoder] = [], offsets: [Int] = [], at = 0
        for f in model.features {
            let e: FeatureEncoder
            if let n = f.numeric { e = .numeric(NumericEncoder(n)) }
            else if let c = f.categorical { e = .categorical(CategoricalEncoder(c)) }
            else { e = .binned(BinnedEncoder(f.binned!)) }
            encs.append(e); offsets.append(at); at += e.width
        }
        precondition(at == columns.count, "encoder widths disagree with design columns")
        encoders = encs
        designOffsets = offsets
        var w = Matrix(rows: columns.count, columns: model.heads.count)
        for (h, head) in model.heads.enumerated() {
            for (c, name) in columns.enumerated() { w[c, h] = head.weights[name]! }
        }
        weights = w
        packedWeights = PackedHeads(w)
        intercepts = model.heads.map(\.intercept)
        heads = model.heads.map(HeadOutput.init)
        pointsFactors = heads.map { $0.pointsFactor ?? 0 }
        pointsOffsets = heads.map { $0.pointsFactor == nil ? 0 : $0.pointsOffset }
        if let rule = model.supervisionClass {
            classRule = rule.rule
            classHeads = rule.heads.map { name in model.heads.firstIndex { $0.name == name }! }
        } else {
            classRule = nil
            classHeads = []
        }
    }

    /// The index of the head named `name`.
    /// - Throws: ``ModelError/inputMismatch(file:problem:)`` naming the heads there are.
    public func headIndex(named name: String, file: String = "model") throws -> Int {
        guard let h = heads.firstIndex(where: { $0.name == name }) else {
            throw ModelError.inputMismatch(file: file, problem: "no head named \(name) (heads: "
                + heads.map(\.name).joined(separator: ", ") + ")")
        }
        return h
    }

    /// `linear[i·H + h] = intercept[h] + Σ_c design[i·p + c]·W[c, h]` for `rows` design rows (row-major).
    ///
    /// Each score is the fused multiply-add chain over the design columns in order, starting from the
    /// intercept (``TallProduct``'s contract), so scores are the same bits on every machine and thread count.
    /// Single-threaded: blocks are scored in parallel by the callers. `stores` as in ``TallProduct/Stores``.
    /// - Complexity: O(rows · p · H).
    public func linearScores(design: UnsafePointer<Double>, rows: Int, into linear: UnsafeMutablePointer<Double>,
                             path: TallProduct.Path = .best, stores: TallProduct.Stores = .cached) {
        guard headCount > 0 else { return }
        intercepts.withUnsafeBufferPointer { bias in
            TallProduct.multiply(rows: rows, a: design, lda: designWidth, weights: packedWeights,
                                 bias: bias.baseAddress!, into: linear, ldc: headCount, path: path, stores: stores)
        }
    }

    /// The supervision class label from per-head grade indices (`grades[h]`, −1 when the head has no bands).
    @inline(__always)
    public func supervisionClass(gradeIndices: UnsafePointer<Int>) -> String? {
        guard let rule = classRule else { return nil }
        switch rule {
        case .head:
            let h = classHeads[0]
            return heads[h].labels[gradeIndices[h]]
        case .worst:
            var worst = 0
            for h in classHeads { worst = Swift.max(worst, gradeIndices[h]) }
            return heads[classHeads[0]].labels[worst]
        }
    }
}

/// How one head's linear score becomes probability, points and grade.
public struct HeadOutput: Sendable {
    public let name: String
    public let logistic: Bool
    /// `points = pointsOffset − pointsFactor · score`, when the head has points.
    public let pointsFactor: Double?
    public let pointsOffset: Double
    public let gradeMeasure: ScoringModel.GradeMeasure?
    public let gradeCuts: [Double]
    public let labels: [String]

    init(_ head: ScoringModel.Head) {
        name = head.name
        logistic = head.link == .logistic
        pointsFactor = head.points?.factor
        pointsOffset = head.points?.offset ?? 0
        gradeMeasure = head.grades?.measure
        gradeCuts = head.grades?.cuts ?? []
        labels = head.grades?.resolvedLabels ?? []
    }

    /// The logistic function, evaluated without overflow for any finite score.
    @inline(__always)
    public static func logistic(_ s: Double) -> Double {
        s >= 0 ? 1 / (1 + _exp(-s)) : { let e = _exp(s); return e / (1 + e) }()
    }

    @inline(__always)
    public func probability(_ score: Double) -> Double? { logistic ? Self.logistic(score) : nil }

    @inline(__always)
    public func points(_ score: Double) -> Double? { pointsFactor.map { pointsOffset - $0 * score } }

    /// The grade index (0 = lowest risk) or −1 when the head has no bands.
    ///
    /// A value equal to a cut point belongs to the higher-risk band (`p < cuts[0]` is A; on points,
    /// `points ≥ cuts[0]` is A), matching the half-open bins of ``ScoringModel/BinnedTransform``.
    @inline(__always)
    public func gradeIndex(score: Double, probability: Double?, points: Double?) -> Int {
        guard let measure = gradeMeasure else { return -1 }
        return gradeCuts.withUnsafeBufferPointer {
            Self.gradeIndex(measure, cuts: $0, score: score, probability: probability ?? .nan, points: points ?? .nan)
        }
    }

    /// The band rule itself, on raw cut points: shared by ``gradeIndex(score:probability:points:)`` and the
    /// scoring hot path (which keeps cut points in flat arrays to avoid copying heads per row).
    ///
    /// The grade is the number of cut points the value has passed. Because the cuts are ordered (strictly
    /// increasing, or decreasing on points, as validation requires), that is the index of the first cut not
    /// passed. Counting them all instead of stopping there leaves no branch that depends on the value: grades vary
    /// from row to row, so a search that stops early mispredicts its exit. NaN passes no cut: grade 0.
    /// - Precondition: `cuts` ordered as ``ScoringModel`` validation requires for `measure`.
    @inline(__always)
    static func gradeIndex(_ measure: ScoringModel.GradeMeasure, cuts: UnsafeBufferPointer<Double>,
                           score: Double, probability: Double, points: Double) -> Int {
        // The comparisons become 0 or 1 by their bits: written `? 1 : 0`, the compiler branched again.
        var g = 0
        switch measure {
        case .probability: for cut in cuts { g &+= Int(unsafeBitCast(probability >= cut, to: UInt8.self)) }
        case .score: for cut in cuts { g &+= Int(unsafeBitCast(score >= cut, to: UInt8.self)) }
        case .points: for cut in cuts { g &+= Int(unsafeBitCast(points < cut, to: UInt8.self)) }
        }
        return g
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
