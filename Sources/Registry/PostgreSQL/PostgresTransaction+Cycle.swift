import PostgresNIO
import Supervision

// MARK: - Draws, checks and their facts

extension PostgresTransaction {
    static func plan(_ row: PostgresRow) throws -> ScenarioPlan {
        ScenarioPlan(id: try key(row, 0), scenario: try key(row, 1), period: try period(row, 2, in: "plans"),
                     seed: try row.string(3), jurisdiction: JurisdictionCode?(storedText: try row.string(4)))
    }

    /// The columns ``plan(_:)`` reads, in its order.
    static let planColumns = "id, scenario, period, seed, jurisdiction"

    func plans(scenario: ScenarioCode, period: Period) throws -> [ScenarioPlan] {
        try query("SELECT \(Self.planColumns) FROM plans WHERE scenario = $1 AND period = $2 ORDER BY jurisdiction",
                  [.text(scenario.rawValue), .text(period.description)]).map(Self.plan)
    }

    func plan(id: PlanID, period: Period) throws -> ScenarioPlan? {
        try query("SELECT \(Self.planColumns) FROM plans WHERE id = $1 AND period = $2",
                  [.text(id.rawValue), .text(period.description)]).first.map(Self.plan)
    }

    /// The columns `recordedCheck(_:periods:)` reads, as `SQLiteTransaction.checkColumns`.
    static let checkColumns = SQLiteTransaction.checkColumns
    static let checksJoinPlans = SQLiteTransaction.checksJoinPlans
    /// The checks named by `check_codes k`, each found in its jurisdiction's partition (schema version 12), with
    /// their plans.
    static let codesJoinChecks = "check_codes k JOIN checks c ON c.jurisdiction = k.jurisdiction AND c.id = k.id "
        + "JOIN plans p ON p.period = c.period AND p.id = c.plan"

    /// A check from the first nine columns of `row` (``checkColumns``); `periods` parses each period once.
    func recordedCheck(_ row: PostgresRow, periods: inout [String: Period]) throws -> RecordedCheck {
        let periodText = try row.string(2)
        let period: Period
        if let known = periods[periodText] {
            period = known
        } else {
            period = try Self.period(row, 2, in: "checks")
            periods[periodText] = period
        }
        let entity = try row.string(3), day = try row.string(6), inspectors = try row.string(7)
        guard let code = try? CreditCode(validating: entity), let checkedOn = CalendarDate(day) else {
            throw StoredValueError(table: "checks", column: "entity or checked_on", value: "\(entity), \(day)")
        }
        return RecordedCheck(
            check: Check(id: try Self.key(row, 0), plan: try Self.key(row, 1), entity: code, department: try Self.key(row, 4),
                         inclusionProbability: try row.double(5), checkedOn: checkedOn,
                         inspectors: inspectors.isEmpty ? [] : KeyList.keys(inspectors)),
            scenario: try Self.key(row, 8), period: period)
    }

    func checks(_ ids: [CheckID]) throws -> [CheckID: RecordedCheck] {
        var result: [CheckID: RecordedCheck] = [:]
        var periods: [String: Period] = [:]
        for row in try query("SELECT \(Self.checkColumns) FROM \(Self.codesJoinChecks) WHERE k.id = ANY($1)",
                             [.texts(Set(ids).map(\.rawValue))]) {
            let recorded = try recordedCheck(row, periods: &periods)
            result[recorded.check.id] = recorded
        }
        return result
    }

    func checks(inPeriods periods: [Period], of selection: EntitySelection) throws -> [RecordedCheck] {
        guard !periods.isEmpty else { return [] }
        var known: [String: Period] = [:]
        // A jurisdiction's checks are one partition (schema version 12).
        let jurisdiction = selection.storedJurisdiction
        return try query("""
            SELECT \(Self.checkColumns) FROM \(Self.checksJoinPlans)
            WHERE c.period = ANY($1)\(jurisdiction == nil ? "" : " AND c.jurisdiction = $2") ORDER BY c.id
            """, [.texts(periods.map(\.description))] + (jurisdiction.map { [.text($0)] } ?? []))
            .map { try recordedCheck($0, periods: &known) }
    }

    static func finding(_ row: PostgresRow) throws -> Finding {
        Finding(checkId: try key(row, 0), item: try key(row, 1),
                outcome: try row.parsed(2, in: "findings") { Outcome(rawValue: $0) },
                penalty: try row.double(3), note: try row.string(4))
    }

