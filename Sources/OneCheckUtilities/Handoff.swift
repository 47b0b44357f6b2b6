import Dispatch
import Synchronization

/// Pieces of work passed from one producing thread to one consuming thread, in the order they were put.
///
/// Contract: one producer calls ``put(_:)`` for each piece and then ``finish()`` exactly once (also when it fails:
/// its error travels by another route, such as ``BackgroundWork``); one consumer calls ``take()`` until it returns
/// nil. Unbounded: the producer never waits, so use it where the consumer keeps every piece anyway. A consumer that
/// stops early calls ``cancel()``, which a producer reads through ``isCancelled`` to stop at its next piece.
package final class Handoff<Element: Sendable>: Sendable {
    private struct State {
        /// Taken pieces are nil: the consumer holds them from then on, not this.
        var pieces: [Element?] = []
        var next = 0
        var finished = false
        var cancelled = false
    }

    private let state = Mutex(State())
    /// Signalled once per piece and once at the end: `take` waits once per call.
    private let signals = DispatchSemaphore(value: 0)

    package init() {}

    /// Hands `piece` to the consumer.
    package func put(_ piece: Element) {
        state.withLock { $0.pieces.append(piece) }
        signals.signal()
    }

    /// Says that no piece will follow.
    package func finish() {
        state.withLock { $0.finished = true }
        signals.signal()
    }

    /// The next piece, waiting for it; nil once the producer has finished and every piece has been taken.
    /// - Complexity: amortised O(1); the slots of taken pieces are released as it goes.
    package func take() -> Element? {
        signals.wait()
        return state.withLock { s in
            guard s.next < s.pieces.count else { return nil }
            let piece = s.pieces[s.next].take()
            s.next += 1
            if s.next == s.pieces.count {
                s.pieces.removeAll(keepingCapacity: true)
                s.next = 0
            }
            return piece
        }
    }

    /// Asks the producer to stop (the consumer will take no more pieces).
    package func cancel() { state.withLock { $0.cancelled = true } }

    /// Whether the consumer has stopped taking pieces.
    package var isCancelled: Bool { state.withLock { $0.cancelled } }
}
