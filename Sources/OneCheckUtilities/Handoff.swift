import Dispatch
import Synchronization

/// Pieces of work passed from one producing thread to one consuming thread, in the order they were put, at most
/// `capacity` of them waiting at a time.
///
/// Contract: one producer calls ``put(_:)`` for each piece and then ``finish()`` exactly once (also when it fails:
/// its error travels by another route, such as ``BackgroundWork``); one consumer calls ``take()`` until it returns
/// nil. ``put(_:)`` waits while `capacity` pieces are waiting, so a producer runs at most that far ahead of a
/// consumer busy with something else. A consumer that stops early calls ``cancel()``: a waiting ``put(_:)`` returns,
/// later ones drop their piece at once, and the producer reads ``isCancelled`` to stop at its next piece.
package final class Handoff<Element: Sendable>: Sendable {
    private struct State {
        /// Taken pieces are nil: the consumer holds them from then on, not this.
        var pieces: [Element?] = []
        var next = 0
        var cancelled = false
    }

    private let state = Mutex(State())
    /// Signalled once per piece and once at the end: `take` waits once per call.
    private let signals = DispatchSemaphore(value: 0)
    /// Free places for pieces: `put` takes one, `take` gives one back.
    private let places: DispatchSemaphore

    /// - Precondition: `capacity` > 0.
    package init(capacity: Int) {
        precondition(capacity > 0, "a handoff holds at least one piece")
        // Made at 0 and signalled up to `capacity`: libdispatch stops a process that frees a semaphore below the
        // value it was made with, which a cancelled handoff may be.
        places = DispatchSemaphore(value: 0)
        for _ in 0..<capacity { places.signal() }
    }

    /// Hands `piece` to the consumer, first waiting for a free place; drops it once the consumer has cancelled.
    package func put(_ piece: Element) {
        guard !isCancelled else { return }
        places.wait()
        let kept = state.withLock { s in
            guard !s.cancelled else { return false }
            s.pieces.append(piece)
            return true
        }
        if kept { signals.signal() }
    }

    /// Says that no piece will follow.
    package func finish() { signals.signal() }

    /// The next piece, waiting for it; nil once the producer has finished and every piece has been taken.
    /// - Complexity: amortised O(1); the places of taken pieces are released as it goes.
    package func take() -> Element? {
        signals.wait()
        let piece: Element? = state.withLock { s in
            guard s.next < s.pieces.count else { return nil }
            let piece = s.pieces[s.next].take()
            s.next += 1
            if s.next == s.pieces.count {
                s.pieces.removeAll(keepingCapacity: true)
                s.next = 0
            }
            return piece
        }
        if piece != nil { places.signal() }
        return piece
    }

    /// Asks the producer to stop (the consumer will take no more pieces), waking it if it waits for a place.
    package func cancel() {
        state.withLock { $0.cancelled = true }
        places.signal()
    }

    /// Whether the consumer has stopped taking pieces.
    package var isCancelled: Bool { state.withLock { $0.cancelled } }
}
