/// The auditor's sampler (issue 4, item 8): anyone can re-draw a published design from a units list
/// and the public seed, and check its π empirically over many seeded replicates.
///
/// **Canonical order.** Units are sorted by the UTF-8 bytes of their ids before anything else, so the
/// order of rows in the input file cannot change a sample. **Randomness.** Replicate `r` (0-based; a
/// single draw is replicate 0) reads the ``VerifiableRandomStream`` with purpose
/// ``AuditFrame/purpose`` and entity `"replicate-r"`.
public struct AuditFrame: Sendable, Equatable {
    /// How the second column of a units list is read.
    public enum Measure: String, Sendable, Codable {
        /// `id,size`: π proportional to size with Σπ = n, capped at 1 (``InclusionProbabilities``).
        case size
        /// `id,pi`: π given; Σπ must be an integer n.
        case pi
    }

    /// The purpose under which audit draws read their random numbers.
    public static let purpose = "onecheck.sample"

    /// Unit ids in canonical (UTF-8 byte) order.
    public let ids: [String]
    /// The design over ``ids``.
    public let design: FixedSizeDesign

    /// Builds the frame from ids and values in any order.
    ///
    /// - Parameters:
    ///   - sampleSize: `n`; required for ``Measure/size``; for ``Measure/pi`` optional, but when given it
    ///     must equal Σπ.
    /// - Throws: ``AuditFrameError``, ``InclusionProbabilityError`` or ``SamplingError``.
    public init(ids: [String], values: [Double], measure: Measure, sampleSize: Int?) throws {
        precondition(ids.count == values.count, "one value per id")
        let order = ids.indices.sorted { ids[$0].utf8.lexicographicallyPrecedes(ids[$1].utf8) }
        let sortedIDs = order.map { ids[$0] }
        for (previous, next) in zip(sortedIDs, sortedIDs.dropFirst()) where previous.utf8.elementsEqual(next.utf8) {
            throw AuditFrameError.duplicateID(next)
        }
        let sortedValues = order.map { values[$0] }
        switch measure {
        case .size:
            guard let n = sampleSize else { throw AuditFrameError.missingSampleSize }
            let inclusion = try InclusionProbabilities.proportionalToSize(sortedValues, sampleSize: Double(n))
            design = try FixedSizeDesign(inclusion)
        case .pi:
            design = try FixedSizeDesign(probabilities: sortedValues)
            if let n = sampleSize, n != design.sampleSize {
                throw AuditFrameError.sampleSizeDisagrees(requested: n, sumOfPi: design.probabilities.reduce(0, +))
            }
        }
        self.ids = sortedIDs
    }

    /// The stream of replicate `r` for `seed`.
    public static func stream(seed: String, replicate: Int) -> VerifiableRandomStream {
        VerifiableRandom(seed: seed, purpose: purpose).stream(entity: "replicate-\(replicate)")
    }

    /// One draw: the selected ids in canonical order.
    public func draw(method: SamplingMethod, seed: String, replicate: Int = 0) throws -> [String] {
        let sampler = try method.makeSampler(design: design)
        var stream = Self.stream(seed: seed, replicate: replicate)
        return sampler.sample(using: &stream).map { ids[$0] }
    }

    /// Selection counts per unit (in ``ids`` order) over replicates `0 ..< replicates`.
    ///
    /// - Complexity: one sampler fit, then O(replicates · N).
    public func selectionCounts(method: SamplingMethod, seed: String, replicates: Int) throws -> [Int] {
        let sampler = try method.makeSampler(design: design)
        return Self.count(sampler, seed: seed, replicates: replicates)
    }

    private static func count(_ sampler: some FixedSizeSampler, seed: String, replicates: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: sampler.design.probabilities.count)
        let random = VerifiableRandom(seed: seed, purpose: purpose)
        for replicate in 0..<replicates {
            var stream = random.stream(entity: "replicate-\(replicate)")
            for unit in sampler.sample(using: &stream) { counts[unit] += 1 }
        }
        return counts
    }
}

/// Why a units list cannot be sampled.
public enum AuditFrameError: Error, Equatable, CustomStringConvertible {
    /// Two rows share an id.
    case duplicateID(String)
    /// `id,size` needs a sample size.
    case missingSampleSize
    /// `id,pi` with a sample size other than Σπ.
    case sampleSizeDisagrees(requested: Int, sumOfPi: Double)

    public var description: String {
        switch self {
        case let .duplicateID(id): return "unit id \"\(id)\" appears more than once"
        case .missingSampleSize: return "a units list with sizes (id,size) needs the sample size n (--n)"
        case let .sampleSizeDisagrees(n, sum): return "n = \(n) but the inclusion probabilities sum to \(sum)"
        }
    }
}
