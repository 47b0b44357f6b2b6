import Dispatch
import Tables

/// Reads the next block of a CSV file on a background queue while the current one is being scored.
///
/// The reader only locates the records (``CSVReader/nextRecordBlock()``); the workers split their own rows into
/// fields. One block of read-ahead keeps the `read` calls and the record pass off the workers' path, at the cost
/// of holding two blocks' bytes at once.
final class BlockPrefetcher: @unchecked Sendable {
    private var reader: CSVReader
    private let queue = DispatchQueue(label: "onecheck.score.prefetch")
    private let ready = DispatchSemaphore(value: 0)
    private var pending: Result<CSVRecordBlock?, Error> = .success(nil)
    private var finished = false

    init(_ reader: CSVReader) {
        self.reader = reader
        schedule()
    }

    private func schedule() {
        queue.async { [self] in
            pending = Result { try reader.nextRecordBlock() }
            ready.signal()
        }
    }

    /// The next block (nil at the end of the file); starts reading the one after it.
    /// Errors surface in file order: a block's read error is thrown when that block is asked for.
    func next() throws -> CSVRecordBlock? {
        if finished { return nil }
        ready.wait()
        let result = pending
        pending = .success(nil)
        switch result {
        case let .success(block?):
            schedule()
            return block
        case .success(nil):
            finished = true
            return nil
        case let .failure(error):
            finished = true
            throw error
        }
    }

    /// Waits for any read in flight, so the reader is not used after the job returns.
    func drain() {
        if !finished { ready.wait(); finished = true }
    }
}
