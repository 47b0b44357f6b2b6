import Dispatch
import Foundation
import Tables

/// The last stage of a ``ScoreJob``: records each scored block's ids, in file order, and writes the workers' output
/// in order — on its own serial queue, while the next block is being scored. Repeated ids are looked for as the
/// spilled ids double (a duplicate then stops the run like a bad value), and when the job asks
/// (``firstDuplicate()``): before it commits, or when it stops at another error.
///
/// Everything it owns (the writer's appends, the id ledger, the first failure) is touched only on its queue.
/// It holds the workers' ``ScoredShare``s of a block (output text and id hashes), never the block itself, so the
/// block's bytes are freed as soon as it is scored.
final class ScoreSink: @unchecked Sendable {
    private let queue = DispatchQueue(label: "onecheck.score.sink")
    private let writer: CSVWriter
    private let layout: InputLayout
    private let input: URL
    private let fileName: String
    private var ids: IdentifierLedger
    /// Spilled runs already looked at for repeats during the run (see `earlyLook`).
    private var lookedAtRuns = 0
    private var failure: Error?
    /// One per output slot: signalled when the sink has finished with that slot's shares. Created at 0 and waited
    /// only for a submitted slot, so no semaphore is ever left below its initial value (libdispatch traps on that).
    private let released = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
    /// Per slot, whether submitted work may still be reading it (touched by the job's thread only).
    private var submitted = [false, false]

    init(writer: CSVWriter, layout: InputLayout, input: URL, fileName: String) {
        self.writer = writer
        self.layout = layout
        self.input = input
        self.fileName = fileName
        // The spill file goes beside the output's temporary file: a directory the run can already write.
        ids = IdentifierLedger(spillPath: writer.temporaryPath + ".ids", fileName: writer.fileName)
    }

    /// Blocks until the sink no longer reads output slot `slot`.
    func waitUntilReleased(slot: Int) {
        if submitted[slot] { released[slot].wait() }
        submitted[slot] = false
    }

    /// Queues the id recording and (when `write`) the writes of one block's `shares` (in row order), which fill slot
    /// `slot`. Without `write` it only records ids: for the rows before a bad value, whose duplicate would come first.
    func submit(_ shares: [ScoredShare], slot: Int, write: Bool = true) {
        submitted[slot] = true
        let shares = UncheckedSendable(shares)
        queue.async { [self] in
            defer { released[slot].signal() }
            guard failure == nil else { return }
            do {
                for share in shares.value {
                    if !share.idHashes.isEmpty {
                        precondition(share.fileRows.lowerBound == ids.rowCount, "shares recorded out of order")
                        try ids.append(share.idHashes[...])
                        if let duplicate = try earlyLook() {
                            failure = duplicate
                            return
                        }
                    }
                    if write { try writer.write(share.output) }
                }
            } catch {
                failure = error
            }
        }
    }

    /// Waits for all queued work.
    func drain() { queue.sync {} }

    /// Rethrows the first failure of the work done so far (call after `drain` or `waitUntilReleased`).
    func throwIfFailed() throws {
        let failure = queue.sync { self.failure }
        if let failure { throw failure }
    }

    /// The first row, in file order, whose id repeats an earlier row's among the rows recorded so far, as the
    /// error to report — or nil. Every candidate the ledger finds is confirmed by re-reading the input, so a hash
    /// collision is never reported; a real duplicate is reported with both line numbers.
    func firstDuplicate() throws -> TableError? {
        try queue.sync { try duplicate(spilledOnly: false) }
    }

    /// Looks at the spilled ids each time their run count reaches a power of two (65,536 rows, 131,072, …), so that
    /// a duplicate id stops the run by the time about twice as many rows have been read, at a cost of about one
    /// more pass over the spill file in all. Rows recorded later are looked at by ``firstDuplicate()``.
    private func earlyLook() throws -> TableError? {
        let runs = ids.spilledRunCount
        guard runs > lookedAtRuns, runs.nonzeroBitCount == 1 else { return nil }
        lookedAtRuns = runs
        return try duplicate(spilledOnly: true)
    }

    private func duplicate(spilledOnly: Bool) throws -> TableError? {
        var after = -1
        while let row = try ids.firstRepeatedRow(after: after, spilledOnly: spilledOnly) {
            if let d = try ScoreJob.duplicate(atRow: row, in: input, layout: layout) {
                return TableError.duplicateKey(file: fileName, line: d.line, columnIndex: layout.idColumn,
                                               columnName: layout.idName, value: d.id, firstLine: d.firstLine)
            }
            after = row   // a fingerprint collision, not a duplicate: look further on
        }
        return nil
    }
}
