import Dispatch
import Foundation
import LinearAlgebra
import Synchronization
import Tables

/// Options of a batch scoring run.
public struct ScoreOptions: Sendable {
    /// Which input columns, besides the id, are copied to the output (after the id, before the scores).
    public enum PassThrough: Sendable, Equatable {
        case none
        /// These columns, in this order; each must exist in the input.
        case columns([String])
        /// Every input column that is neither the id nor a feature, in input order.
        case extraColumns
    }

    public var passThrough: PassThrough = .none
    /// Worker threads scoring each block's shares (the reader and the writer have a thread each besides).
    public var threads: Int = ProcessInfoCores.active
    /// Target bytes of input per block: bounds memory (input block + its design matrix + output buffers). Output
    /// bytes do not depend on it.
    public var blockBytes: Int = 2 << 20
    public var scoreDecimals = 6
    public var probabilityDecimals = 8
    public var pointsDecimals = 2
    /// The input's text encoding (anything but UTF-8 is transcoded while reading; see `CSVReader.Options`).
    public var encoding: TextEncoding = .utf8

    public init() {}
}

/// What a finished run did.
public struct ScoreSummary: Sendable, Equatable {
    public var rows: Int
    public var blocks: Int
    public var outputColumns: [String]
    /// Entities per supervision class, in label order (empty when the model defines no class).
    public var classCounts: [(label: String, count: Int)]

    public static func == (a: ScoreSummary, b: ScoreSummary) -> Bool {
        a.rows == b.rows && a.blocks == b.blocks && a.outputColumns == b.outputColumns
            && a.classCounts.map(\.label) == b.classCounts.map(\.label)
            && a.classCounts.map(\.count) == b.classCounts.map(\.count)
    }
}

/// Errors of a scoring run that are about the run as a whole rather than one field.
public enum ScoreJobError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input has a header but no entity rows.
    case noRows(file: String)

    public var description: String {
        switch self {
        case let .noRows(file): return "\(file): the file has a header but no entity rows; expected at least one entity"
        }
    }
}

