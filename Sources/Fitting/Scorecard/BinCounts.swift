#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Event and non-event totals of one bin (weighted counts).
public struct BinCounts: Equatable, Sendable {
    public var events: Double
    public var nonEvents: Double

    public init(events: Double = 0, nonEvents: Double = 0) {
        self.events = events
        self.nonEvents = nonEvents
    }

    public var total: Double { events + nonEvents }
    /// `events / total` (NaN for an empty bin).
    public var eventRate: Double { events / total }

    public static func + (a: BinCounts, b: BinCounts) -> BinCounts {
        BinCounts(events: a.events + b.events, nonEvents: a.nonEvents + b.nonEvents)
    }

    mutating func add(outcome: Double, weight: Double = 1) {
        if outcome == 1 { events += weight } else { nonEvents += weight }
    }

    /// Pearson's χ² for the 2 × 2 table of two bins × {event, non-event}: small when their event rates agree.
    ///
    /// Cells whose expected count is 0 (both bins without events, or without non-events) contribute nothing —
    /// the bins do not differ in that outcome — so two pure bins of the same outcome have χ² = 0.
    static func chiSquare(_ a: BinCounts, _ b: BinCounts) -> Double {
        let n = a.total + b.total
        guard n > 0 else { return 0 }
        let events = a.events + b.events, nonEvents = a.nonEvents + b.nonEvents
        var chi = 0.0
        for (observed, rowTotal, columnTotal) in [(a.events, a.total, events), (a.nonEvents, a.total, nonEvents),
                                                   (b.events, b.total, events), (b.nonEvents, b.total, nonEvents)] {
            let expected = rowTotal * columnTotal / n
            if expected > 0 { chi += (observed - expected) * (observed - expected) / expected }
        }
        return chi
    }
}

/// Weight of evidence and information value of a set of bins.
///
/// With `E`, `N` the total events and non-events, a bin with `e` events and `m` non-events has
/// `WOE = ln((e/E) / (m/N))` — positive for bins riskier than average (the event is the bad outcome) — and
/// contributes `(e/E − m/N)·WOE` to the information value `IV` (≥ 0).
///
/// **Empty cells.** A bin without events (or without non-events) would have WOE = ∓∞. Such a count is replaced
/// by `emptyCellCount` (default ½, half an observation — the Haldane–Anscombe correction) in that bin only; the
/// totals `E` and `N` are the observed ones. Bins with both cells filled are never altered.
public enum WeightOfEvidence {
    public static let defaultEmptyCellCount = 0.5

    /// WOE per bin; see the type's documentation for the empty-cell rule.
    public static func woe(_ bins: [BinCounts], emptyCellCount: Double = defaultEmptyCellCount) -> [Double] {
        let totalEvents = bins.reduce(0) { $0 + $1.events }
        let totalNonEvents = bins.reduce(0) { $0 + $1.nonEvents }
        return bins.map { bin in
            let e = bin.events > 0 ? bin.events : emptyCellCount
            let m = bin.nonEvents > 0 ? bin.nonEvents : emptyCellCount
            return log((e / totalEvents) / (m / totalNonEvents))
        }
    }

    /// The information value `Σ (e/E − m/N)·WOE` with the same WOE.
    public static func informationValue(_ bins: [BinCounts], emptyCellCount: Double = defaultEmptyCellCount) -> Double {
        let totalEvents = bins.reduce(0) { $0 + $1.events }
        let totalNonEvents = bins.reduce(0) { $0 + $1.nonEvents }
        let woe = woe(bins, emptyCellCount: emptyCellCount)
        var iv = 0.0
        for (bin, w) in zip(bins, woe) { iv += (bin.events / totalEvents - bin.nonEvents / totalNonEvents) * w }
        return iv
    }
}
