import LinearAlgebra
import Tables

/// What one worker leaves for the sink after scoring its share of a block: the formatted rows and the rows' id
/// hashes. Each worker has two, used by alternate blocks, so that the sink can write one while the worker fills
/// the other; a slot is touched by one thread at a time (the job hands it over through the sink's semaphores).
final class ScoredShare: @unchecked Sendable {
    /// The share's rows, as 0-based data-row indices in the file.
    fileprivate(set) var fileRows: Range<Int> = 0..<0
    fileprivate(set) var idHashes: [UInt64] = []
    /// Grows to the share's output on the first blocks, then stays.
    let output = CSVRowBuffer(capacity: 256 << 10)
}

/// What a thread needs while it scores a chunk of a share and not after: the chunk's field index, design rows and
/// linear scores. One per thread, not per share, so that they cost one chunk per thread however many shares a
/// block has.
final class ShareScratch {
    let fields = CSVFieldIndex()
    var design: [Double] = []
    var linear: [Double] = []
}

/// Scores one contiguous share of a block: split fields → encode → product → format. One per share (``ScoreJob``
/// cuts each block into four shares per thread), reused across blocks so its output buffers are allocated once.
final class BlockWorker {
    let model: CompiledModel
    let layout: InputLayout
    let options: ScoreOptions
    private(set) var rows: Range<Int> = 0..<0
    private var grades: [Int]
    /// The two alternating result slots, and the one the current block fills.
    let shares = [ScoredShare(), ScoredShare()]
    private var share: ScoredShare
    private let formatPlan: HeadFormatPlan
    private(set) var failure: Error?
    /// Rows per supervision class index, accumulated over every block this worker scored.
    private(set) var classCounts: [Int]

    init(model: CompiledModel, layout: InputLayout, options: ScoreOptions) {
        self.model = model
        self.layout = layout
        self.options = options
        grades = [Int](repeating: -1, count: model.headCount)
        share = shares[0]
        formatPlan = HeadFormatPlan(model: model, options: options)
        classCounts = [Int](repeating: 0, count: model.classRule == nil ? 0 : model.heads[model.classHeads[0]].labels.count)
    }

    /// Takes rows `rows` of the next block (whose first row is data row `firstRowIndex` of the file), with results
    /// in `shares[slot]`, which the sink must have released.
    func assign(_ rows: Range<Int>, firstRowIndex: Int, slot: Int) {
        self.rows = rows
        failure = nil
        share = shares[slot]
        share.fileRows = (firstRowIndex + rows.lowerBound)..<(firstRowIndex + rows.upperBound)
        share.output.removeAll()
        share.idHashes.removeAll(keepingCapacity: true)
    }

    /// Processes the assigned rows of `records`, using `scratch` (which no other thread uses meanwhile); on a bad
    /// row records the error and stops. A ragged row is reported after any problem in the rows before it.
    ///
    /// The rows go through split → encode → product → format one chunk (``chunkRows``) at a time, so that each
    /// stage finds the chunk's text, field index and design matrix still in the core's cache: split a whole share
    /// first and half of encoding's time was spent waiting for field offsets and bytes to come back from L3.
    func process(_ records: CSVRecordBlock, scratch: ShareScratch) {
        let p = model.designWidth, h = model.headCount
        if scratch.design.count < Self.chunkRows * p { scratch.design = [Double](repeating: 0, count: Self.chunkRows * p) }
        if scratch.linear.count < Self.chunkRows * h { scratch.linear = [Double](repeating: 0, count: Self.chunkRows * h) }
        do {
            var start = rows.lowerBound
            while start < rows.upperBound {
                let chunk = start..<min(rows.upperBound, start + Self.chunkRows)
                let (block, ragged) = records.splitFields(rows: chunk, into: scratch.fields)
                try encode(block, into: &scratch.design)
                let n = block.rowCount
                scratch.design.withUnsafeBufferPointer { d in
                    scratch.linear.withUnsafeMutableBufferPointer { l in
                        model.linearScores(design: d.baseAddress!, rows: n, into: l.baseAddress!)
                    }
                }
                format(block, scores: scratch.linear)
                if let ragged { throw ragged }
                start = chunk.upperBound
            }
        } catch {
            failure = error
        }
    }

    /// Rows per chunk: the chunk's text (~40 KB for the city), field index (~84 KB) and design rows (~86 KB) fit
    /// together in a core's L2 (512 KiB here).
    static let chunkRows = 256

    /// Encodes the rows of `block` into `design` and their id hashes into the share: by columns when every value
    /// is good, which is nearly always; else row by row, which stops at the first bad value in file order.
    private func encode(_ block: CSVBlock, into design: inout [Double]) throws {
        // Move the array out (not copy) so that appending does not copy its buffer.
        let share = self.share
        var hashes = share.idHashes
        share.idHashes = []
        let before = hashes.count
        let encoded = design.withUnsafeMutableBufferPointer { encodeByColumns(block, into: $0.baseAddress!, hashes: &hashes) }
        if !encoded { hashes.removeSubrange(before...) }
        share.idHashes = hashes
        if !encoded { try encodeByRows(block, into: &design) }
    }