/// Batch scoring of a CSV file: one output row per input row, in input order.
///
/// The input is streamed in blocks (``ScoreOptions/blockBytes``), in a three-stage pipeline:
/// 1. a background reader reads the next block and finds its records (``BlockPrefetcher``);
/// 2. the block's rows are split into contiguous shares, four per thread; a thread takes a share and, 256 rows at a
///    time, splits them into fields, encodes them into design rows, scores those against all heads at once
///    (``TallProduct``), and formats their output rows into the share's own buffer;
/// 3. a serial sink records the block's ids and writes the workers' output in order (``ScoreSink``); repeated ids
///    are looked for each time the recorded ids double past 65,536 rows, and once all rows are recorded, before
///    the output is committed.
/// Each worker has two output slots used by alternate blocks, so block *i* is recorded and written while block
/// *i + 1* is scored: without that, the writes leave the other cores idle.
/// The output is byte-identical whatever the thread count. Memory is bounded by two blocks' bytes (the one being
/// read and the one being scored), per thread one chunk's field index and design rows, two blocks' output text,
/// and 512 KiB of id hashes; the rest of the ids go to a spill file, 8 bytes per row, indexed by 1 KiB per 65,536
/// rows (see ``IdentifierLedger``).
///
/// Output columns: the id column, pass-through columns, then per head `<head>_score`, `<head>_probability`
/// (logistic heads), `<head>_points` (heads with points scaling), `<head>_grade` (heads with grade bands), then
/// `supervision_class` when the model defines it.
///
/// Failure is atomic: the output is written to a temporary file renamed into place only after the last row, so
/// any error (bad value, duplicate id, unseen level, I/O) leaves no output file and never clobbers an old one.
/// When several rows are bad, the first in file order is reported: when a run stops at an error, a duplicate id
/// among the rows before it is reported instead. (Quoting errors are found by the reader a block ahead, so they
/// can win over a bad value earlier in the same block.)
public enum ScoreJob {
    /// Scores `input` into `output`; `progress` is called after each block with the rows done so far.
    /// - Throws: `TableError` for input problems (file, line, column), ``ScoresFileError`` for pass-through
    ///   columns that would repeat an output column, ``ScoreJobError`` for an input without rows.
    public static func run(model: CompiledModel, input: URL, output: URL, options: ScoreOptions = ScoreOptions(),
                           progress: ((Int) -> Void)? = nil) throws -> ScoreSummary {
        let reader = try CSVReader(url: input, options: .init(blockSize: options.blockBytes, encoding: options.encoding))
        let layout = try InputLayout(model: model, reader: reader, passThrough: options.passThrough)
        let fileName = reader.fileName
        let columns = layout.schema.columns
        let writer = try CSVWriter(url: output)
        do { try writer.appendRow(columns) } catch { writer.abandon(); throw error }
        let sink = ScoreSink(writer: writer, layout: layout, input: input, fileName: fileName)
        do {
            let workers = (0..<sharesPerBlock(threads: options.threads)).map { _ in
                Exclusive(BlockWorker(model: model, layout: layout, options: options))
            }
            let shares = workers.map { worker in worker.withLock { $0.shares } }
            let scratch = (0..<max(1, options.threads)).map { _ in Exclusive(ShareScratch()) }
            var rows = 0, blocks = 0
            /// Per output slot, whether the sink may still be reading it.
            var submitted = [false, false]
            let prefetcher = BlockPrefetcher(reader)
            defer { prefetcher.drain() }
            while let block = try prefetcher.next() {
                let slot = blocks % 2
                // The sink must be done with this slot's previous block before its buffers are reused.
                if submitted[slot] { sink.waitUntilReleased(slot: slot) }
                submitted[slot] = false
                try sink.throwIfFailed()
                do {
                    try score(block, workers: workers, scratch: scratch, slot: slot)
                } catch {
                    // Record the ids before the bad value too (the failing worker recorded its rows' ids up to the
                    // bad one; a row's id is read before its features): a duplicate among them comes first in the
                    // file, and the catch below looks for one.
                    let failed = workers.firstIndex { $0.withLock { $0.failure != nil } } ?? (workers.count - 1)
                    sink.submit(shares[...failed].map { $0[slot] }, slot: slot, write: false)
                    sink.drain()
                    try sink.throwIfFailed()
                    throw error
                }
                sink.submit(shares.map { $0[slot] }.filter { !$0.isEmpty }, slot: slot)
                submitted[slot] = true
                rows += block.rowCount
                blocks += 1
                progress?(rows)
            }
            sink.drain()
            try sink.throwIfFailed()
            guard rows > 0 else { throw ScoreJobError.noRows(file: fileName) }
            if let duplicate = try sink.firstDuplicate() { throw Stopped.duplicate(duplicate) }
            try sink.commit()
            var classCounts: [(label: String, count: Int)] = []
            let perWorker = workers.map { worker in worker.withLock { $0.classCounts } }
            for (i, label) in layout.schema.classLabels.enumerated() {
                classCounts.append((label, perWorker.reduce(0) { $0 + $1[i] }))
            }
            return ScoreSummary(rows: rows, blocks: blocks, outputColumns: columns, classCounts: classCounts)
        } catch Stopped.duplicate(let duplicate) {
            sink.abandon()
            throw duplicate
        } catch {
            sink.drain()
            sink.abandon()
            // Every row recorded so far comes before the one that failed: a duplicate id among them is reported
            // first. (If looking fails, e.g. the input cannot be re-read, the original error stands.)
            if let duplicate = (try? sink.firstDuplicate()) ?? nil { throw duplicate }
            throw error
        }
    }

    /// The duplicate found before committing, kept apart from the errors that still need a look for one.
    private enum Stopped: Error { case duplicate(TableError) }

    /// Shares per block: four per thread, taken dynamically. The reader and the sink run on threads of their
    /// own, so a worker thread is sometimes descheduled; with one share per thread the others would wait for it at
    /// the end of every block, with several they take its remaining shares.
    static func sharesPerBlock(threads: Int) -> Int { threads <= 1 ? 1 : 4 * threads }

    /// Scores one block on one thread per `scratch`, the rows split into one contiguous share per worker; throws
    /// the first failing row's error. Each worker and each scratch is used by one thread at a time: a thread
    /// holds its scratch for the whole block and takes shares from an atomic counter (``ShareQueue``).
    static func score(_ block: CSVRecordBlock, workers: [Exclusive<BlockWorker>], scratch: [Exclusive<ShareScratch>],
                      slot: Int) throws {
        let threads = scratch.count
        let n = block.rowCount
        // Contiguous shares; small blocks use fewer workers (each share at least 256 rows).
        let active = max(1, min(workers.count, n / 256))
        let share = (n + active - 1) / active
        for (w, worker) in workers.enumerated() {
            let start = min(n, w * share), end = w < active ? min(n, start + share) : start
            worker.withLock { $0.assign(start..<end, firstRowIndex: block.firstRowIndex, slot: slot) }
        }
        if active == 1 || threads <= 1 {
            scratch[0].withLock { s in
                for w in workers.prefix(active) { w.withLock { $0.process(block, scratch: &s) } }
            }
        } else {
            let queue = ShareQueue(count: active)
            DispatchQueue.concurrentPerform(iterations: min(threads, active)) { thread in
                scratch[thread].withLock { s in
                    while let w = queue.next() { workers[w].withLock { $0.process(block, scratch: &s) } }
                }
            }
        }
        // The earliest failing row wins: shares are in row order, so the first worker with an error has it.
        for w in workers { if let e = w.withLock({ $0.failure }) { throw e } }
    }

