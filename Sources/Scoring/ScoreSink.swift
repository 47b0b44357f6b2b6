import Dispatch
import Foundation
import Tables

/// The last stage of a ``ScoreJob``: checks each scored block's ids for duplicates, in file order, and writes the
/// workers' output in order — on its own serial queue, while the next block is being scored.
///
/// Everything it owns (the writer's appends, the id registry, the first failure) is touched only on its queue.
/// It holds the workers' ``ScoredShare``s of a block (output text and id hashes), never the block itself, so the
/// block's bytes are freed as soon as it is scored.
final class ScoreSink: @unchecked Sendable {
    private let queue = DispatchQueue(label: "onecheck.score.sink")
    private let writer: CSVWriter
    private let layout: InputLayout
    private let input: URL
    private let fileName: String
    private var ids = IdentifierRegistry()
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
    }

    /// Blocks until the sink no longer reads output slot `slot`.
    func waitUntilReleased(slot: Int) {
        if submitted[slot] { released[slot].wait() }
        submitted[slot] = false
    }

    /// Queues the id check and (when `write`) the writes of one block's `shares` (in row order), which fill slot
    /// `slot`. Without `write` it only checks ids: for the rows before a bad value, whose duplicate would come first.
    func submit(_ shares: [ScoredShare], slot: Int, write: Bool = true) {
        submitted[slot] = true
        let shares = UncheckedSendable(shares)
        queue.async { [self] in
            defer { released[slot].signal() }
            guard failure == nil else { return }
            do {
                for share in shares.value {
                    try checkIds(share)
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

    /// Inserts the share's id hashes in file order; a repeated hash is confirmed by re-reading the input.
    private func checkIds(_ share: ScoredShare) throws {
        var hashes = share.idHashes[...]
        var offset = 0
        while let k = ids.insertAll(hashes) {
            if let d = try ScoreJob.duplicate(atRow: share.fileRows.lowerBound + offset + k, in: input, layout: layout) {
                throw TableError.duplicateKey(file: fileName, line: d.line, columnIndex: layout.idColumn,
                                              columnName: layout.idName, value: d.id, firstLine: d.firstLine)
            }
            // A hash collision, not a duplicate: go on after it.
            hashes = hashes.dropFirst(k + 1)
            offset += k + 1
        }
    }

    /// Sizes the id table for about `rows` entities (from the file size), so that it does not grow mid-run.
    func expect(rows: Int) {
        queue.async { [self] in ids.reserve(rows) }
    }
}
