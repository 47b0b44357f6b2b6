import OneCheckUtilities

/// Stratified, optionally repeated, k-fold splits of row indices.
///
/// Within each repetition, the rows of each outcome class are shuffled (``SplitMix64`` seeded with
/// `seed + repetition`) and dealt to the folds in turn, so every fold has the class balance of the whole to within
/// one row, and folds of one repetition partition the rows.
public struct CrossValidation: Equatable, Sendable {
    /// One train/validation split.
    public struct Split: Equatable, Sendable {
        public let repetition: Int
        public let fold: Int
        public let trainRows: [Int]
        public let validationRows: [Int]
    }

    public let splits: [Split]

    /// - Throws: ``TuningError`` when `folds < 2`, `repeats < 1`, or a class has fewer rows than folds.
    public init(outcomes: [Double], folds: Int = 5, repeats: Int = 1, seed: UInt64 = 0) throws {
        guard folds >= 2, repeats >= 1 else {
            throw TuningError.invalidParameter("cross-validation needs ≥ 2 folds and ≥ 1 repeat (got \(folds), \(repeats))")
        }
        for (i, y) in outcomes.enumerated() where y != 0 && y != 1 { throw TuningError.outcomeNotBinary(row: i, value: y) }
        let positives = outcomes.indices.filter { outcomes[$0] == 1 }
        let negatives = outcomes.indices.filter { outcomes[$0] == 0 }
        guard positives.count >= folds, negatives.count >= folds else {
            throw TuningError.tooFewInClass(positives: positives.count, negatives: negatives.count, folds: folds)
        }
        var splits: [Split] = []
        for repetition in 0..<repeats {
            var generator = SplitMix64(seed: seed &+ UInt64(repetition))
            var assignment = [Int](repeating: 0, count: outcomes.count)
            var dealt = 0
            for var members in [positives, negatives] {
                generator.shuffle(&members)
                for row in members { assignment[row] = dealt % folds; dealt += 1 }
            }
            for fold in 0..<folds {
                splits.append(Split(repetition: repetition, fold: fold,
                                    trainRows: outcomes.indices.filter { assignment[$0] != fold },
                                    validationRows: outcomes.indices.filter { assignment[$0] == fold }))
            }
        }
        self.splits = splits
    }
}

/// Why tuning could not run.
public enum TuningError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidParameter(String)
    case outcomeNotBinary(row: Int, value: Double)
    case tooFewInClass(positives: Int, negatives: Int, folds: Int)
    case noCandidates

    public var description: String {
        switch self {
        case let .invalidParameter(message): return message
        case let .outcomeNotBinary(row, value): return "outcome at row \(row) is \(value); expected 0 or 1"
        case let .tooFewInClass(positives, negatives, folds):
            return "\(folds) folds need at least \(folds) rows of each outcome (have \(positives) positive, \(negatives) negative)"
        case .noCandidates: return "no candidate to tune over"
        }
    }
}
