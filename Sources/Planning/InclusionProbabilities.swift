/// First-order inclusion probabilities proportional to size, capped at 1 and floored at `π_min`.
///
/// For sizes `x_i ≥ 0`, an expected sample size `n` and a floor `0 ≤ π_min ≤ 1`, the probabilities are
///
///     π_i = min(1, max(π_min, c · x_i))       with c ≥ 0 chosen so that Σ π_i = n.
///
/// Units whose `c · x_i` reaches 1 are *certainty units* (π = 1, always selected); units whose
/// `c · x_i` falls to `π_min` keep the floor, so no in-scope entity has zero chance (no blind spot).
/// Units marked as forced certainties (e.g. "grade D is always checked") get π = 1 and use part of `n`.
///
/// `Σ π(c)` is continuous, piecewise linear and non-decreasing in `c`, so the solution is found
/// exactly: iterate the partition (capped, floored, proportional) until it reproduces itself, usually in a
/// few O(N) rounds, or, should the rounds oscillate, sweep the breakpoints `π_min / x_i` (unit leaves the floor) and `1 / x_i` (unit reaches the
/// cap) in increasing order, locate the segment where the sum crosses `n`, and solve the linear
/// equation there. The partition (capped, floored, proportional) is then refined by re-solving `c`
/// on the proportional units until no proportional unit leaves `[π_min, 1]` — the classical
/// "iterate the certainty units" rule, which here converges in one or two rounds.
///
/// Infeasible requests are reported as ``InclusionProbabilityError`` values:
/// `n > N`, `π_min · N > n`, too few units with positive size to reach `n`, bad sizes or floor.
///
/// - Complexity: O(N log N) for the breakpoint sort.
public struct InclusionProbabilities: Sendable, Equatable {
    /// π per unit, in input order.
    public let values: [Double]
    /// The proportionality constant `c` on the units strictly between floor and cap.
    public let scale: Double
    /// Indices with π = 1 (forced or capped).
    public let certaintyIndices: [Int]
    /// Indices held at the floor `π_min` (excluding certainty units).
    public let flooredIndices: [Int]

    /// Σ π, equal to the requested sample size up to rounding.
    public var expectedSampleSize: Double { values.reduce(0, +) }