    /// The duplicate at data row `fileRow` (0-based): its id, its line and the line of the first row with the same
    /// id — or nil if no earlier row has that id (a hash collision, not a duplicate). Re-reads the input twice
    /// (the row, then its first twin): this is the error path only, and it lets the sink hold hashes, not blocks.
    static func duplicate(atRow fileRow: Int, in input: URL, layout: InputLayout)
        throws -> (id: String, line: Int, firstLine: Int)? {
        var row: (id: String, line: Int)?
        try forEachId(in: input, layout: layout) { index, id, line in
            if index == fileRow { row = (id, line) }
            return index < fileRow
        }
        guard let row else { return nil }
        var first: Int?
        try forEachId(in: input, layout: layout) { index, id, line in
            if index < fileRow && id == row.id { first = line }
            return first == nil && index < fileRow
        }
        return first.map { (row.id, row.line, $0) }
    }

    /// Calls `body(dataRowIndex, id, line)` for the rows of `input` in order while it returns true.
    private static func forEachId(in input: URL, layout: InputLayout,
                                  _ body: (Int, String, Int) -> Bool) throws {
        // Blocks of the run's default size: with the reader's 8 MiB, the field index of a whole block alone took
        // about 20 MB, twice the run's own working memory.
        var reader = try CSVReader(url: input, options: .init(blockSize: ScoreOptions().blockBytes))
        let fields = CSVFieldIndex()
        // Record blocks, as in the run: a ragged row after the duplicate must not stop the search (the run
        // reports the duplicate first).
        while let records = try reader.nextRecordBlock() {
            let (block, ragged) = records.splitFields(rows: 0..<records.rowCount, into: fields)
            for row in 0..<block.rowCount {
                let id = block.string(row: row, column: layout.idColumn)
                if !body(block.firstRowIndex + row, id, block.lineNumber(ofRow: row)) { return }
            }
            if let ragged { throw ragged }
        }
    }

}

/// Where the model's inputs are in the file's header, and the output's columns.
struct InputLayout: Sendable {
    let idColumn: Int
    let idName: String
    /// Per feature, its input column index.
    let featureColumns: [Int]
    let passThroughColumns: [Int]
    let schema: ScoresFileSchema

    init(model: CompiledModel, reader: CSVReader, passThrough: ScoreOptions.PassThrough) throws {
        let m = model.model
        let passNames: [String]
        switch passThrough {
        case .none: passNames = []
        case let .columns(names): passNames = names
        case .extraColumns:
            let used = Set([m.idColumn] + m.features.map(\.inputColumn))
            passNames = reader.header.filter { !used.contains($0) }
        }
        schema = try ScoresFileSchema(model: model, passThrough: passNames)
        // One call so that every missing column is listed at once.
        var found: [String: Int] = [:]
        let columns = try ModelColumns(model: model, includingID: true) { names in
            let all = names + passNames.filter { !names.contains($0) }
            let indices = try reader.requireColumns(all)
            for (name, i) in zip(all, indices) { found[name] = i }
            return Array(indices.prefix(names.count))
        }
        idColumn = columns.id!
        idName = m.idColumn
        featureColumns = columns.features
        passThroughColumns = passNames.map { found[$0]! }
    }
}

/// Hands out share indices 0, 1, … to whichever thread asks next. The counter carries no data (the workers' state
/// is behind their own locks), so relaxed ordering suffices.
final class ShareQueue: Sendable {
    private let taken = Atomic<Int>(0)
    private let count: Int
    init(count: Int) { self.count = count }

    func next() -> Int? {
        let i = taken.add(1, ordering: .relaxed).oldValue
        return i < count ? i : nil
    }
}

/// A value that threads take turns to use, behind a `Mutex`; a class so that arrays of them can be shared.
final class Exclusive<Value>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: sending Value) { mutex = Mutex(value) }

    @inline(__always)
    func withLock<R, E: Error>(_ body: (inout sending Value) throws(E) -> sending R) throws(E) -> sending R {
        try mutex.withLock(body)
    }
}
