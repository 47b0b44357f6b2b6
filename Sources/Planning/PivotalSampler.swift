/// Ordered pivotal sampling (Deville & Tillé 1998): an O(N) fixed-size sampler with exact π.
///
/// The uncertain units are visited in index order. A *pivot* unit carries a fractional probability
/// `a`; each new unit with probability `b` meets the pivot in a duel that settles one of the two:
///
/// * `a + b < 1`: one unit gets `a + b`, the other 0 (finally rejected). The new unit wins with
///   probability `b / (a + b)`.
/// * `a + b ≥ 1`: one unit gets 1 (finally selected), the other `a + b − 1`. The pivot wins the 1 with
///   probability `(1 − b) / (2 − a − b)`.
///
/// Each duel preserves both units' expected values, so every unit ends with probability exactly π
/// (a martingale argument), and since Σ π = n the final pivot holds 0 or 1. One uniform
/// (``RandomNumberGenerator/nextUnitInterval()``) is consumed per duel: `u < threshold` means the first
/// listed outcome. Floating-point drift is absorbed by clamping the pivot's value to `[0, 1]` and
/// selecting the last pivot when its value exceeds ½.
///
/// The visiting order only affects joint (second-order) probabilities: neighbours in the order are
/// rarely selected together, which spreads the sample like systematic sampling.
///
/// - Complexity: O(N) time, O(1) extra space beyond the result.
public struct PivotalSampler: FixedSizeSampler {
    public let design: FixedSizeDesign

    public init(design: FixedSizeDesign) {
        self.design = design
    }

    public func sample<Generator: RandomNumberGenerator>(using generator: inout Generator) -> [Int] {
        var selected = design.certaintyIndices
        selected.reserveCapacity(design.sampleSize)
        let probabilities = design.probabilities
        var pivot = -1
        var a = 0.0
        for unit in design.uncertainIndices {
            let b = probabilities[unit]
            if pivot < 0 {
                pivot = unit
                a = b
                continue
            }
            let u = generator.nextUnitInterval()
            let total = a + b
            if total < 1 {
                // The new unit takes the pivot's mass with probability b / (a + b).
                if u < b / total { pivot = unit }
                a = total
            } else {
                // One of the two is selected; the other keeps a + b − 1 and becomes the pivot.
                if u < (1 - b) / (2 - total) {
                    selected.append(pivot)
                    pivot = unit
                } else {
                    selected.append(unit)
                }
                a = total - 1
            }
            a = min(1, max(0, a))
        }
        if pivot >= 0 && a > 0.5 { selected.append(pivot) }
        selected.sort()
        return selected
    }
}
