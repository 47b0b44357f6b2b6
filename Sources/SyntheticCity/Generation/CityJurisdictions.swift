import OneCheckUtilities
import Supervision

/// How a generated city is split into jurisdictions (`onecheck generate --jurisdictions N`): jurisdiction `k`
/// (0-based, code ``Supervision/Jurisdiction/generatedCode(_:of:)``, `J01`…) holds the contiguous entities
/// `⌊k·n/N⌋ ..< ⌊(k+1)·n/N⌋`, has its own roster (inspector ids prefixed with its code, drawn from
/// ``rosterSeed(_:)``) and its own quotas, sized from its own entities.
///
/// Entity `i` depends only on `(seed, i)` and a jurisdiction's roster and quotas only on its own entities, so the
/// files of one jurisdiction generated alone (``CityConfiguration/onlyJurisdiction``) are exactly the rows of that
/// jurisdiction in the whole city's files: a province can be generated jurisdiction by jurisdiction, one process
/// (or machine) each.
public struct CityJurisdictions: Sendable, Equatable {
    /// The number of jurisdictions, N ≥ 1.
    public let count: Int
    /// The city's entities, n ≥ N.
    public let entities: Int

    /// The most jurisdictions a city is split into.
    public static let maximumCount = 9_999

    public init(count: Int, entities: Int) {
        precondition(count >= 1 && count <= entities, "1 ≤ jurisdictions ≤ entities")
        self.count = count
        self.entities = entities
    }

    /// The code of jurisdiction `k`.
    public func code(_ k: Int) -> JurisdictionCode { Jurisdiction.generatedCode(k, of: count) }

    /// The jurisdiction index of `code`, or nil when it is not one of this city's.
    public func index(of code: JurisdictionCode) -> Int? { (0..<count).first { self.code($0) == code } }

    /// The entities of jurisdiction `k`.
    public func range(_ k: Int) -> Range<Int> {
        (k * entities / count)..<((k + 1) * entities / count)
    }

    /// The jurisdiction of entity `i`.
    public func jurisdiction(ofEntity i: Int) -> Int {
        var k = i * count / entities
        while range(k).upperBound <= i { k += 1 }
        while range(k).lowerBound > i { k -= 1 }
        return k
    }

    /// The seed jurisdiction `k`'s roster is drawn from: the city seed and `k` through the SplitMix64 finaliser,
    /// so rosters of different jurisdictions are independent.
    public static func rosterSeed(city seed: UInt64, jurisdiction k: Int) -> UInt64 {
        SplitMix64.mix(seed ^ (UInt64(k + 1) &* 0x9E37_79B9_7F4A_7C15))
    }
}
