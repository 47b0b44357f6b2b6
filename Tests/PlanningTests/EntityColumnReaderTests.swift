import Foundation
import Supervision
import Tables
import Testing
import TestSupport
@testable import Planning

/// The streaming entity/score reader behind `PlanInputs.read`: row order does not matter, and each bad row is
/// named by file, line and column.
@Suite("Plan inputs: entities joined with scores")
struct EntityColumnReaderTests {
    @Test("entities and scores in any order give the same columns, sorted by id")
    func anyOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let inOrder = try PlanInputs.read(PlanFixture().write(to: directory))
        let other = try TemporaryDirectory()
        defer { other.remove() }
        var fixture = PlanFixture()
        fixture.shuffled = true
        let paths = try fixture.write(to: other)
        // Scores in yet another order than the (reversed) entities: the reader's lookup path.
        let scores = try String(contentsOfFile: paths.scores, encoding: .utf8).split(separator: "\n").map(String.init)
        let rotated = [scores[0]] + Array(scores[1...].dropFirst(7)) + Array(scores[1...].prefix(7))
        try (rotated.joined(separator: "\n") + "\n").write(toFile: paths.scores, atomically: true, encoding: .utf8)
        let shuffled = try PlanInputs.read(paths)
        #expect(inOrder.entityIDs == shuffled.entityIDs)
        #expect(inOrder.entityIDs == inOrder.entityIDs.sorted { $0.rawValue.utf8.lexicographicallyPrecedes($1.rawValue.utf8) })
        #expect(inOrder.scores == shuffled.scores && inOrder.grades == shuffled.grades)
        #expect(inOrder.entities == shuffled.entities)
        // Every department scores exactly the entities of the scenarios it supervises.
        let market = try #require(inOrder.scores.first { $0.department == "market" })
        #expect(market.entities.count == inOrder.entityIDs.count)
        let fire = try #require(inOrder.scores.first { $0.department == "fire" })
        #expect(fire.entities.allSatisfy { inOrder.scenario(ofEntity: $0) == "restaurant" })
    }

    /// Rewrites one file of the fixture with `edit` and returns the reader's error.
    func readError(in file: KeyPath<PlanInputPaths, String>, _ edit: (inout [String]) -> Void) throws -> TableError {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let paths = try PlanFixture().write(to: directory)
        var lines = try String(contentsOfFile: paths[keyPath: file], encoding: .utf8)
            .split(separator: "\n").map(String.init)
        edit(&lines)
        try (lines.joined(separator: "\n") + "\n").write(toFile: paths[keyPath: file], atomically: true, encoding: .utf8)
        do {
            _ = try PlanInputs.read(paths)
        } catch let error as TableError {
            return error
        }
        Issue.record("no error")
        return TableError(.emptyFile, file: "")
    }

    @Test("a repeated entity id names both lines")
    func duplicateEntity() throws {
        let error = try readError(in: \.entities) { $0[5] = $0[2] }
        #expect(error.kind == .duplicateKey(firstLine: 3) && error.line == 6 && error.file.hasSuffix("entities.csv"))
        // Ids equal as text in other bytes (é composed, then decomposed) are one id too, in a file out of order
        // (where the reader compares neighbours in full only for ids that are not all ASCII).
        let spelled = try readError(in: \.entities) { lines in
            lines[5] = "Xe\u{301}" + lines[5].drop { $0 != "," }
            lines[2] = "X\u{e9}" + lines[2].drop { $0 != "," }
        }
        #expect(spelled.kind == .duplicateKey(firstLine: 3) && spelled.line == 6, "\(spelled)")
    }

    /// The ids are sorted on another thread while the scores are read: with both files bad, the error is still the
    /// one a single pass meets first, the entities' repeated id.
    @Test("a repeated entity id is reported before a bad scores file")
    func entitiesErrorFirst() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let paths = try PlanFixture().write(to: directory)
        for (path, edit) in [(paths.entities, { (lines: inout [String]) in lines[5] = lines[2] }),
                             (paths.scores, { (lines: inout [String]) in lines[2] = "E9999" + lines[2].drop { $0 != "," } })] {
            var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            edit(&lines)
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let error = try #require(throws: TableError.self) { _ = try PlanInputs.read(paths) }
        #expect(error.kind == .duplicateKey(firstLine: 3) && error.line == 6 && error.file.hasSuffix("entities.csv"))
    }

    @Test("scores: an unknown id, a second row, a bad probability, a missing grade, a missing entity")
    func badScores() throws {
        var error = try readError(in: \.scores) { $0[4] = "E9999" + $0[4].drop { $0 != "," } }
        #expect(error.kind == .unknownCategory && error.line == 5 && error.column == 1)
        error = try readError(in: \.scores) { $0[9] = $0[3] }
        #expect(error.kind == .duplicateKey(firstLine: 4) && error.line == 10)
        error = try readError(in: \.scores) { $0[2] = $0[2].split(separator: ",", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 1 ? "1.5" : String($0.element) }.joined(separator: ",") }
        #expect(error.kind == .invalidValue && error.line == 3 && error.columnName == "risk_market_probability")
        error = try readError(in: \.scores) { $0[2] = $0[2].split(separator: ",", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 2 ? "" : String($0.element) }.joined(separator: ",") }
        #expect(error.kind == .missingValue && error.columnName == "risk_market_grade")
        error = try readError(in: \.scores) { $0.remove(at: 8) }
        #expect(error.kind == .invalidValue && error.file.hasSuffix("entities.csv") && error.line == 9)
    }

    /// Issue 14, item 10: grades are A–D; any other label (a model with other grade labels, a typo, lower case)
    /// is refused where it stands instead of becoming a stratum of its own.
    @Test("a grade label other than A–D is refused at its line and column, naming the labels expected",
          arguments: ["E", "a", "AA", "B "])
    func badGrade(label: String) throws {
        let error = try readError(in: \.scores) { $0[2] = $0[2].split(separator: ",", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 2 ? label : String($0.element) }.joined(separator: ",") }
        #expect(error.kind == .unknownCategory && error.line == 3 && error.column == 3)
        #expect(error.columnName == "risk_market_grade" && error.value == label)
        #expect(error.expected == "a grade label, " + TableError.expectedOneOf(Grade.labels))
        #expect(error.file.hasSuffix("scores.csv"))
    }

    @Test("an entity of a scenario nobody supervises is refused with the known scenarios")
    func unknownScenario() throws {
        let error = try readError(in: \.entities) { $0[3] = $0[3].prefix { $0 != "," } + ",bakery" }
        #expect(error.kind == .unknownCategory && error.line == 4 && error.column == 2)
    }
}
