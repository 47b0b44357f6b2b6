import Dispatch
import Foundation
import Synchronization
import Tables

/// The last stage of a ``ScoreJob``: records each scored block's ids, in file order, and writes the workers' output
/// in order — on its own serial queue, while the next block is being scored. Repeated ids are looked for as the
/// spilled ids double (a duplicate then stops the run like a bad value), and when the job asks
/// (``firstDuplicate()``): before it commits, or when it stops at another error.
///
/// It owns the writer from the start (the job writes the header first), the id ledger and the first failure, all
/// behind one lock that its queue holds while it works on a block. It holds the workers' ``ScoredShare``s of a block
/// (output text and id hashes), never the block itself, so the block's bytes are freed as soon as it is scored.
final class ScoreSink: Sendable {
    private struct State: ~Copyable {
        let writer: CSVWriter
        var ids: IdentifierLedger
        /// Spilled runs already looked at for repeats during the run (see `earlyLook`).
        var lookedAtRuns = 0
        var failure: Error?
    }

    private let queue = DispatchQueue(label: "onecheck.score.sink")
    private let state: Mutex<State>
    private let layout: InputLayout
    private let input: URL
    private let fileName: String
    /// One per output slot: signalled when the sink has finished with that slot's shares. Created at 0 and waited
    /// only for a submitted slot, so no semaphore is ever left below its initial value (libdispatch traps on that).
    private let released = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]

    init(writer: sending CSVWriter, layout: InputLayout, input: URL, fileName: String) {
        self.layout = layout
        self.input = input
        self.fileName = fileName
        // The spill file goes beside the output's temporary file: a directory the run can already write.
        let ids = IdentifierLedger(spillPath: writer.scratchPath + ".ids", fileName: writer.fileName)
        state = Mutex(State(writer: writer, ids: ids))
    }

    /// Blocks until the sink no longer reads output slot `slot`, which must have been submitted.
    func waitUntilReleased(slot: Int) { released[slot].wait() }

    /// Queues the id recording and (when `write`) the writes of one block's `shares` (in row order), which fill slot
    /// `slot`. Without `write` it only records ids: for the rows before a bad value, whose duplicate would come first.
    func submit(_ shares: [ScoredShare], slot: Int, write: Bool = true) {
        queue.async { [self] in
            defer { released[slot].signal() }
            state.withLock { state in
                guard state.failure == nil else { return }
                do {
                    for share in shares {
                        try share.contents.withLock { share throws in
                            if !share.idHashes.isEmpty {
                                precondition(share.fileRows.lowerBound == state.ids.rowCount, "shares recorded out of order")
                                try state.ids.append(share.idHashes[...])
                            }
                            if write { try state.writer.write(share.output) }
                        }
                        if let duplicate = try earlyLook(&state) {
                            state.failure = duplicate
                            return
                        }
                    }
                } catch {
                    state.failure = error
                }
            }
        }
    }

    /// Waits for all queued work.
    func drain() { queue.sync {} }

    /// Rethrows the first failure of the work done so far (call after `drain` or `waitUntilReleased`).
    func throwIfFailed() throws {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Renames the output into place (after the last block is written and no duplicate was found).
    func commit() throws {
        try state.withLock { try $0.writer.commit() }
    }

    /// Removes the temporary output.
    func abandon() {
        state.withLock { $0.writer.abandon() }
    }

    /// The first row, in file order, whose id repeats an earlier row's among the rows recorded so far, as the
    /// error to report — or nil. Every candidate the ledger finds is confirmed by re-reading the input, so a hash
    /// collision is never reported; a real duplicate is reported with both line numbers.
    func firstDuplicate() throws -> TableError? {
        drain()
        return try state.withLock { try duplicate(&$0, spilledOnly: false) }
    }

    /// Looks at the spilled ids each time their run count reaches a power of two (65,536 rows, 131,072, …), so that
    /// a duplicate id stops the run by the time about twice as many rows have been read, at a cost of about one
    /// more pass over the spill file in all. Rows recorded later are looked at by ``firstDuplicate()``.
    private func earlyLook(_ state: inout State) throws -> TableError? {
        let runs = state.ids.spilledRunCount
        guard runs > state.lookedAtRuns, runs.nonzeroBitCount == 1 else { return nil }
        state.lookedAtRuns = runs
        return try duplicate(&state, spilledOnly: true)
    }

    private func duplicate(_ state: inout State, spilledOnly: Bool) throws -> TableError? {
        var after = -1
        while let row = try state.ids.firstRepeatedRow(after: after, spilledOnly: spilledOnly) {
            if let d = try ScoreJob.duplicate(atRow: row, in: input, layout: layout) {
                return TableError.duplicateKey(file: fileName, line: d.line, columnIndex: layout.idColumn,
                                               columnName: layout.idName, value: d.id, firstLine: d.firstLine)
            }
            after = row   // a fingerprint collision, not a duplicate: look further on
        }
        return nil
    }
}