    func findings(_ keys: [FindingKey]) throws -> [FindingKey: Finding] {
        var result: [FindingKey: Finding] = [:]
        guard !keys.isEmpty else { return result }
        for row in try query("""
            SELECT f.check_id, f.item, f.outcome, f.penalty, f.note
            FROM unnest($1::text[], $2::text[]) AS k(check_id, item) JOIN check_codes c ON c.id = k.check_id
            JOIN findings f ON f.jurisdiction = c.jurisdiction AND f.check_id = k.check_id AND f.item = k.item
            """, [.texts(keys.map(\.check.rawValue)), .texts(keys.map(\.item.rawValue))]) {
            let finding = try Self.finding(row)
            result[FindingKey(check: finding.checkId, item: finding.item)] = finding
        }
        return result
    }

    func checkFacts(_ selection: CheckSelection) throws -> [CheckFacts] {
        var columns = "c.id, c.plan, c.period, p.scenario, c.department, c.entity, c.inclusion_probability, c.checked_on, "
            + "u.published_on, u.deadline"
        // Every table keyed by a check is joined in the check's jurisdiction (schema version 12). A check's findings
        // and disposals are counted by a lookup of its key each (`LATERAL`), not by joining per-check aggregates of
        // the whole tables: right after a draw no statistics count the draw's checks yet, and with the checks
        // estimated at a row or two the planner rescanned such an aggregate once per check, quadratic in the checks
        // (Benchmarks/README.md). A lookup per check costs the same whatever the estimate.
        var joins = "LEFT JOIN publications u ON u.jurisdiction = c.jurisdiction AND u.check_id = c.id"
        if selection.outcomes {
            columns += ", f.compliant, f.minor, f.serious, f.penalties, d.open, d.closed"
            joins += """

                CROSS JOIN LATERAL (
                    SELECT COUNT(*) FILTER (WHERE x.outcome = 'compliant') AS compliant,
                           COUNT(*) FILTER (WHERE x.outcome = 'minor') AS minor,
                           COUNT(*) FILTER (WHERE x.outcome = 'serious') AS serious,
                           COALESCE(SUM(x.penalty), 0.0) AS penalties
                    FROM findings x WHERE x.jurisdiction = c.jurisdiction AND x.check_id = c.id) f
                CROSS JOIN LATERAL (
                    SELECT COUNT(*) FILTER (WHERE x.closed_on IS NULL) AS open,
                           COUNT(*) FILTER (WHERE x.closed_on IS NOT NULL) AS closed
                    FROM disposals x WHERE x.jurisdiction = c.jurisdiction AND x.check_id = c.id) d
                """
        }
        if selection.entityNames {
            columns += ", e.name"
            joins += " JOIN entities e ON e.jurisdiction = c.jurisdiction AND e.credit_code = c.entity"
        }
        var result: [CheckFacts] = []
        var periods: [String: Period] = [:]
        let name = selection.outcomes ? 16 : 10
        try forEachRow("""
            SELECT \(columns) FROM \(Self.checksJoinPlans) \(joins)
            WHERE ($1::text IS NULL OR p.scenario = $1) AND ($2::text IS NULL OR c.period = $2)
              AND ($3::text IS NULL OR c.checked_on <= $3)
            ORDER BY c.id
            """, [.text(selection.scenario?.rawValue), .text(selection.period?.description),
                  .text(selection.checkedOnOrBefore?.description)]) { row in
            let periodText = try row.string(2), entity = try row.string(5), day = try row.string(7)
            if periods[periodText] == nil { periods[periodText] = try Self.period(row, 2, in: "checks") }
            guard let code = try? CreditCode(validating: entity), let checkedOn = CalendarDate(day) else {
                throw StoredValueError(table: "checks", column: "entity or checked_on", value: "\(entity), \(day)")
            }
            let id: CheckID = try Self.key(row, 0)
            let published = try Self.optionalDate(row, 8, in: "publications")
            let deadline = try Self.optionalDate(row, 9, in: "publications")
            let outcomes = selection.outcomes ? CheckOutcomes(
                findings: OutcomeCounts(compliant: try row.optionalInt(10) ?? 0, minor: try row.optionalInt(11) ?? 0,
                                        serious: try row.optionalInt(12) ?? 0),
                penalties: try row.double(13), openDisposals: try row.optionalInt(14) ?? 0,
                closedDisposals: try row.optionalInt(15) ?? 0) : nil
            result.append(CheckFacts(
                id: id, plan: try Self.key(row, 1), period: periods[periodText]!, scenario: try Self.key(row, 3),
                department: try Self.key(row, 4), entity: code, inclusionProbability: try row.double(6),
                checkedOn: checkedOn, entityName: selection.entityNames ? try row.string(name) : nil, outcomes: outcomes,
                publication: published.map { Publication(checkId: id, publishedOn: $0, deadline: deadline!) }))
        }
        return result
    }
}

// MARK: - History

