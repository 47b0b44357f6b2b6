/// Systematic sampling on a random order: an O(N) fixed-size sampler with exact π.
///
/// The uncertain units are put in a uniformly random order by a Fisher–Yates shuffle (for `i` from
/// `M − 1` down to 1, swap position `i` with position ``RandomNumberGenerator/nextInteger(below:)``
/// of `i + 1`), then laid end to end on `[0, m)` as intervals of length π. One uniform `u`
/// (``RandomNumberGenerator/nextUnitInterval()``) gives the points `u, u + 1, …, u + m − 1`; the units
/// whose intervals contain a point are selected. As every π < 1, no unit holds two points, and a
/// unit's interval of length π contains a point with probability exactly π.
///
/// Randomising the order makes the joint probabilities positive for every pair (plain systematic
/// sampling on a fixed order gives many pairs zero joint probability).
///
/// - Complexity: O(N) time and space.
public struct SystematicSampler: FixedSizeSampler {
    public let design: FixedSizeDesign

    public init(design: FixedSizeDesign) {
        self.design = design
    }

    public func sample<Generator: RandomNumberGenerator>(using generator: inout Generator) -> [Int] {
        var selected = design.certaintyIndices
        selected.reserveCapacity(design.sampleSize)
        var order = design.uncertainIndices
        let draws = design.uncertainSampleSize
        if draws > 0 {
            if order.count > 1 {
                for i in stride(from: order.count - 1, through: 1, by: -1) {
                    order.swapAt(i, generator.nextInteger(below: i + 1))
                }
            }
            let start = generator.nextUnitInterval()
            let probabilities = design.probabilities
            var cumulative = 0.0
            var point = 0
            for (position, unit) in order.enumerated() {
                cumulative += probabilities[unit]
                // Select when the interval [cumulative − π, cumulative) holds the next point; the last
                // units absorb any rounding in Σ π so that exactly m points are placed.
                let unitsLeft = order.count - position
                if point < draws && (start + Double(point) < cumulative || unitsLeft <= draws - point) {
                    selected.append(unit)
                    point += 1
                }
            }
        }
        selected.sort()
        return selected
    }
}
