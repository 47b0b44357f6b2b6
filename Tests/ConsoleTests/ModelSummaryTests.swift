import Foundation
@testable import Console
import Registry
import Supervision
import Testing

/// The model page reads grade counts and probability bins kept beside the grades (schema version 7): they must
/// equal a count of the grades themselves after every write of grades.
@Suite("model page summaries")
struct ModelSummaryTests {
    /// Counts of the grades of `period`, read one by one.
    static func recount(_ workspace: Workspace, period: Period, bins: Int) throws
        -> (grades: [GradeCount], histogram: [DepartmentCode: [Int]]) {
        var grades: [GradeKey: Int] = [:], histogram: [DepartmentCode: [Int]] = [:]
        try workspace.store.read { tx in
            try tx.forEachDepartmentGrade(period: period) { g in
                grades[GradeKey(department: g.department, grade: g.grade), default: 0] += 1
                if let p = g.probability {
                    histogram[g.department, default: Array(repeating: 0, count: bins)][min(Int(p * Double(bins)), bins - 1)] += 1
                }
            }
        }
        let counts = grades.map { GradeCount(department: $0.key.department, grade: $0.key.grade, count: $0.value) }
            .sorted { ($0.department.rawValue, $0.grade.label) < ($1.department.rawValue, $1.grade.label) }
        return (counts, histogram)
    }

    struct GradeKey: Hashable {
        let department: DepartmentCode
        let grade: Grade
    }

    @Test func summariesFollowEveryWriteOfGrades() throws {
        let fixture = try ConsoleFixture()
        let workspace = fixture.workspace, period = ConsoleFixture.period
        for bins in [20, 7] {
            let figures = try workspace.modelFigures(period: period, bins: bins)
            let expected = try Self.recount(workspace, period: period, bins: bins)
            #expect(figures.gradeCounts == expected.grades && figures.histogram == expected.histogram, "bins \(bins)")
            #expect(figures.gradeCounts.reduce(0) { $0 + $1.count } == 48)
        }
        #expect(try workspace.gradedPeriods() == [period])

        // Grades of a second period, then the first period graded again with other grades.
        let q2 = Period("2026Q2")!
        try workspace.store.write { tx in
            try tx.insertDepartmentGrades(fixture.codes.prefix(5).map {
                DepartmentGrade(period: q2, department: "market", entity: $0, probability: 1.0, scoredGrade: .d, grade: .d)
            })
            try tx.deleteDepartmentGrades(period: period)
            try tx.insertDepartmentGrades(fixture.codes.enumerated().map { i, code in
                DepartmentGrade(period: period, department: "fire", entity: code, probability: i == 0 ? nil : Double(i) / 24,
                                scoredGrade: .a, grade: i % 3 == 0 ? .b : .a)
            })
        }
        for p in [period, q2] {
            let figures = try workspace.modelFigures(period: p)
            let expected = try Self.recount(workspace, period: p, bins: 20)
            #expect(figures.gradeCounts == expected.grades && figures.histogram == expected.histogram, "\(p)")
        }
        #expect(try workspace.modelFigures(period: q2).histogram == ["market": Array(repeating: 0, count: 19) + [5]])
        #expect(try workspace.modelFigures(period: period).gradeCounts.map(\.department) == ["fire", "fire"])
        #expect(try workspace.gradedPeriods() == [period, q2])
    }

    /// The model page's calibration (a join of the period's checks, findings and grades) is read again only after a
    /// write that can change it: an account added keeps it — even when the data beneath changed without an audit
    /// entry, which shows that it was not read — and findings (audited, with or without an account) renew it.
    @Test func calibrationIsKeptAcrossWritesThatCannotChangeIt() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let workspace = fixture.workspace, period = ConsoleFixture.period
        let cache = IndicatorCache()
        let before = try await cache.modelFigures(workspace, period: period)
        #expect(before.calibration == (try workspace.calibrationDeciles(period: period)))
        #expect(!before.calibration.isEmpty)

        try workspace.store.write { tx in
            try tx.upsertFindings([Finding(checkId: fixture.marketCheck(5), item: "market.r.1", outcome: .serious, penalty: 0)])
        }
        #expect(try workspace.calibrationDeciles(period: period) != before.calibration)
        try workspace.addUser(name: "zed", role: .planner, passwordHash: ConsoleFixture.passwordHash)
        let afterAccount = try await cache.modelFigures(workspace, period: period)
        #expect(afterAccount.calibration == before.calibration, "an account cannot change the calibration: kept")
        #expect(afterAccount.gradeCounts == before.gradeCounts)

        // An officer's findings, as the console and `import findings` record them (with an audit entry).
        let officer = try #require(try workspace.user(named: "mo"))
        try workspace.recordFindings([Finding(checkId: fixture.marketCheck(6), item: "market.r.1", outcome: .compliant, penalty: 0)],
                                     by: officer)
        let afterFindings = try await cache.modelFigures(workspace, period: period)
        #expect(afterFindings.calibration == (try workspace.calibrationDeciles(period: period)))
        #expect(afterFindings.calibration != before.calibration)

        // Findings recorded with no account (the library's recorder, as a script calls it) are audited as well, so
        // they renew it too.
        try workspace.recordFindings([Finding(checkId: fixture.marketCheck(6), item: "market.r.1", outcome: .serious, penalty: 0)])
        let afterScript = try await cache.modelFigures(workspace, period: period)
        #expect(afterScript.calibration == (try workspace.calibrationDeciles(period: period)))
        #expect(afterScript.calibration != afterFindings.calibration)
    }
}
