import Foundation

/// The reserve list of a stratum, fixed at planning time (issue 4, item 11).
///
/// When a selected entity cannot be checked (it has closed, say), its replacement is the first unit of
/// the reserve list not yet used — never a new draw — so an adjustment cannot re-roll the sample. The
/// list holds the units *not* selected, ordered by the Efraimidis–Spirakis key
/// `log(u_i) / π_i` (descending), with `u_i = random.uniform(entity: id_i)`; that is a draw without
/// replacement proportional to π, so likelier units come first. Units with π = 0 are never reserves.
///
/// Replacements change the realised inclusion probabilities (no design survives removing units
/// exactly); the manifest records each adjustment so `verify` can replay it.
public struct ReserveOrder: Sendable, Equatable {
    /// Unit indices in reserve order.
    public let order: [Int]
    /// How many reserves have been used.
    public private(set) var used = 0

    /// - Parameters:
    ///   - ids: unit ids (the key's entity field).
    ///   - probabilities: π per unit.
    ///   - selected: the drawn sample (excluded from the reserve).
    ///   - random: seed and purpose of the reserve, e.g. `plan.2026Q1.reserve.market/B`.
    public init(ids: [String], probabilities: [Double], selected: [Int], random: VerifiableRandom) {
        precondition(ids.count == probabilities.count, "one π per id")
        let taken = Set(selected)
        let keyed = ids.indices.filter { !taken.contains($0) && probabilities[$0] > 0 }.map { unit in
            // u = 0 would give −∞: such a unit goes last, which is its limit anyway.
            (unit: unit, key: log(random.uniform(entity: ids[unit])) / probabilities[unit])
        }
        order = keyed.sorted {
            $0.key != $1.key ? $0.key > $1.key : ids[$0.unit].utf8.lexicographicallyPrecedes(ids[$1.unit].utf8)
        }.map(\.unit)
    }

    /// The next reserve unit, or `nil` when the reserve is exhausted.
    public mutating func nextReplacement() -> Int? {
        guard used < order.count else { return nil }
        defer { used += 1 }
        return order[used]
    }
}
