import Testing
@testable import Fitting

/// The fold assignment is a function of the seed alone, and moving SplitMix64 to OneCheckUtilities did not change it.
@Suite struct FoldAssignmentTests {
    /// The fold of every row in each repetition, for 40 rows (every third positive), 4 folds × 2 repeats, seed 186.
    static func assignment() throws -> [[Int]] {
        let outcomes = (0..<40).map { $0 % 3 == 0 ? 1.0 : 0.0 }
        let cv = try CrossValidation(outcomes: outcomes, folds: 4, repeats: 2, seed: 186)
        var folds = [[Int]](repeating: [Int](repeating: -1, count: 40), count: 2)
        for split in cv.splits { for row in split.validationRows { folds[split.repetition][row] = split.fold } }
        return folds
    }

    /// Printed by Fitting's own SplitMix64 and CrossValidation before the move (main at 0299cd4, compiled alone).
    static let before: [[Int]] = [
        [1, 0, 3, 3, 1, 3, 1, 0, 1, 1, 2, 1, 2, 3, 1, 2, 0, 0, 0, 0, 2, 3, 2, 2, 0, 0, 3, 2, 2, 3, 1, 2, 3, 0, 3, 1, 0, 1, 2, 3],
        [3, 3, 2, 2, 3, 1, 0, 0, 0, 0, 1, 2, 2, 0, 3, 3, 3, 1, 0, 3, 2, 1, 1, 0, 3, 2, 3, 1, 0, 1, 1, 2, 2, 1, 1, 3, 0, 0, 2, 2],
    ]

    @Test func foldsAreThoseOfTheFormerGenerator() throws {
        #expect(try Self.assignment() == Self.before)
    }
}
