import Supervision

/// Inclusion probabilities computed stratum by stratum, with the agreed-versus-realised quota report.
public struct StratifiedInclusionProbabilities: Sendable, Equatable {
    /// π per input row (a row is one entity in one department's scope).
    public let values: [Double]
    /// One allocation per stratum, in ``Stratum`` order.
    public let allocations: [StratumAllocation]
}

/// The quota report line of one stratum.
public struct StratumAllocation: Sendable, Equatable, Codable {
    public let stratum: Stratum
    /// What the department agreed.
    public let quota: SampleSize
    /// Units in scope, `N_h`.
    public let populationSize: Int
    /// The integer sample size `n_h` drawn (see ``Supervision/SampleSize/integerSize(population:)``).
    public let sampleSize: Int
    /// `Σ π` over the stratum, equal to `n_h` up to rounding.
    public let expectedSampleSize: Double
    /// Units with π = 1.
    public let certaintyCount: Int
    /// Units held at the floor.
    public let flooredCount: Int

    /// The agreed ratio (`count / N` for count quotas, 1 for a census).
    public var agreedRatio: Double {
        switch quota {
        case let .ratio(ratio): return ratio
        case let .count(count): return populationSize == 0 ? 0 : Double(count) / Double(populationSize)
        case .census: return 1
        }
    }

    /// The ratio actually drawn, `n_h / N_h`.
    public var realisedRatio: Double { populationSize == 0 ? 0 : Double(sampleSize) / Double(populationSize) }
}

/// A stratum whose quota cannot be met.
public enum StratumError: Error, Equatable, CustomStringConvertible {
    /// Rows of this stratum exist but no quota was agreed for it.
    case missingQuota(Stratum)
    /// The quota itself is malformed.
    case invalidQuota(Stratum, QuotaError)
    /// The quota is well formed but infeasible for this stratum (e.g. more checks than units).
    case infeasible(Stratum, InclusionProbabilityError)
    /// `sizes` and `strata` differ in length.
    case lengthMismatch(sizes: Int, strata: Int)

    public var description: String {
        switch self {
        case let .missingQuota(stratum): return "no quota agreed for stratum \(stratum)"
        case let .invalidQuota(stratum, error): return "stratum \(stratum): \(error)"
        case let .infeasible(stratum, error): return "stratum \(stratum): \(error)"
        case let .lengthMismatch(sizes, strata): return "\(sizes) sizes but \(strata) stratum labels"
        }
    }
}

extension InclusionProbabilities {
    /// π proportional to size within each stratum, with the stratum's agreed sample size, capped at 1
    /// (iterated) and floored at `floor`. A ``Supervision/SampleSize/census`` stratum gets π = 1 throughout.
    ///
    /// - Parameters:
    ///   - sizes: risk-adjusted sizes per row.
    ///   - strata: the stratum (department × grade) of each row.
    ///   - quotas: the agreed quota of each stratum present.
    ///   - floor: `π_min` for every row (no blind spot).
    /// - Throws: ``StratumError`` naming the stratum whose quota is missing, invalid or infeasible.
    /// - Complexity: O(N log N).
    public static func stratified(
        sizes: [Double], strata: [Stratum], quotas: [Stratum: SampleSize], floor: Double
    ) throws -> StratifiedInclusionProbabilities {
        guard sizes.count == strata.count else {
            throw StratumError.lengthMismatch(sizes: sizes.count, strata: strata.count)
        }
        var rowsByStratum: [Stratum: [Int]] = [:]
        for (row, stratum) in strata.enumerated() { rowsByStratum[stratum, default: []].append(row) }
        var values = [Double](repeating: 0, count: sizes.count)
        var allocations: [StratumAllocation] = []
        for stratum in rowsByStratum.keys.sorted() {
            let rows = rowsByStratum[stratum]!
            guard let quota = quotas[stratum] else { throw StratumError.missingQuota(stratum) }
            let n: Int
            do { n = try quota.integerSize(population: rows.count) } catch let error as QuotaError {
                throw StratumError.invalidQuota(stratum, error)
            }
            let inclusion: InclusionProbabilities
            do {
                inclusion = try proportionalToSize(
                    rows.map { sizes[$0] }, sampleSize: Double(n), floor: floor,
                    forcedCertainty: quota == .census ? Array(repeating: true, count: rows.count) : nil)
            } catch let error as InclusionProbabilityError {
                throw StratumError.infeasible(stratum, error)
            }
            for (position, row) in rows.enumerated() { values[row] = inclusion.values[position] }
            allocations.append(StratumAllocation(
                stratum: stratum, quota: quota, populationSize: rows.count, sampleSize: n,
                expectedSampleSize: inclusion.expectedSampleSize,
                certaintyCount: inclusion.certaintyIndices.count, flooredCount: inclusion.flooredIndices.count))
        }
        return StratifiedInclusionProbabilities(values: values, allocations: allocations)
    }
}