    /// Solves `π_i = min(1, max(floor, c · size_i))` with `Σ π = sampleSize`.
    ///
    /// - Parameters:
    ///   - sizes: non-negative, finite sizes (e.g. risk-adjusted scores); a zero size gets `floor`.
    ///   - sampleSize: the expected (for fixed-size designs: the exact) sample size `n`.
    ///   - floor: the minimum probability `π_min` of every unit, in `[0, 1]`.
    ///   - forcedCertainty: optional flags, `true` for units that must be selected with π = 1.
    /// - Throws: ``InclusionProbabilityError`` when the request is infeasible or the input invalid.
    public static func proportionalToSize(
        _ sizes: [Double], sampleSize: Double, floor: Double = 0, forcedCertainty: [Bool]? = nil
    ) throws -> InclusionProbabilities {
        let count = sizes.count
        guard floor.isFinite, floor >= 0, floor <= 1 else { throw InclusionProbabilityError.invalidFloor(floor) }
        guard sampleSize.isFinite, sampleSize >= 0 else {
            throw InclusionProbabilityError.invalidSampleSize(sampleSize)
        }
        if let forced = forcedCertainty, forced.count != count {
            throw InclusionProbabilityError.lengthMismatch(sizes: count, flags: forced.count)
        }
        for (index, size) in sizes.enumerated() where !(size.isFinite && size >= 0) {
            throw InclusionProbabilityError.invalidSize(index: index, value: size)
        }
        let tolerance = 1e-9 * max(1, sampleSize)
        guard sampleSize <= Double(count) + tolerance else {
            throw InclusionProbabilityError.sampleSizeExceedsPopulation(sampleSize: sampleSize, populationSize: count)
        }

        var values = [Double](repeating: 0, count: count)
        var free: [Int] = []
        var forcedCount = 0
        for index in 0..<count {
            if forcedCertainty?[index] == true {
                values[index] = 1
                forcedCount += 1
            } else {
                free.append(index)
            }
        }
        let target = sampleSize - Double(forcedCount)
        guard target >= -tolerance else {
            throw InclusionProbabilityError.forcedCertaintiesExceedSampleSize(
                forced: forcedCount, sampleSize: sampleSize)
        }
        let minimum = floor * Double(free.count)
        guard minimum <= target + tolerance else {
            throw InclusionProbabilityError.floorExceedsSampleSize(
                floor: floor, units: free.count, sampleSize: target)
        }
        let positive = free.filter { sizes[$0] > 0 }.count
        let maximum = Double(positive) + floor * Double(free.count - positive)
        guard target <= maximum + tolerance else {
            throw InclusionProbabilityError.tooFewPositiveSizes(
                positiveUnits: positive, reachable: maximum + Double(forcedCount), sampleSize: sampleSize)
        }

        let scale = solveScale(sizes: sizes, units: free, target: target, floor: floor)
        // Partition and refine: re-solve c on the proportional units until all stay inside [floor, 1].
        // A state per unit (not sets: strata hold hundreds of thousands of units, re-scanned every round).
        let proportionalState: UInt8 = 0, cappedState: UInt8 = 1, flooredState: UInt8 = 2
        var state = [UInt8](repeating: proportionalState, count: count)
        var cappedCount = 0, flooredCount = 0
        for index in free {
            let raw = scale * sizes[index]
            if raw >= 1 { state[index] = cappedState; cappedCount += 1 }
            else if raw <= floor { state[index] = flooredState; flooredCount += 1 }
        }
        var c = scale
        var proportional = free.filter { state[$0] == proportionalState }
        for _ in 0...count {
            let mass = proportional.reduce(0.0) { $0 + sizes[$1] }
            let remaining = target - Double(cappedCount) - floor * Double(flooredCount)
            if mass > 0 { c = max(0, remaining) / mass }
            var changed = false
            for index in proportional {
                let raw = c * sizes[index]
                if raw >= 1 { state[index] = cappedState; cappedCount += 1; changed = true }
                else if raw < floor { state[index] = flooredState; flooredCount += 1; changed = true }
            }
            if !changed { break }
            proportional.removeAll { state[$0] != proportionalState }
        }
        for index in free {
            switch state[index] {
            case cappedState: values[index] = 1
            case flooredState: values[index] = floor
            default: values[index] = min(1, max(floor, c * sizes[index]))
            }
        }
        let certainty = (0..<count).filter { values[$0] == 1 }
        return InclusionProbabilities(
            values: values, scale: c, certaintyIndices: certainty,
            flooredIndices: (0..<count).filter { state[$0] == flooredState && values[$0] < 1 })
    }

    /// The root `c` of `Σ_units clamp(c · x_i, floor, 1) = target` by a sweep over the breakpoints.
    static func solveScale(sizes: [Double], units: [Int], target: Double, floor: Double) -> Double {
        partitionScale(sizes: sizes, units: units, target: target, floor: floor)
            ?? sweepScale(sizes: sizes, units: units, target: target, floor: floor)
    }

