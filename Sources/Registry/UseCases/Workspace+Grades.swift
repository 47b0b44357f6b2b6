import Foundation
import Supervision
import Tables

/// What `importScores` did.
public struct ScoresImportSummary: Equatable, Sendable {
    public var period: Period
    /// Score rows read.
    public var rows: Int
    /// Department grades written (entity × department of its directory).
    public var grades: Int
    /// Entities under joint sanctions (a serious finding in the look-back window).
    public var sanctionedEntities: Int
    /// Department grades raised by the sanction above the scored grade.
    public var raisedGrades: Int
}

/// How one department's grades moved between two periods.
public struct GradeMoves: Equatable, Sendable {
    public var department: DepartmentCode
    /// Entities graded in both periods.
    public var entities: Int
    public var up: Int
    public var same: Int
    public var down: Int
    /// Entities under joint sanctions in the later period, and how many of them moved up (or stayed at D).
    public var sanctioned: Int
    public var sanctionedRaised: Int
    /// `counts[from][to]`, indexed by `Grade.rawValue`.
    public var counts: [[Int]]
}

extension Workspace {
    /// Imports a scores file of `onecheck score` as each department's grade of each entity in its directory for
    /// `period`, with **joint sanctions** applied, in one transaction (re-importing replaces the period's grades).
    ///
    /// For department *d* the columns are `<h>_grade` and `<h>_probability`, with *h* = the department's
    /// risk head. An entity with a serious finding (by any department) on a check in
    /// ``JointSanctions/window(before:days:)`` of the period's first day gets, **for every department of its
    /// directory**, ``JointSanctions/sanctionedGrade(scored:previous:)`` with its grade in the latest earlier
    /// graded period. So a serious finding always moves the entity up for every department, even when the model's
    /// features barely moved.
    /// - Throws: `TableError` (missing columns, unknown entity, bad grade; file, line, column).
    @discardableResult
    public func importScores(from url: URL, period: Period, windowDays: Int = JointSanctions.defaultWindowDays,
                             blockSize: Int = 8 << 20, auditTime: String? = nil) throws -> ScoresImportSummary {
        let at = auditTime ?? Workspace.timestamp()
        return try store.write { tx in
            let heads = try tx.departments().map { ($0.code, $0.riskHead) }
            let sanctioned = try tx.entities(withFindingOf: .serious,
                                             checkedIn: JointSanctions.window(before: period.firstDay, days: windowDays))
            var previous: [DirectoryMembership: Grade] = [:]
            if let earlier = try tx.latestGradedPeriod(before: period) {
                for g in try tx.departmentGrades(period: earlier, of: Array(sanctioned)) {
                    previous[DirectoryMembership(department: g.department, entity: EntityID(g.entity))] = g.grade
                }
            }
            try tx.deleteDepartmentGrades(period: period)
            let file = FileRows(url: url, required: [EntitiesFile.idColumn] + heads.map { "\($0.1)_grade" },
                                optional: heads.map { "\($0.1)_probability" }, blockSize: blockSize)
            var keys = KeyLines<String>()
            var summary = ScoresImportSummary(period: period, rows: 0, grades: 0, sanctionedEntities: 0, raisedGrades: 0)
            var grades: [DepartmentGrade] = []
            let rows = try file.forEachBlock { block, positions in
                let rows = BlockRows(block: block, positions: positions)
                let entries = try tx.directoryEntries(of: rows.creditCodes(EntitiesFile.idColumn))
                grades.removeAll(keepingCapacity: true)
                for r in rows {
                    let id = try r.required(EntitiesFile.idColumn)
                    try keys.claim(id, row: r, column: EntitiesFile.idColumn)
                    guard let entity = r.creditCodeIfValid(EntitiesFile.idColumn), let entry = entries[entity] else {
                        throw r.fail(EntitiesFile.idColumn, .unknownCategory,
                                     expected: "a credit code of an entity in the directory")
                    }
                    let isSanctioned = sanctioned.contains(entity)
                    if isSanctioned { summary.sanctionedEntities += 1 }
                    for (department, head) in heads where entry.departments.contains(department) {
                        let scored = Grade(label: try r.oneOf("\(head)_grade", Grade.labels))!
                        let probability: Double? = r.has("\(head)_probability")
                            ? try r.number("\(head)_probability", in: 0...1, expected: "a probability in [0, 1]") : nil
                        var grade = scored
                        if isSanctioned {
                            grade = JointSanctions.sanctionedGrade(
                                scored: scored, previous: previous[DirectoryMembership(department: department, entity: EntityID(entity))])
                            if grade > scored { summary.raisedGrades += 1 }
                        }
                        grades.append(DepartmentGrade(period: period, department: department, entity: entity,
                                                      probability: probability, scoredGrade: scored, grade: grade))
                    }
                }
                try tx.insertDepartmentGrades(grades)
                summary.grades += grades.count
            }
            summary.rows = rows
            try tx.appendAudit(AuditEntry(at: at, action: .import, period: period.description, detail:
                "scores \(url.lastPathComponent) rows=\(summary.rows) grades=\(summary.grades) sanctioned=\(summary.sanctionedEntities)"))
            return summary
        }
    }

    /// How each department's grades moved from period `from` to period `to` (entities graded in both), with
    /// the entities under joint sanctions in `to` counted apart; departments in code order.
    public func gradeMoves(from: Period, to: Period, windowDays: Int = JointSanctions.defaultWindowDays) throws
        -> [GradeMoves] {
        try store.read { tx in
            let sanctioned = try tx.entities(withFindingOf: .serious,
                                             checkedIn: JointSanctions.window(before: to.firstDay, days: windowDays))
            var moves: [DepartmentCode: GradeMoves] = [:]
            try tx.forEachGradePair(from: from, to: to) { department, entity, before, after in
                var m = moves[department] ?? GradeMoves(
                    department: department, entities: 0, up: 0, same: 0, down: 0, sanctioned: 0, sanctionedRaised: 0,
                    counts: Array(repeating: Array(repeating: 0, count: Grade.allCases.count), count: Grade.allCases.count))
                m.entities += 1
                m.counts[before.rawValue][after.rawValue] += 1
                if after > before { m.up += 1 } else if after == before { m.same += 1 } else { m.down += 1 }
                if sanctioned.contains(entity) {
                    m.sanctioned += 1
                    if after > before || after == .d { m.sanctionedRaised += 1 }
                }
                moves[department] = m
            }
            return moves.keys.sorted().map { moves[$0]! }
        }
    }
}
