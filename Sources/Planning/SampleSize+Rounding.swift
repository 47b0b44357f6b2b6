import Supervision

extension SampleSize {
    /// The integer sample size for a stratum of `population` entities: a ratio is rounded to the nearest
    /// integer, halves away from zero (`0.05 · 30 = 1.5 → 2`), so the realised ratio can differ from the agreed
    /// one by at most `1 / (2N)`; a count is returned as agreed (a count above `population` is reported later, by
    /// the design that cannot meet it); a census is the whole population.
    ///
    /// - Throws: ``QuotaError`` for a ratio outside `[0, 1]` (or not finite) or a negative count.
    public func integerSize(population: Int) throws -> Int {
        switch self {
        case let .ratio(ratio):
            guard ratio.isFinite, ratio >= 0, ratio <= 1 else { throw QuotaError.invalidRatio(ratio) }
            return Int((ratio * Double(population)).rounded(.toNearestOrAwayFromZero))
        case let .count(count):
            guard count >= 0 else { throw QuotaError.negativeCount(count) }
            return count
        case .census:
            return population
        }
    }
}

/// A quota whose value no stratum can have.
public enum QuotaError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidRatio(Double)
    case negativeCount(Int)

    public var description: String {
        switch self {
        case let .invalidRatio(ratio): return "sampling ratio \(ratio); expected a number in [0, 1]"
        case let .negativeCount(count): return "quota count \(count); expected an integer ≥ 0"
        }
    }
}