    /// The root by iterating the partition: classify every unit by `c` (capped when `c · x ≥ 1`, floored when
    /// `c · x ≤ floor`), re-solve `c` on the proportional units, repeat until the partition reproduces itself.
    ///
    /// A partition that reproduces itself puts every unit in its band and sums to `target`, so its `c` is the
    /// root (unique where the proportional mass is positive). Usually two to five O(n) rounds, where the sweep
    /// sorts 2n breakpoints — the difference matters for strata of hundreds of thousands of entities. The
    /// capped and floored sets are nested in `c` (`x ≥ 1/c`, `x ≤ floor/c`), so equal counts mean an equal
    /// partition. Caps push `c` up and floors push it down, so in principle rounds can oscillate: then nil,
    /// and the sweep decides.
    static func partitionScale(sizes: [Double], units: [Int], target: Double, floor: Double) -> Double? {
        if floor * Double(units.count) >= target { return 0 }
        var totalMass = 0.0
        for index in units { totalMass += sizes[index] }
        guard totalMass > 0 else { return nil }
        var c = target / totalMass
        var previous = (capped: -1, floored: -1)
        for _ in 0..<32 {
            var capped = 0, floored = 0
            var mass = 0.0
            for index in units {
                let x = sizes[index], raw = c * x
                if raw >= 1 { capped += 1 } else if raw <= floor { floored += 1 } else { mass += x }
            }
            if previous == (capped, floored) { return c }
            previous = (capped, floored)
            guard mass > 0 else { return nil }
            c = max(0, target - Double(capped) - floor * Double(floored)) / mass
        }
        return nil
    }

    /// The root by a sweep over the breakpoints in increasing order.
    static func sweepScale(sizes: [Double], units: [Int], target: Double, floor: Double) -> Double {
        // Events: at c = floor / x the unit starts growing (slope += x); at c = 1 / x it stops (slope −= x).
        var events: [(at: Double, slopeChange: Double)] = []
        events.reserveCapacity(2 * units.count)
        for index in units where sizes[index] > 0 {
            let x = sizes[index]
            events.append((floor / x, x))
            events.append((1 / x, -x))
        }
        events.sort { $0.at < $1.at }
        var total = floor * Double(units.count)
        var slope = 0.0
        var c = 0.0
        if total >= target { return 0 }
        for event in events {
            let reach = total + slope * (event.at - c)
            if slope > 0, reach >= target {
                return c + (target - total) / slope
            }
            total = reach
            c = event.at
            slope += event.slopeChange
        }
        // Only reachable through rounding at the very top: every positive unit is capped.
        return c
    }
}

/// Why a set of inclusion probabilities cannot be built.
public enum InclusionProbabilityError: Error, Equatable, CustomStringConvertible {
    /// A size is negative, infinite or NaN.
    case invalidSize(index: Int, value: Double)
    /// The floor is outside `[0, 1]`.
    case invalidFloor(Double)
    /// The sample size is negative or not finite.
    case invalidSampleSize(Double)
    /// The certainty flags do not have one entry per size.
    case lengthMismatch(sizes: Int, flags: Int)
    /// `n > N`.
    case sampleSizeExceedsPopulation(sampleSize: Double, populationSize: Int)
    /// More forced certainty units than `n`.
    case forcedCertaintiesExceedSampleSize(forced: Int, sampleSize: Double)
    /// `π_min · N > n`: the floor alone needs more than the sample size.
    case floorExceedsSampleSize(floor: Double, units: Int, sampleSize: Double)
    /// Units of size 0 stay at the floor, so the rest cannot reach `n` even when all are capped at 1.
    case tooFewPositiveSizes(positiveUnits: Int, reachable: Double, sampleSize: Double)

    public var description: String {
        switch self {
        case let .invalidSize(index, value):
            return "size of unit \(index) is \(value); expected a finite number ≥ 0"
        case let .invalidFloor(value):
            return "floor π_min is \(value); expected a number in [0, 1]"
        case let .invalidSampleSize(value):
            return "sample size is \(value); expected a finite number ≥ 0"
        case let .lengthMismatch(sizes, flags):
            return "\(sizes) sizes but \(flags) certainty flags"
        case let .sampleSizeExceedsPopulation(n, population):
            return "sample size \(n) exceeds the \(population) units in scope"
        case let .forcedCertaintiesExceedSampleSize(forced, n):
            return "\(forced) units must be checked with certainty but the sample size is only \(n)"
        case let .floorExceedsSampleSize(floor, units, n):
            return "floor π_min = \(floor) for \(units) units needs \(floor * Double(units)) > sample size \(n)"
        case let .tooFewPositiveSizes(positive, reachable, n):
            return "only \(positive) units have a positive size; at most \(reachable) expected selections < \(n)"
        }
    }
}
