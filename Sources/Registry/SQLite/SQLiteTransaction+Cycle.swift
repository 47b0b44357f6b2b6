import GRDB
import OneCheckUtilities
import Supervision

// MARK: - Draws, checks and their facts

extension SQLiteTransaction {
    func plans(scenario: ScenarioCode, period: Period) throws -> [ScenarioPlan] {
        try ScenarioPlan.filter(Column("scenario") == scenario && Column("period") == period)
            .order(Column("jurisdiction")).fetchAll(db)
    }

    func plan(id: PlanID, period: Period) throws -> ScenarioPlan? {
        try ScenarioPlan.filter(Column("id") == id && Column("period") == period).fetchOne(db)
    }

    /// The columns `recordedCheck(_:periods:)` reads, in its order, from `checks c` joined with `plans p`.
    static let checkColumns = """
        c.id, c.plan, c.period, c.entity, c.department, c.inclusion_probability, c.checked_on, c.inspectors, p.scenario
        """

    static let checksJoinPlans = "checks c JOIN plans p ON p.period = c.period AND p.id = c.plan"

    /// A check from the first nine columns of `row` (``checkColumns``), read by position; `periods` remembers the
    /// few periods a query meets, parsed once each.
    func recordedCheck(_ row: Row, periods: inout [String: Period]) throws -> RecordedCheck {
        let periodText: String = row[2]
        let period: Period
        if let known = periods[periodText] {
            period = known
        } else {
            period = try decoded(row, "period", in: "checks")
            periods[periodText] = period
        }
        let entity: String = row[3], day: String = row[6], inspectors: String = row[7]
        guard let code = try? CreditCode(validating: entity), let checkedOn = CalendarDate(day) else {
            throw StoredValueError(table: "checks", column: "entity or checked_on", value: "\(entity), \(day)")
        }
        return RecordedCheck(
            check: Check(id: row[0], plan: row[1], entity: code, department: row[4], inclusionProbability: row[5],
                         checkedOn: checkedOn, inspectors: inspectors.isEmpty ? [] : KeyList.keys(inspectors)),
            scenario: row[8], period: period)
    }

    /// The recorded checks among `ids`. Many ids that span a range of the key holding few other checks — a draw's
    /// or an upload's ids share their period's prefix — are found by one scan of that range instead of a statement
    /// per id (a draw asks for one id per department check: hundreds of thousands for a city); the rows are the
    /// same either way.
    func checks(_ ids: [CheckID]) throws -> [CheckID: RecordedCheck] {
        var result: [CheckID: RecordedCheck] = [:]
        var periods: [String: Period] = [:]
        let wanted = Set(ids)
        if wanted.count >= Self.rangeScanMinimum,
           let first = wanted.min(by: { $0.rawValue.utf8Precedes($1.rawValue) }),
           let last = wanted.max(by: { $0.rawValue.utf8Precedes($1.rawValue) }) {
            // `id` is the table's key, compared as bytes (BINARY), the order of `utf8Precedes`.
            let range: StatementArguments = [first.rawValue, last.rawValue]
            let inRange = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checks WHERE id BETWEEN ? AND ?", arguments: range) ?? 0
            if inRange <= 4 * wanted.count {
                let rows = try Row.fetchCursor(db, sql: "SELECT \(Self.checkColumns) FROM \(Self.checksJoinPlans) WHERE c.id BETWEEN ? AND ?",
                                               arguments: range)
                while let row = try rows.next() {
                    let id = CheckID(row[0] as String)
                    if wanted.contains(id) { result[id] = try recordedCheck(row, periods: &periods) }
                }
                return result
            }
        }
        let statement = try db.cachedStatement(sql: "SELECT \(Self.checkColumns) FROM \(Self.checksJoinPlans) WHERE c.id = ?")
        for id in wanted.sorted() {
            statement.setUncheckedArguments([id.rawValue])
            if let row = try Row.fetchOne(statement) { result[id] = try recordedCheck(row, periods: &periods) }
        }
        return result
    }

    /// From how many distinct ids ``checks(_:)`` considers one scan of their range.
    static let rangeScanMinimum = 64

