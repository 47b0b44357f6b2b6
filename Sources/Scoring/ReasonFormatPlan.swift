import Tables

/// A ``ReasonRanking`` flattened into plain memory for the scoring hot path, as ``HeadFormatPlan`` does for the
/// heads: ranks one row's reasons for every head and appends them, touching no reference-counted value per row.
/// Used by one worker (one thread at a time).
final class ReasonFormatPlan {
    let ranking: ReasonRanking
    private let weights: UnsafeMutableBufferPointer<Double>
    private let baselines: UnsafeMutableBufferPointer<Double>
    private let offsets: UnsafeMutableBufferPointer<Int>
    private let widths: UnsafeMutableBufferPointer<Int>
    private let costScale: UnsafeMutableBufferPointer<Double>
    private let costDecimals: UnsafeMutableBufferPointer<Int>
    /// Code `i` is `codeBytes[codeEnds[i − 1] ..< codeEnds[i]]` (from 0 for `i = 0`).
    private let codeBytes: UnsafeMutableBufferPointer<UInt8>
    private let codeEnds: UnsafeMutableBufferPointer<Int>
    private let plainCodes: Bool
    /// One row's codes and costs for one head (``ReasonRanking/count`` each).
    private let rowCodes: UnsafeMutableBufferPointer<Int32>
    private let rowCosts: UnsafeMutableBufferPointer<Double>

    init(_ ranking: ReasonRanking, options: ScoreOptions) {
        self.ranking = ranking
        weights = FlatStorage.copy(ranking.headWeights)
        baselines = FlatStorage.copy(ranking.baselines)
        offsets = FlatStorage.copy(ranking.offsets)
        widths = FlatStorage.copy(ranking.widths)
        costScale = FlatStorage.copy(ranking.costScale)
        costDecimals = FlatStorage.copy(ranking.costInPoints.map { $0 ? options.pointsDecimals : options.scoreDecimals })
        var bytes: [UInt8] = [], ends: [Int] = []
        for code in ranking.codes { bytes += Array(code.utf8); ends.append(bytes.count) }
        codeBytes = FlatStorage.copy(bytes)
        codeEnds = FlatStorage.copy(ends)
        plainCodes = CSVRowBuffer.isPlainField(bytes)
        rowCodes = FlatStorage.copy([Int32](repeating: -1, count: ranking.count))
        rowCosts = FlatStorage.copy([Double](repeating: 0, count: ranking.count))
    }

    deinit {
        weights.deallocate(); baselines.deallocate(); offsets.deallocate(); widths.deallocate()
        costScale.deallocate(); costDecimals.deallocate(); codeBytes.deallocate(); codeEnds.deallocate()
        rowCodes.deallocate(); rowCosts.deallocate()
    }

    /// Ranks the row's reasons for every head and appends, per head and rank, the code and the cost (points below
    /// the best for heads with points, else score units); two empty fields past the last reason.
    @inline(__always)
    func appendReasons(design: UnsafePointer<Double>, missing: UnsafePointer<UInt8>, to out: CSVRowBuffer) {
        let k = ranking.count
        for h in 0..<ranking.headCount {
            let found = ranking.rank(design: design, missing: missing, head: h, weights: weights.baseAddress!,
                                     baselines: baselines.baseAddress!, offsets: offsets.baseAddress!,
                                     widths: widths.baseAddress!, codes: rowCodes.baseAddress!,
                                     costs: rowCosts.baseAddress!)
            let scale = costScale[h], decimals = costDecimals[h]
            for i in 0..<found {
                let code = Int(rowCodes[i])
                let start = code == 0 ? 0 : codeEnds[code - 1]
                let bytes = UnsafeRawBufferPointer(start: codeBytes.baseAddress! + start, count: codeEnds[code] - start)
                if plainCodes { out.appendRawField(bytes) } else { out.appendField(utf8: bytes) }
                out.appendField(rowCosts[i] * scale, decimals: decimals)
            }
            for _ in found..<k { out.appendMissingField(); out.appendMissingField() }
        }
    }
}
