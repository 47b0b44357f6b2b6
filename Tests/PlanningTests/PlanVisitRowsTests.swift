import Foundation
import Supervision
import Tables
import Testing
import TestSupport
@testable import Planning

/// plan.csv's rows are parsed while inclusion.csv is read on another thread, and π is checked afterwards: the
/// error a user sees must still be the one a single pass over the rows, π at hand, meets first.
@Suite("Plan visit rows")
struct PlanVisitRowsTests {
    /// The fixture's plan directory, its draw, and plan.csv's lines split into fields.
    static func fixture() throws -> (RecordedDraw, [[String]], TemporaryDirectory) {
        let (plan, _, _, output, directory) = try PlanDirectoryTests.written()
        let draw = try output.readDraw()
        let lines = PlanOutputs.planCSV(plan).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.count >= 4, "the fixture's plan has at least three visits")
        return (draw, lines, directory)
    }

    /// `lines` written as a plan.csv in `directory`, parsed and checked against `draw`'s π.
    static func read(_ lines: [[String]], draw: RecordedDraw, in directory: TemporaryDirectory) throws -> RecordedDraw {
        let path = directory.file("edited-plan.csv").path
        try (lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return try PlanVisitRows(source: path, displayName: "plan.csv", period: draw.period)
            .checked(against: draw.inclusion, manifest: draw.manifest)
    }

    static func tableError(_ body: () throws -> Void) -> TableError? {
        do { try body() } catch let error as TableError { return error } catch { Issue.record("\(error)") }
        return nil
    }

    @Test("rows read apart from π give the draw read with π at hand")
    func sameDraw() throws {
        let (draw, lines, directory) = try Self.fixture()
        defer { directory.remove() }
        let again = try Self.read(lines, draw: draw, in: directory)
        #expect(again.visits == draw.visits && again.planHeader == draw.planHeader)
    }

    @Test("a department without π is reported at its row, before a malformed row after it")
    func piBeforeLaterMalformedRow() throws {
        let (draw, original, directory) = try Self.fixture()
        defer { directory.remove() }
        var lines = original
        lines[2][3] += ";police"
        lines[3][6] = "2031-01-01"
        let error = try #require(Self.tableError { _ = try Self.read(lines, draw: draw, in: directory) })
        #expect(error.line == 3 && error.column == 4 && error.value == lines[2][3])
        #expect("\(error)".contains("0 < π ≤ 1") && "\(error)".contains("not police"))
    }

    @Test("in one row, a department without π comes before a date outside the period (the order of its fields)")
    func piBeforeDateInTheSameRow() throws {
        let (draw, original, directory) = try Self.fixture()
        defer { directory.remove() }
        var lines = original
        lines[2][3] += ";police"
        lines[2][6] = "2031-01-01"
        let error = try #require(Self.tableError { _ = try Self.read(lines, draw: draw, in: directory) })
        #expect(error.line == 3 && error.column == 4)
    }

    @Test("a malformed row is reported before a department without π on a later row")
    func malformedRowBeforeLaterPi() throws {
        let (draw, original, directory) = try Self.fixture()
        defer { directory.remove() }
        var lines = original
        lines[2][6] = "2031-01-01"
        lines[3][3] += ";police"
        let error = try #require(Self.tableError { _ = try Self.read(lines, draw: draw, in: directory) })
        #expect(error.line == 3 && error.column == 7 && error.value == "2031-01-01")
    }

    @Test("a repeated check id is refused at its second line, naming the first")
    func repeatedCheck() throws {
        let (draw, original, directory) = try Self.fixture()
        defer { directory.remove() }
        var lines = original
        lines[3] = lines[1]
        let error = try #require(Self.tableError { _ = try Self.read(lines, draw: draw, in: directory) })
        #expect(error.line == 4 && error.column == 1 && error.kind == .duplicateKey(firstLine: 2))
    }
}