    /// Encodes one feature (column) at a time, so that the encoder is chosen, and its parameters loaded, once per
    /// column and chunk rather than once per value. Appends the rows' id hashes. Returns false at the first value
    /// that does not encode — not necessarily the first in file order — leaving the design and hashes incomplete.
    private func encodeByColumns(_ block: CSVBlock, into design: UnsafeMutablePointer<Double>,
                                 hashes: inout [UInt64]) -> Bool {
        let p = model.designWidth, rows = 0..<block.rowCount
        let encoders = model.encoders, offsets = model.designOffsets, columns = layout.featureColumns
        let idColumn = layout.idColumn
        for row in rows {
            if block.isMissing(row: row, column: idColumn) { return false }
            hashes.append(block.withFieldBytes(row: row, column: idColumn) { IdentifierLedger.hash($0) })
        }
        for f in 0..<encoders.count {
            let column = columns[f], out = design + offsets[f]
            do throws(EncodingFailure) {
                switch encoders[f] {
                case let .numeric(e):
                    for row in rows { try e.encode(try number(block, row, column), into: out + row &* p) }
                case let .binned(e):
                    for row in rows { try e.encode(try number(block, row, column), into: out + row &* p) }
                case let .categorical(e):
                    for row in rows {
                        let failed = block.withFieldBytes(row: row, column: column) { bytes -> Bool in
                            do { try e.encode(bytes, into: out + row &* p); return false } catch { return true }
                        }
                        if failed { return false }
                    }
                }
            } catch {
                return false
            }
        }
        return true
    }

    /// Encodes row by row, each row's id first and then its features in model order, and throws at the first value
    /// that does not encode; the share's hashes are then those of the rows before it (and of its own row when the
    /// id is good), which the sink checks for an earlier duplicate.
    private func encodeByRows(_ block: CSVBlock, into design: inout [Double]) throws {
        let p = model.designWidth
        let encoders = model.encoders, offsets = model.designOffsets, columns = layout.featureColumns
        let idColumn = layout.idColumn, rows = 0..<block.rowCount
        // Locals, not stored properties, in the hot loop: a class's stored arrays pay a dynamic
        // exclusivity check on every access. Moved out (not copied) so that appending does not copy the buffer.
        let share = self.share
        var hashes = share.idHashes
        share.idHashes = []
        defer { share.idHashes = hashes }
        try design.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for row in rows {
                let hash = block.withFieldBytes(row: row, column: idColumn) { IdentifierLedger.hash($0) }
                if block.isMissing(row: row, column: idColumn) {
                    throw block.error(.missingValue, row: row, column: idColumn, expected: "an entity id")
                }
                hashes.append(hash)
                let out = base + row * p
                for f in 0..<encoders.count {
                    let column = columns[f], dest = out + offsets[f]
                    do {
                        switch encoders[f] {
                        case let .numeric(e):
                            try e.encode(try number(block, row, column), into: dest)
                        case let .binned(e):
                            try e.encode(try number(block, row, column), into: dest)
                        case let .categorical(e):
                            // The closure returns the failure instead of throwing it: the field accessor is
                            // `rethrows` (untyped), and typed throws across it crash the 6.3 compiler.
                            let failure = block.withFieldBytes(row: row, column: column) { bytes -> EncodingFailure? in
                                do { try e.encode(bytes, into: dest); return nil } catch { return error as? EncodingFailure }
                            }
                            if let failure { throw failure }
                        }
                    } catch let failure as EncodingFailure {
                        throw tableError(failure, block: block, row: row, column: column, feature: f)
                    }
                }
            }
        }
    }

    /// The field as a number for an encoder: `nil` when empty; NaN/Inf passed on for the encoder's policy.
    @inline(__always)
    private func number(_ block: CSVBlock, _ row: Int, _ column: Int) throws(EncodingFailure) -> Double? {
        switch block.parseDouble(row: row, column: column) {
        case let .finite(x): return x
        case let .nonFinite(x): return x
        case .missing: return nil
        case .invalid: throw .notANumber(block.string(row: row, column: column))
        }
    }

    private func tableError(_ failure: EncodingFailure, block: CSVBlock, row: Int, column: Int, feature: Int) -> TableError {
        switch failure {
        case .missingNotAllowed: return block.error(.missingValue, row: row, column: column, expected: failure.expected)
        case .nonFinite: return block.error(.nonFiniteNotAllowed, row: row, column: column, expected: failure.expected)
        case .notANumber: return block.error(.notANumber, row: row, column: column, expected: failure.expected)
        case .log1pDomain: return block.error(.invalidValue, row: row, column: column, expected: failure.expected)
        case .unseenLevel:
            let levels = model.model.features[feature].categorical?.levels ?? []
            return block.error(.unknownCategory, row: row, column: column,
                               expected: TableError.expectedOneOf(levels))
        }
    }

    private func format(_ block: CSVBlock, scores linear: [Double]) {
        let out = share.output, plan = formatPlan, h = plan.headCount
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
}
