import Dispatch
import Synchronization

/// A value computed on another thread while the caller goes on with work that must stay on its own thread (a
/// write transaction's connection, say) — reading the next input file while the current one is being stored.
///
/// Contract: `work` starts when the value is made and runs exactly once, whether or not anyone asks for its result;
/// ``value()`` waits for it and returns (or throws) what it returned (or threw), as often as it is called. A caller
/// that stops early on an error of its own should still call ``value()`` (and ignore the outcome) before it
/// returns, so that no work is left running behind it and its own error is the one reported — as when the two
/// steps ran one after the other.
package final class BackgroundWork<T: Sendable>: Sendable {
    private let outcome = Mutex<Result<T, any Error>?>(nil)
    private let finished = DispatchGroup()

    /// Starts `work` on a global dispatch queue.
    package init(_ work: @escaping @Sendable () throws -> T) {
        finished.enter()
        DispatchQueue.global().async { [self] in
            let result = Result { try work() }
            outcome.withLock { $0 = result }
            finished.leave()
        }
    }

    /// Waits until the work has finished, then returns its value or throws its error.
    package func value() throws -> T {
        finished.wait()
        return try outcome.withLock { $0! }.get()
    }
}
