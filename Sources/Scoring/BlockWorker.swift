import LinearAlgebra
import Synchronization
import Tables

/// What one worker leaves for the sink after scoring its share of a block: the formatted rows and the rows' id
/// hashes. Each worker has two, used by alternate blocks, so that the sink can write one while the worker fills
/// the other. The job hands a slot over through the sink's semaphores (which order the uses); the lock only makes
/// each use exclusive, and is taken once per chunk of 256 rows.
final class ScoredShare: Sendable {
    struct Contents {
        /// The share's rows, as 0-based data-row indices in the file.
        var fileRows: Range<Int> = 0..<0
        var idHashes: [UInt64] = []
        /// Grows to the share's output on the first blocks, then stays.
        let output = CSVRowBuffer(capacity: 256 << 10)
    }
    let contents = Mutex(Contents())

    /// Whether the share has no rows (a worker left idle by a small block).
    var isEmpty: Bool { contents.withLock { $0.fileRows.isEmpty } }
}

/// What a thread needs while it scores a chunk of a share and not after: the chunk's field index, design rows and
/// linear scores. One per thread, not per share, so that they cost one chunk per thread however many shares a
/// block has. A thread holds its scratch for a whole block (``ScoreJob/score(_:workers:scratch:slot:)``).
struct ShareScratch: Sendable {
    let fields = CSVFieldIndex()
    var design: [Double] = []
    var linear: [Double] = []
    /// With reasons: per chunk row and feature, 1 when the value is missing.
    var missing: [UInt8] = []
}

/// Scores one contiguous share of a block: split fields → encode → product → check → format. One per share
/// (``ScoreJob`` cuts each block into four shares per thread), reused across blocks so its output buffers are
/// allocated once.
final class BlockWorker {
    let model: CompiledModel
    let layout: InputLayout
    let options: ScoreOptions
    private let encoder: DesignEncoder
    private(set) var rows: Range<Int> = 0..<0
    private var grades: [Int]
    /// The two alternating result slots, and the one the current block fills.
    let shares = [ScoredShare(), ScoredShare()]
    private var share: ScoredShare
    private let formatPlan: HeadFormatPlan
    /// With reasons: their ranking and output, else nil (the path without reasons is unchanged).
    private let reasonPlan: ReasonFormatPlan?
    private(set) var failure: Error?
    /// Rows per supervision class index, accumulated over every block this worker scored.
    private(set) var classCounts: [Int]

    init(model: CompiledModel, layout: InputLayout, options: ScoreOptions) {
        self.model = model
        self.layout = layout
        self.options = options
        encoder = DesignEncoder(model: model, featureColumns: layout.featureColumns)
        grades = [Int](repeating: -1, count: model.headCount)
        share = shares[0]
        formatPlan = HeadFormatPlan(model: model, options: options)
        reasonPlan = options.reasons.map { ReasonFormatPlan($0, options: options) }
        classCounts = [Int](repeating: 0, count: layout.schema.classLabels.count)
    }

    /// Takes rows `rows` of the next block (whose first row is data row `firstRowIndex` of the file), with results
    /// in `shares[slot]`, which the sink must have released.
    func assign(_ rows: Range<Int>, firstRowIndex: Int, slot: Int) {
        self.rows = rows
        failure = nil
        share = shares[slot]
        share.contents.withLock { c in
            c.fileRows = (firstRowIndex + rows.lowerBound)..<(firstRowIndex + rows.upperBound)
            c.output.removeAll()
            c.idHashes.removeAll(keepingCapacity: true)
        }
    }

    /// Processes the assigned rows of `records`, using `scratch` (which no other thread uses meanwhile); on a bad
    /// row records the error and stops. A ragged row is reported after any problem in the rows before it.
    ///
    /// The rows go through split → encode → product → format one chunk (``chunkRows``) at a time, so that each
    /// stage finds the chunk's text, field index and design matrix still in the core's cache.
    func process(_ records: CSVRecordBlock, scratch: inout ShareScratch) {
        let p = model.designWidth, h = model.headCount
        if scratch.design.count < Self.chunkRows * p { scratch.design = [Double](repeating: 0, count: Self.chunkRows * p) }
        if scratch.linear.count < Self.chunkRows * h { scratch.linear = [Double](repeating: 0, count: Self.chunkRows * h) }
        let result: Error? = share.contents.withLock { contents in
            do {
                var start = rows.lowerBound
                while start < rows.upperBound {
                    let chunk = start..<min(rows.upperBound, start + Self.chunkRows)
                    let (block, ragged) = records.splitFields(rows: chunk, into: scratch.fields)
                    let hashesBefore = contents.idHashes.count
                    try encode(block, hashes: &contents.idHashes, into: &scratch.design)
                    let n = block.rowCount
                    let bad = scratch.design.withUnsafeBufferPointer { d in
                        scratch.linear.withUnsafeMutableBufferPointer { l in
                            model.linearScores(design: d.baseAddress!, rows: n, into: l.baseAddress!)
                            return model.firstNonFinite(l.baseAddress!, rows: n)
                        }
                    }
                    if let bad {
                        // The rows after the refused one are not recorded (their ids come after the error).
                        contents.idHashes.removeSubrange((hashesBefore + bad.row + 1)...)
                        throw scratch.design.withUnsafeBufferPointer { d in
                            encoder.overflowError(block, row: bad.row, designRow: d.baseAddress! + bad.row * p,
                                                  head: bad.head, points: bad.points)
                        }
                    }
                    if let reasonPlan {
                        let f = reasonPlan.ranking.featureCount
                        if scratch.missing.count < n * f { scratch.missing = [UInt8](repeating: 0, count: Self.chunkRows * f) }
                        scratch.missing.withUnsafeMutableBufferPointer { m in
                            encoder.missingFlags(block, 0..<n, checks: reasonPlan.ranking.missingChecks,
                                                 featureCount: f, into: m.baseAddress!)
                        }
                        formatWithReasons(block, scores: scratch.linear, design: scratch.design,
                                          missing: scratch.missing, plan: reasonPlan, into: contents.output)
                    } else {
                        format(block, scores: scratch.linear, into: contents.output)
                    }
                    if let ragged { throw ragged }
                    start = chunk.upperBound
                }
                return nil
            } catch {
                return error
            }
        }
        failure = result
    }