    func checks(inPeriods periods: [Period], of selection: EntitySelection) throws -> [RecordedCheck] {
        guard !periods.isEmpty else { return [] }
        var known: [String: Period] = [:]
        let jurisdiction = selection.storedJurisdiction
        return try Row.fetchAll(db, sql: """
            SELECT \(Self.checkColumns) FROM \(Self.checksJoinPlans)
            \(jurisdiction == nil ? "" : "JOIN entities e ON e.credit_code = c.entity AND e.jurisdiction = ?")
            WHERE c.period IN \(Self.placeholders(periods.count)) ORDER BY c.id
            """, arguments: StatementArguments(Array(jurisdiction.map { [$0] } ?? []) + periods.map(\.description)))
            .map { try recordedCheck($0, periods: &known) }
    }

    func findings(_ keys: [FindingKey]) throws -> [FindingKey: Finding] {
        var result: [FindingKey: Finding] = [:]
        let statement = try db.cachedStatement(sql: "SELECT * FROM findings WHERE check_id = ? AND item = ?")
        for key in keys where result[key] == nil {
            statement.setUncheckedArguments([key.check.rawValue, key.item.rawValue])
            if let finding = try Finding.fetchOne(statement) { result[key] = finding }
        }
        return result
    }

    func checkFacts(_ selection: CheckSelection) throws -> [CheckFacts] {
        var columns = "c.id, c.plan, c.period, p.scenario, c.department, c.entity, c.inclusion_probability, c.checked_on, "
            + "u.published_on, u.deadline"
        var joins = "LEFT JOIN publications u ON u.check_id = c.id"
        if selection.outcomes {
            columns += ", f.compliant, f.minor, f.serious, (SELECT TOTAL(x.penalty) FROM findings x WHERE x.check_id = c.id), "
                + "d.open, d.closed"
            joins += """

                LEFT JOIN (SELECT check_id, SUM(outcome = 'compliant') AS compliant, SUM(outcome = 'minor') AS minor,
                                  SUM(outcome = 'serious') AS serious FROM findings GROUP BY check_id) f ON f.check_id = c.id
                LEFT JOIN (SELECT check_id, SUM(closed_on IS NULL) AS open, SUM(closed_on IS NOT NULL) AS closed
                           FROM disposals GROUP BY check_id) d ON d.check_id = c.id
                """
        }
        if selection.entityNames {
            columns += ", e.name"
            joins += " JOIN entities e ON e.credit_code = c.entity"
        }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(columns) FROM \(Self.checksJoinPlans) \(joins)
            WHERE (?1 IS NULL OR p.scenario = ?1) AND (?2 IS NULL OR c.period = ?2) AND (?3 IS NULL OR c.checked_on <= ?3)
            ORDER BY c.id
            """, arguments: [selection.scenario, selection.period, selection.checkedOnOrBefore])
        var result: [CheckFacts] = []
        var periods: [String: Period] = [:]
        let name = selection.outcomes ? 16 : 10
        while let row = try rows.next() {
            let periodText: String = row[2], entity: String = row[5], day: String = row[7]
            if periods[periodText] == nil { periods[periodText] = try decoded(row, "period", in: "checks") }
            guard let code = try? CreditCode(validating: entity), let checkedOn = CalendarDate(day) else {
                throw StoredValueError(table: "checks", column: "entity or checked_on", value: "\(entity), \(day)")
            }
            let id: CheckID = row[0]
            let published: CalendarDate? = row[8], deadline: CalendarDate? = row[9]
            let outcomes = selection.outcomes ? CheckOutcomes(
                findings: OutcomeCounts(compliant: row[10] ?? 0, minor: row[11] ?? 0, serious: row[12] ?? 0),
                penalties: row[13], openDisposals: row[14] ?? 0, closedDisposals: row[15] ?? 0) : nil
            result.append(CheckFacts(
                id: id, plan: row[1], period: periods[periodText]!, scenario: row[3], department: row[4], entity: code,
                inclusionProbability: row[6], checkedOn: checkedOn, entityName: selection.entityNames ? row[name] : nil,
                outcomes: outcomes,
                publication: published.map { Publication(checkId: id, publishedOn: $0, deadline: deadline!) }))
        }
        return result
    }
}

// MARK: - History

extension SQLiteTransaction {
    func checkHistory(before day: CalendarDate) throws -> [CreditCode: CheckHistory] {
        var result: [CreditCode: CheckHistory] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT entity, COUNT(*) AS checks, MAX(checked_on) AS last FROM checks WHERE checked_on < ? GROUP BY entity
            """, arguments: [day]) {
            result[try decoded(row, "entity", in: "checks")] =
                CheckHistory(checks: row["checks"], lastCheckedOn: try decoded(row, "last", in: "checks"))
        }
        return result
    }

    func openDisposals(on day: CalendarDate) throws -> [CreditCode: Int] {
        var result: [CreditCode: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT c.entity, COUNT(*) FROM disposals d JOIN checks c ON c.id = d.check_id
            WHERE d.opened_on < ?1 AND (d.closed_on IS NULL OR d.closed_on >= ?1) GROUP BY c.entity
            """, arguments: [day]) {
            result[try decoded(row, "entity", in: "checks")] = row[1]
        }
        return result
    }
}

// MARK: - Grades, export, audit

extension SQLiteTransaction {
    func latestGradedPeriod(before period: Period) throws -> Period? {
        try Period.fetchOne(db, sql: "SELECT MAX(period) FROM department_grades WHERE period < ?", arguments: [period])
    }

    func departmentGrades(period: Period, of codes: [CreditCode]) throws -> [DepartmentGrade] {
        var result: [DepartmentGrade] = []
        let statement = try db.cachedStatement(sql: "SELECT * FROM department_grades WHERE period = ? AND entity = ?")
        for code in Set(codes) {
            statement.setUncheckedArguments([period.description, code.rawValue])
            result += try DepartmentGrade.fetchAll(statement)
        }
        return result
    }

    func forEachDepartmentGrade(period: Period, of selection: EntitySelection,
                                _ body: (DepartmentGrade) throws -> Void) throws {
        let cursor = try selection.storedJurisdiction.map { jurisdiction in
            try DepartmentGrade.fetchCursor(db, sql: """
                SELECT g.* FROM department_grades g JOIN entities e ON e.credit_code = g.entity AND e.jurisdiction = ?
                WHERE g.period = ? ORDER BY g.department, g.entity
                """, arguments: [jurisdiction, period])
        } ?? DepartmentGrade.filter(Column("period") == period).order(Column("department"), Column("entity")).fetchCursor(db)
        while let grade = try cursor.next() { try body(grade) }
    }

    func forEachGradePair(from: Period, to: Period,
                          _ body: (DepartmentCode, CreditCode, Grade, Grade) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT a.department, a.entity, a.grade AS before, b.grade AS after FROM department_grades a
            JOIN department_grades b ON b.department = a.department AND b.entity = a.entity AND b.period = ?
            WHERE a.period = ?
            """, arguments: [to, from])
        while let row = try rows.next() {
            try body(row[0], try decoded(row, "entity", in: "department_grades"),
                     try decoded(row, "before", in: "department_grades"), try decoded(row, "after", in: "department_grades"))
        }
    }

    func forEachRow(of table: RegistryTable, header: ([String]) throws -> Void,
                    _ body: ([StoredValue]) throws -> Void) throws {
        // Table and column names come from `RegistryTable.all`, never from input.
        let statement = try db.makeStatement(sql: "SELECT * FROM \(table.name) ORDER BY \(table.orderBy.joined(separator: ", "))")
        try header(statement.columnNames)
        let rows = try Row.fetchCursor(statement)
        var values: [StoredValue] = []
        while let row = try rows.next() {
            values.removeAll(keepingCapacity: true)
            for index in 0..<row.count {
                let value: DatabaseValue = row[index]
                switch value.storage {
                case .null: values.append(.null)
                case .int64(let v): values.append(.integer(v))
                case .double(let v): values.append(.real(v))
                case .string(let s): values.append(.text(s))
                case .blob(let data): values.append(.text(data.base64EncodedString()))
                }
            }
            try body(values)
        }
    }

    func auditLog() throws -> [AuditEntry] {
        try AuditEntry.order(Column("seq")).fetchAll(db)
    }
}