extension PostgresTransaction {
    func checkHistory(before day: CalendarDate) throws -> [CreditCode: CheckHistory] {
        var result: [CreditCode: CheckHistory] = [:]
        for row in try query("""
            SELECT entity, COUNT(*), MAX(checked_on) FROM checks WHERE checked_on < $1 GROUP BY entity
            """, [.text(day.description)]) {
            result[try Self.code(row, 0, in: "checks")] =
                CheckHistory(checks: try row.int(1), lastCheckedOn: try Self.date(row, 2, in: "checks"))
        }
        return result
    }

    func openDisposals(on day: CalendarDate) throws -> [CreditCode: Int] {
        var result: [CreditCode: Int] = [:]
        for row in try query("""
            SELECT c.entity, COUNT(*) FROM disposals d JOIN checks c ON c.jurisdiction = d.jurisdiction AND c.id = d.check_id
            WHERE d.opened_on < $1 AND (d.closed_on IS NULL OR d.closed_on >= $1) GROUP BY c.entity
            """, [.text(day.description)]) {
            result[try Self.code(row, 0, in: "checks")] = try row.int(1)
        }
        return result
    }
}

// MARK: - Grades, export, audit

extension PostgresTransaction {
    static let gradeColumns = "period, department, entity, probability, scored_grade, grade"

    static func departmentGrade(_ row: PostgresRow) throws -> DepartmentGrade {
        DepartmentGrade(period: try period(row, 0, in: "department_grades"), department: try key(row, 1),
                        entity: try code(row, 2, in: "department_grades"), probability: try row.optionalDouble(3),
                        scoredGrade: try grade(row, 4, in: "department_grades"),
                        grade: try grade(row, 5, in: "department_grades"))
    }

    func latestGradedPeriod(before period: Period) throws -> Period? {
        let row = try query("SELECT MAX(period) FROM department_grades WHERE period < $1", [.text(period.description)])[0]
        return row.isNull(0) ? nil : try Self.period(row, 0, in: "department_grades")
    }

    func departmentGrades(period: Period, of codes: [CreditCode]) throws -> [DepartmentGrade] {
        try query("SELECT \(Self.gradeColumns) FROM department_grades WHERE period = $1 AND entity = ANY($2)",
                  [.text(period.description), .texts(Set(codes).map(\.rawValue))]).map(Self.departmentGrade)
    }

    func forEachDepartmentGrade(period: Period, of selection: EntitySelection,
                                _ body: (DepartmentGrade) throws -> Void) throws {
        // A jurisdiction's grades are one partition (schema version 9).
        let condition = Self.jurisdictionCondition(selection, "AND", parameter: 2)
        try forEachRow("""
            SELECT \(Self.gradeColumns) FROM department_grades
            WHERE period = $1\(condition.sql) ORDER BY department, entity
            """, [.text(period.description)] + condition.binds) { try body(try Self.departmentGrade($0)) }
    }

    func forEachGradePair(from: Period, to: Period,
                          _ body: (DepartmentCode, CreditCode, Grade, Grade) throws -> Void) throws {
        try forEachRow("""
            SELECT a.department, a.entity, a.grade, b.grade FROM department_grades a
            JOIN department_grades b ON b.department = a.department AND b.entity = a.entity AND b.period = $1
            WHERE a.period = $2
            """, [.text(to.description), .text(from.description)]) { row in
            try body(try Self.key(row, 0), try Self.code(row, 1, in: "department_grades"),
                     try Self.grade(row, 2, in: "department_grades"), try Self.grade(row, 3, in: "department_grades"))
        }
    }

    func forEachRow(of table: RegistryTable, header: ([String]) throws -> Void,
                    _ body: ([StoredValue]) throws -> Void) throws {
        // Table names come from `RegistryTable.all`, column names from the catalogue (quoted), never from input;
        // a column kept for partitioning only is not exported.
        let columns = try query("""
            SELECT column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position
            """, [.text(table.name)]).map { try $0.string(0) }
            .filter { !(PostgresStore.partitionOnlyColumns[table.name]?.contains($0) ?? false) }
        try header(columns)
        var values: [StoredValue] = []
        let list = columns.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ", ")
        try forEachRow("SELECT \(list) FROM \(table.name) ORDER BY \(table.orderBy.joined(separator: ", "))") { row in
            values.removeAll(keepingCapacity: true)
            for index in 0..<row.count { values.append(try row.stored(index)) }
            try body(values)
        }
    }

    static let auditColumns = "seq, at, action, scenario, period, detail, \"user\""

    static func auditEntry(_ row: PostgresRow) throws -> AuditEntry {
        AuditEntry(seq: Int64(try row.int(0)), at: try row.string(1),
                   action: try row.parsed(2, in: "audit_log") { AuditEntry.Action(rawValue: $0) },
                   scenario: try row.string(3), period: try row.string(4), detail: try row.string(5),
                   user: try row.string(6))
    }

    func auditLog() throws -> [AuditEntry] {
        try query("SELECT \(Self.auditColumns) FROM audit_log ORDER BY seq").map(Self.auditEntry)
    }
}
