import Foundation
import GRDB
import Tables

/// What `importScores` did.
public struct ScoresImportSummary: Equatable, Sendable {
    public var period: String
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
    public var department: String
    /// Entities graded in both periods.
    public var entities: Int
    public var up: Int
    public var same: Int
    public var down: Int
    /// Entities under joint sanctions in the later period, and how many of them moved up (or stayed at D).
    public var sanctioned: Int
    public var sanctionedRaised: Int
    /// `counts[from][to]` for grades A…D (indices 0…3).
    public var counts: [[Int]]
}

extension Workspace {
    /// Imports a scores file of `onecheck score` as each department's grade of each entity in its directory for
    /// `period`, with **joint sanctions** applied, in one transaction (re-importing replaces the period's grades).
    ///
    /// For department *d* the columns are `<h>_grade` and `<h>_probability`, with *h* = the department's
    /// `risk_head` (`risk_<d>` when empty). The sanction rule: an entity with a serious finding (by any
    /// department) on a check in [period start − `windowDays`, period start) gets, **for every department of its
    /// directory**, `raised(max(scored grade, its grade in the latest earlier period))` — one step above both what
    /// the model now says and what the department used before (D stays D). So a serious finding always moves
    /// the entity up for every department, even when the model's features barely moved.
    /// - Throws: `TableError` (missing columns, unknown entity, bad grade; file, line, column);
    ///   `RegistryError.invalidArgument` for a period that is not a quarter.
    @discardableResult
    public func importScores(from url: URL, period: String, windowDays: Int = JointSanctions.defaultWindowDays,
                             blockSize: Int = 8 << 20, auditTime: String? = nil) throws -> ScoresImportSummary {
        guard let start = CalendarDate(periodStart: period) else {
            throw RegistryError.invalidArgument(name: "period", value: period, expected: CalendarDate.expectedPeriod)
        }
        let at = auditTime ?? Workspace.timestamp()
        return try database.write { db in
            var heads: [(department: String, head: String)] = []
            for row in try Row.fetchAll(db, sql: "SELECT code, risk_head FROM departments ORDER BY code") {
                let code: String = row[0], head: String = row[1]
                heads.append((code, head.isEmpty ? "risk_\(code)" : head))
            }
            var members: [String: [String]] = [:]   // entity → departments
            for row in try Row.fetchAll(db, sql: "SELECT entity, department FROM directory_memberships") {
                members[row[0], default: []].append(row[1])
            }
            let sanctioned = Set(try String.fetchAll(db, sql: """
                SELECT DISTINCT c.entity FROM findings f JOIN checks c ON c.id = f.check_id
                WHERE f.outcome = 'serious' AND c.checked_on >= ? AND c.checked_on < ?
                """, arguments: [start.adding(days: -windowDays).description, start.description]))
            var previous: [String: String] = [:]    // department \u{1F} entity → grade
            for row in try Row.fetchAll(db, sql: """
                SELECT department, entity, grade FROM department_grades
                WHERE period = (SELECT MAX(period) FROM department_grades WHERE period < ?)
                """, arguments: [period]) {
                previous[(row[0] as String) + "\u{1F}" + (row[1] as String)] = row[2]
            }
            try db.execute(sql: "DELETE FROM department_grades WHERE period = ?", arguments: [period])
            let insert = try db.makeStatement(sql: """
                INSERT INTO department_grades(period, department, entity, probability, scored_grade, grade)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            let file = CityFile(url: url, required: ["entity_id"] + heads.map { "\($0.head)_grade" },
                                optional: heads.map { "\($0.head)_probability" }, blockSize: blockSize)
            var keys = KeyLines()
            var summary = ScoresImportSummary(period: period, rows: 0, grades: 0, sanctionedEntities: 0, raisedGrades: 0)
            let grades = ["A", "B", "C", "D"]
            summary.rows = try file.forEachRow { r in
                let entity = try r.required("entity_id")
                try keys.claim(entity, row: r, column: "entity_id")
                guard let departments = members[entity] else {
                    throw r.fail("entity_id", .unknownCategory, expected: "a credit code of an entity in the directory")
                }
                let isSanctioned = sanctioned.contains(entity)
                if isSanctioned { summary.sanctionedEntities += 1 }
                for (department, head) in heads where departments.contains(department) {
                    let scored = try r.oneOf("\(head)_grade", grades)
                    let probability: Double? = try r.has("\(head)_probability")
                        ? r.number("\(head)_probability", in: 0...1, expected: "a probability in [0, 1]") : nil
                    var grade = scored
                    if isSanctioned {
                        let before = previous[department + "\u{1F}" + entity] ?? scored
                        grade = JointSanctions.raised(max(scored, before))
                        if grade > scored { summary.raisedGrades += 1 }
                    }
                    try executeUnchecked(insert, [period, department, entity, probability, scored, grade])
                    summary.grades += 1
                }
            }
            try AuditEntry(at: at, action: "import", period: period,
                           detail: "scores \(url.lastPathComponent) rows=\(summary.rows) grades=\(summary.grades) "
                               + "sanctioned=\(summary.sanctionedEntities)").insert(db)
            return summary
        }
    }

    /// How each department's grades moved from period `from` to period `to` (entities graded in both), with
    /// the entities under joint sanctions in `to` counted apart; departments in code order.
    public func gradeMoves(from: String, to: String, windowDays: Int = JointSanctions.defaultWindowDays) throws
        -> [GradeMoves] {
        guard let start = CalendarDate(periodStart: to) else {
            throw RegistryError.invalidArgument(name: "period", value: to, expected: CalendarDate.expectedPeriod)
        }
        return try database.read { db in
            let sanctioned = Set(try String.fetchAll(db, sql: """
                SELECT DISTINCT c.entity FROM findings f JOIN checks c ON c.id = f.check_id
                WHERE f.outcome = 'serious' AND c.checked_on >= ? AND c.checked_on < ?
                """, arguments: [start.adding(days: -windowDays).description, start.description]))
            var moves: [String: GradeMoves] = [:]
            let index = ["A": 0, "B": 1, "C": 2, "D": 3]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT a.department, a.entity, a.grade, b.grade FROM department_grades a
                JOIN department_grades b ON b.department = a.department AND b.entity = a.entity AND b.period = ?
                WHERE a.period = ?
                """, arguments: [to, from])
            while let row = try rows.next() {
                let department: String = row[0], entity: String = row[1]
                let before = index[row[2] as String]!, after = index[row[3] as String]!
                var m = moves[department] ?? GradeMoves(department: department, entities: 0, up: 0, same: 0, down: 0,
                                                        sanctioned: 0, sanctionedRaised: 0,
                                                        counts: Array(repeating: Array(repeating: 0, count: 4), count: 4))
                m.entities += 1
                m.counts[before][after] += 1
                if after > before { m.up += 1 } else if after == before { m.same += 1 } else { m.down += 1 }
                if sanctioned.contains(entity) {
                    m.sanctioned += 1
                    if after > before || after == 3 { m.sanctionedRaised += 1 }
                }
                moves[department] = m
            }
            return moves.keys.sorted().map { moves[$0]! }
        }
    }
}
