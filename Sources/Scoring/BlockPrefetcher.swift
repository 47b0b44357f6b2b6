import Dispatch
import Synchronization
import Tables

/// Reads the next block of a CSV file on a background queue while the current one is being scored.
///
/// The reader only locates the records (``CSVReader/nextRecordBlock()``); the workers split their own rows into
/// fields. One block of read-ahead keeps the `read` calls and the record pass off the workers' path, at the cost
/// of holding two blocks' bytes at once. The reader and the block read ahead are behind a lock that the
/// background queue holds while it reads; the job takes the block after the `ready` signal, so it never waits on it.
final class BlockPrefetcher: Sendable {
    private struct State {
        var reader: CSVReader
        var pending: Result<CSVRecordBlock?, Error> = .success(nil)
        var finished = false
    }

    private let queue = DispatchQueue(label: "onecheck.score.prefetch")
    private let ready = DispatchSemaphore(value: 0)
    private let state: Mutex<State>

    init(_ reader: sending CSVReader) {
        state = Mutex(State(reader: reader))
        schedule()
    }

    private func schedule() {
        queue.async { [self] in
            state.withLock { s in s.pending = Result { try s.reader.nextRecordBlock() } }
            ready.signal()
        }
    }

    /// The next block (nil at the end of the file); starts reading the one after it.
    /// Errors surface in file order: a block's read error is thrown when that block is asked for.
    func next() throws -> CSVRecordBlock? {
        if state.withLock({ $0.finished }) { return nil }
        ready.wait()
        let result = state.withLock { s in
            let r = s.pending
            s.pending = .success(nil)
            if case .success(.some) = r {} else { s.finished = true }
            return r
        }
        switch result {
        case let .success(block?):
            schedule()
            return block
        case .success(nil):
            return nil
        case let .failure(error):
            throw error
        }
    }

    /// Waits for any read in flight, so the reader is not used after the job returns.
    func drain() {
        let inFlight = state.withLock { s in
            let wasRunning = !s.finished
            s.finished = true
            return wasRunning
        }
        if inFlight { ready.wait() }
    }
}
