import OneCheckUtilities

/// Simulated inspection results for a drawn plan, so the supervision cycle can run end to end without
/// inspectors: the outcome of each department's part of a check is drawn from the **true model's** risk for that
/// (entity, department) — the same probability the city's history.csv was drawn with.
///
/// For one department *d* of a check of entity *e* (probability *p* = the true `risk_d` probability of *e*):
/// - with probability *p* the check finds a problem: one of *d*'s items for *e*'s scenario, chosen uniformly,
///   is non-compliant — `serious` with probability `seriousShare`, else `minor`; every other item is
///   `compliant`; with probability 1 − *p* every item is `compliant`;
/// - a serious finding carries a fine of `seriousPenalty` yuan; a minor one none;
/// - every non-compliant finding gets a disposal: `rectify` (minor), closed 5–34 days after the check, or
///   `fine` (serious), closed 10–59 days after the check with probability `seriousClosedShare`, else still open.
///
/// Determinism: each (check, department) draws from its own `CityRandom` stream keyed by the seed and a
/// 64-bit FNV-1a hash of `"<check id>/<department>"`, so results do not depend on row order or on which other
/// checks are simulated.
public struct FindingsSimulator: Sendable {
    public var seed: UInt64
    public var seriousShare: Double
    public var seriousPenalty: Double
    public var seriousClosedShare: Double

    public init(seed: UInt64, seriousShare: Double = 0.3, seriousPenalty: Double = 5000, seriousClosedShare: Double = 0.5) {
        self.seed = seed; self.seriousShare = seriousShare; self.seriousPenalty = seriousPenalty
        self.seriousClosedShare = seriousClosedShare
    }

    /// One item's result.
    public struct Result: Equatable, Sendable {
        public enum Outcome: String, Sendable { case compliant, minor, serious }
        public var item: String
        public var outcome: Outcome
        /// Fine in yuan.
        public var penalty: Double
        /// For a non-compliant item: the disposal's action and the days from check to closing (nil: open).
        public var disposal: (action: String, closedAfterDays: Int?)?

        public static func == (a: Result, b: Result) -> Bool {
            a.item == b.item && a.outcome == b.outcome && a.penalty == b.penalty
                && a.disposal?.action == b.disposal?.action && a.disposal?.closedAfterDays == b.disposal?.closedAfterDays
        }
    }

    /// The results of `items` (the department's items for the entity's scenario, in a fixed order) for the part
    /// of check `checkID` done by `department`, where `probability` is the true chance of finding a problem.
    /// - Precondition: `probability` in [0, 1].
    public func simulate(checkID: String, department: String, probability: Double, items: [String]) -> [Result] {
        precondition((0...1).contains(probability), "probability must be in [0, 1]")
        var random = CityRandom(seed: seed, purpose: .findings, index: Self.fnv1a("\(checkID)/\(department)"))
        var results = items.map { Result(item: $0, outcome: .compliant, penalty: 0, disposal: nil) }
        guard !items.isEmpty, random.unitInterval() < probability else { return results }
        let index = random.uniform(below: items.count)
        if random.unitInterval() < seriousShare {
            let closed = random.unitInterval() < seriousClosedShare
            let days = 10 + random.uniform(below: 50)
            results[index] = Result(item: items[index], outcome: .serious, penalty: seriousPenalty,
                                    disposal: ("fine", closed ? days : nil))
        } else {
            results[index] = Result(item: items[index], outcome: .minor, penalty: 0,
                                    disposal: ("rectify", 5 + random.uniform(below: 30)))
        }
        return results
    }

    /// 64-bit FNV-1a of the UTF-8 bytes: a fixed, platform-independent key for a stream.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
