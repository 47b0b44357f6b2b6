import Dispatch
import Foundation
import LinearAlgebra
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
    /// Target bytes of input per block: bounds memory (input block + its design matrix + output buffers).
    /// 2 MiB measured as fast as 8 MiB on the 1M-entity city, with half the peak memory.
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
    public static func run(model: CompiledModel, input: URL, output: URL, options: ScoreOptions = ScoreOptions(),
                           progress: ((Int) -> Void)? = nil) throws -> ScoreSummary {
        let reader = try CSVReader(url: input, options: .init(blockSize: options.blockBytes, encoding: options.encoding))
        let layout = try InputLayout(model: model, reader: reader, passThrough: options.passThrough)
        let writer = try CSVWriter(url: output)
        let sink = ScoreSink(writer: writer, layout: layout, input: input, fileName: reader.fileName)
        do {
            let columns = outputColumns(model: model, layout: layout)
            try writer.appendRow(columns)
            let workers = (0..<sharesPerBlock(threads: options.threads)).map { _ in
                BlockWorker(model: model, layout: layout, options: options)
            }
            let scratch = (0..<max(1, options.threads)).map { _ in ShareScratch() }
            var rows = 0, blocks = 0
            let prefetcher = BlockPrefetcher(reader)
            defer { prefetcher.drain() }
            while let block = try prefetcher.next() {
                let slot = blocks % 2
                // The sink must be done with this slot's previous block before its buffers are reused.
                sink.waitUntilReleased(slot: slot)
                try sink.throwIfFailed()
                do {
                    try score(block, workers: workers, scratch: scratch, slot: slot)
                } catch {
                    // Record the ids before the bad value too (the failing worker recorded its rows' ids up to the
                    // bad one; a row's id is read before its features): a duplicate among them comes first in the
                    // file, and the catch below looks for one.
                    let failed = workers.firstIndex { $0.failure != nil } ?? (workers.count - 1)
                    sink.submit(workers[...failed].map { $0.shares[slot] }, slot: slot, write: false)
                    sink.drain()
                    try sink.throwIfFailed()
                    throw error
                }
                sink.submit(workers.map { $0.shares[slot] }.filter { !$0.fileRows.isEmpty }, slot: slot)
                rows += block.rowCount
                blocks += 1
                progress?(rows)
            }
            sink.drain()
            try sink.throwIfFailed()
            guard rows > 0 else { throw ScoreJobError.noRows(file: reader.fileName) }
            if let duplicate = try sink.firstDuplicate() { throw Stopped.duplicate(duplicate) }
            try writer.commit()
            var classCounts: [(label: String, count: Int)] = []
            if model.classRule != nil {
                for (i, label) in model.heads[model.classHeads[0]].labels.enumerated() {
                    classCounts.append((label, workers.reduce(0) { $0 + $1.classCounts[i] }))
                }
            }
            return ScoreSummary(rows: rows, blocks: blocks, outputColumns: columns, classCounts: classCounts)
        } catch Stopped.duplicate(let duplicate) {
            writer.abandon()
            throw duplicate
        } catch {
            sink.drain()
            writer.abandon()
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
    /// the first failing row's error.
    static func score(_ block: CSVRecordBlock, workers: [BlockWorker], scratch: [ShareScratch], slot: Int) throws {
        let threads = scratch.count
        let n = block.rowCount
        // Contiguous shares; small blocks use fewer workers (each share at least 256 rows).
        let active = max(1, min(workers.count, n / 256))
        let share = (n + active - 1) / active
        for (w, worker) in workers.enumerated() {
            let start = min(n, w * share), end = w < active ? min(n, start + share) : start
            worker.assign(start..<end, firstRowIndex: block.firstRowIndex, slot: slot)
        }
        if active == 1 || threads <= 1 {
            for w in workers.prefix(active) { w.process(block, scratch: scratch[0]) }
        } else {
            let box = UncheckedSendable((workers, scratch)), queue = ShareQueue(count: active)
            DispatchQueue.concurrentPerform(iterations: min(threads, active)) { thread in
                while let w = queue.next() { box.value.0[w].process(block, scratch: box.value.1[thread]) }
            }
        }
        // The earliest failing row wins: shares are in row order, so the first worker with an error has it.
        for w in workers { if let e = w.failure { throw e } }
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

    static func outputColumns(model: CompiledModel, layout: InputLayout) -> [String] {
        var columns = [layout.idName] + layout.passThroughNames
        for h in model.heads {
            columns.append("\(h.name)_score")
            if h.logistic { columns.append("\(h.name)_probability") }
            if h.pointsFactor != nil { columns.append("\(h.name)_points") }
            if !h.labels.isEmpty { columns.append("\(h.name)_grade") }
        }
        if model.classRule != nil { columns.append("supervision_class") }
        return columns
    }
}

/// Where the model's inputs are in the file's header.
struct InputLayout: Sendable {
    let idColumn: Int
    let idName: String
    /// Per feature, its input column index.
    let featureColumns: [Int]
    let passThroughColumns: [Int]
    let passThroughNames: [String]

    init(model: CompiledModel, reader: CSVReader, passThrough: ScoreOptions.PassThrough) throws {
        let m = model.model
        var required = [m.idColumn]
        for f in m.features where !required.contains(f.inputColumn) { required.append(f.inputColumn) }
        let passNames: [String]
        switch passThrough {
        case .none: passNames = []
        case let .columns(names): passNames = names
        case .extraColumns:
            let used = Set(required)
            passNames = reader.header.filter { !used.contains($0) }
        }
        // One call so that every missing column is listed at once.
        let indices = try reader.requireColumns(required + passNames.filter { !required.contains($0) })
        var index: [String: Int] = [:]
        for (name, i) in zip(required + passNames.filter { !required.contains($0) }, indices) { index[name] = i }
        idColumn = index[m.idColumn]!
        idName = m.idColumn
        featureColumns = m.features.map { index[$0.inputColumn]! }
        passThroughNames = passNames
        passThroughColumns = passNames.map { index[$0]! }
    }
}

/// Hands out share indices 0, 1, … to whichever thread asks next.
final class ShareQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = 0
    private let count: Int
    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard taken < count else { return nil }
        taken += 1
        return taken - 1
    }
}

struct UncheckedSendable<T>: @unchecked Sendable { let value: T; init(_ v: T) { value = v } }