    /// Rows per chunk: the chunk's text, field index and design rows fit together in a core's L2 cache.
    static let chunkRows = 256

    /// Encodes the rows of `block` into `design` and appends their id hashes: by columns when every value is good,
    /// which is nearly always; else row by row, which stops at the first bad value in file order, leaving the
    /// hashes of the rows before it (and of its own row when the id is good) for the sink to check for an earlier
    /// duplicate.
    private func encode(_ block: CSVBlock, hashes: inout [UInt64], into design: inout [Double]) throws {
        let before = hashes.count
        let idColumn = layout.idColumn
        let encoded = design.withUnsafeMutableBufferPointer { d -> Bool in
            for row in 0..<block.rowCount {
                if block.isMissing(row: row, column: idColumn) { return false }
                hashes.append(block.withFieldBytes(row: row, column: idColumn) { IdentifierLedger.hash($0) })
            }
            return encoder.encodeByColumns(block, 0..<block.rowCount, into: d.baseAddress!)
        }
        if encoded { return }
        hashes.removeSubrange(before...)
        try design.withUnsafeMutableBufferPointer { d in
            try encoder.encodeByRows(block, 0..<block.rowCount, into: d.baseAddress!) { row in
                let hash = block.withFieldBytes(row: row, column: idColumn) { IdentifierLedger.hash($0) }
                if block.isMissing(row: row, column: idColumn) {
                    throw block.error(.missingValue, row: row, column: idColumn, expected: "an entity id")
                }
                hashes.append(hash)
            }
        }
    }

    private func format(_ block: CSVBlock, scores linear: [Double], into out: CSVRowBuffer) {
        let plan = formatPlan, h = plan.headCount
        let idColumn = layout.idColumn, passThrough = layout.passThroughColumns
        let rows = 0..<block.rowCount
        var counts = classCounts
        defer { classCounts = counts }
        linear.withUnsafeBufferPointer { scores in
            grades.withUnsafeMutableBufferPointer { g in
                for row in rows {
                    block.withFieldBytes(row: row, column: idColumn) { out.appendField(utf8: $0) }
                    for c in passThrough {
                        block.withFieldBytes(row: row, column: c) { out.appendField(utf8: $0) }
                    }
                    let cls = plan.appendHeads(scores: scores.baseAddress! + row * h, grades: g.baseAddress!, to: out)
                    if cls >= 0 { counts[cls] += 1 }
                    out.endRow()
                }
            }
        }
    }

    /// ``format(_:scores:into:)`` followed, on each row, by the row's reasons (``ReasonFormatPlan``).
    private func formatWithReasons(_ block: CSVBlock, scores linear: [Double], design: [Double], missing: [UInt8],
                                   plan reasons: ReasonFormatPlan, into out: CSVRowBuffer) {
        let plan = formatPlan, h = plan.headCount, p = model.designWidth, f = reasons.ranking.featureCount
        let idColumn = layout.idColumn, passThrough = layout.passThroughColumns
        var counts = classCounts
        defer { classCounts = counts }
        linear.withUnsafeBufferPointer { scores in
            design.withUnsafeBufferPointer { x in
                missing.withUnsafeBufferPointer { m in
                    grades.withUnsafeMutableBufferPointer { g in
                        for row in 0..<block.rowCount {
                            block.withFieldBytes(row: row, column: idColumn) { out.appendField(utf8: $0) }
                            for c in passThrough {
                                block.withFieldBytes(row: row, column: c) { out.appendField(utf8: $0) }
                            }
                            let cls = plan.appendHeads(scores: scores.baseAddress! + row * h, grades: g.baseAddress!, to: out)
                            if cls >= 0 { counts[cls] += 1 }
                            reasons.appendReasons(design: x.baseAddress! + row * p, missing: m.baseAddress! + row * f, to: out)
                            out.endRow()
                        }
                    }
                }
            }
        }
    }
}
