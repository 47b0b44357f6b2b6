import PostgresNIO
import Supervision

// The console's queries and writes, and the credit records. Fixed statements with bound arguments: nothing of a
// request is ever spliced into SQL.

extension PostgresTransaction {
    func auditPage(before seq: Int64?, limit: Int) throws -> [AuditEntry] {
        try query("""
            SELECT \(Self.auditColumns) FROM audit_log WHERE ($1::bigint IS NULL OR seq < $1) ORDER BY seq DESC LIMIT $2
            """, [.integer(seq.map { Int($0) }), .integer(max(1, min(limit, 500)))]).map(Self.auditEntry)
    }

    func latestAuditSeq() throws -> Int64 {
        Int64(try query("SELECT COALESCE(MAX(seq), 0) FROM audit_log")[0].int(0))
    }

    func plans() throws -> [ScenarioPlan] {
        try query("SELECT \(Self.planColumns) FROM plans ORDER BY period, scenario, jurisdiction").map(Self.plan)
    }

    func checkPage(_ query: CheckPageQuery) throws -> [CheckListing] {
        var conditions: [String] = [], arguments: [PostgresBind] = []
        var source = Self.checksJoinPlans
        var prefix = ""
        if let search = query.search, !search.isEmpty {
            // Credit codes starting with the upper-cased text (an index range) and names containing the text
            // (`strpos`: compared as text, never as a pattern), as the query's contract says. The names are read
            // in full here: a `pg_trgm` index would serve them, but its extension needs rights a shared server may
            // not grant (see SCALE.md).
            prefix = """
                WITH matched(jurisdiction, id) AS (
                    SELECT jurisdiction, id FROM checks WHERE entity >= $1 AND entity < $1 || chr(1114111)
                    UNION
                    SELECT c.jurisdiction, c.id FROM entities e
                    JOIN checks c ON c.jurisdiction = e.jurisdiction AND c.entity = e.credit_code
                    WHERE strpos(e.name, $2) > 0
                )
                """
            source = "matched m JOIN checks c ON c.jurisdiction = m.jurisdiction AND c.id = m.id "
                + "JOIN plans p ON p.period = c.period AND p.id = c.plan"
            arguments += [.text(search.uppercased()), .text(search)]
        }
        func condition(_ text: String, _ value: String?) {
            guard let value else { return }
            arguments.append(.text(value))
            conditions.append(text.replacingOccurrences(of: "?", with: "$\(arguments.count)"))
        }
        condition("c.period = ?", query.period?.description)
        condition("c.department = ?", query.department?.rawValue)
        condition("p.scenario = ?", query.scenario?.rawValue)
        condition("c.entity = ?", query.entity?.rawValue)
        condition("c.id > ?", query.after?.rawValue)
        if query.publishedOnly { conditions.append("u.check_id IS NOT NULL") }
        arguments.append(.integer(query.limit))
        // Every table keyed by a check is read in the check's jurisdiction (schema version 12).
        let ofCheck = "x.jurisdiction = c.jurisdiction AND x.check_id = c.id"
        let rows = try self.query("""
            \(prefix)
            SELECT \(Self.checkColumns), e.name, u.published_on, u.deadline,
                   (SELECT COUNT(*) FROM findings x WHERE \(ofCheck) AND x.outcome = 'compliant'),
                   (SELECT COUNT(*) FROM findings x WHERE \(ofCheck) AND x.outcome = 'minor'),
                   (SELECT COUNT(*) FROM findings x WHERE \(ofCheck) AND x.outcome = 'serious'),
                   (SELECT COALESCE(SUM(x.penalty), 0.0) FROM findings x WHERE \(ofCheck)),
                   (SELECT COUNT(*) FROM disposals x WHERE \(ofCheck) AND x.closed_on IS NULL),
                   (SELECT COUNT(*) FROM disposals x WHERE \(ofCheck) AND x.closed_on IS NOT NULL)
            FROM \(source)
            JOIN entities e ON e.jurisdiction = c.jurisdiction AND e.credit_code = c.entity
            LEFT JOIN publications u ON u.jurisdiction = c.jurisdiction AND u.check_id = c.id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY c.id
            LIMIT $\(arguments.count)
            """, arguments)
        var periods: [String: Period] = [:]
        return try rows.map { row in
            let recorded = try recordedCheck(row, periods: &periods)
            let published = try Self.optionalDate(row, 10, in: "publications")
            let deadline = try Self.optionalDate(row, 11, in: "publications")
            return CheckListing(
                check: recorded.check, scenario: recorded.scenario, period: recorded.period, entityName: try row.string(9),
                outcomes: CheckOutcomes(findings: OutcomeCounts(compliant: try row.int(12), minor: try row.int(13),
                                                                serious: try row.int(14)),
                                        penalties: try row.double(15), openDisposals: try row.int(16),
                                        closedDisposals: try row.int(17)),
                publication: published.map { Publication(checkId: recorded.check.id, publishedOn: $0, deadline: deadline!) })
        }
    }

    func findings(ofCheck check: CheckID) throws -> [Finding] {
        try query("""
            SELECT f.check_id, f.item, f.outcome, f.penalty, f.note FROM check_codes c
            JOIN findings f ON f.jurisdiction = c.jurisdiction AND f.check_id = c.id WHERE c.id = $1 ORDER BY f.item
            """, [.text(check.rawValue)]).map(Self.finding)
    }

    func disposals(ofCheck check: CheckID) throws -> [Disposal] {
        try query("""
            SELECT d.item, d.action, d.opened_on, d.closed_on FROM check_codes c
            JOIN disposals d ON d.jurisdiction = c.jurisdiction AND d.check_id = c.id WHERE c.id = $1 ORDER BY d.item
            """, [.text(check.rawValue)]).map { row in
            Disposal(checkId: check, item: try Self.key(row, 0), action: try row.string(1),
                     openedOn: try Self.date(row, 2, in: "disposals"), closedOn: try Self.optionalDate(row, 3, in: "disposals"))
        }
    }

    func departmentGrades(of entity: CreditCode) throws -> [DepartmentGrade] {
        try query("SELECT \(Self.gradeColumns) FROM department_grades WHERE entity = $1 ORDER BY period, department",
                  [.text(entity.rawValue)]).map(Self.departmentGrade)
    }

    func gradedPeriods() throws -> [Period] {
        try query("SELECT DISTINCT period FROM department_grades ORDER BY period").map {
            try Self.period($0, 0, in: "department_grades")
        }
    }

    func gradeCounts(period: Period) throws -> [GradeCount] {
        try query("""
            SELECT department, grade, COUNT(*) FROM department_grades WHERE period = $1
            GROUP BY department, grade ORDER BY department, grade
            """, [.text(period.description)]).map { row in
            GradeCount(department: try Self.key(row, 0), grade: try Self.grade(row, 1, in: "department_grades"),
                       count: try row.int(2))
        }
    }

    func probabilityHistogram(period: Period, bins: Int) throws -> [DepartmentCode: [Int]] {
        let bins = max(1, bins)
        var result: [DepartmentCode: [Int]] = [:]
        // trunc, not a cast: SQLite's CAST(x AS INTEGER) truncates, PostgreSQL's ::bigint rounds.
        for row in try query("""
            SELECT department, LEAST(trunc(probability * $2)::bigint, $2 - 1) AS bin, COUNT(*)
            FROM department_grades WHERE period = $1 AND probability IS NOT NULL
            GROUP BY department, bin ORDER BY department, bin
            """, [.text(period.description), .integer(bins)]) {
            let department: DepartmentCode = try Self.key(row, 0)
            let bin = try row.int(1)
            result[department, default: Array(repeating: 0, count: bins)][max(0, min(bin, bins - 1))] += try row.int(2)
        }
        return result
    }

    func calibrationPoints(period: Period) throws -> [CalibrationPoint] {
        try query("""
            SELECT g.probability,
                   EXISTS (SELECT 1 FROM findings x
                           WHERE x.jurisdiction = c.jurisdiction AND x.check_id = c.id AND x.outcome <> 'compliant')
            FROM checks c JOIN department_grades g
              ON g.period = c.period AND g.department = c.department AND g.entity = c.entity
             AND g.jurisdiction = c.jurisdiction
            WHERE c.period = $1 AND g.probability IS NOT NULL
              AND EXISTS (SELECT 1 FROM findings x WHERE x.jurisdiction = c.jurisdiction AND x.check_id = c.id)
            ORDER BY c.id
            """, [.text(period.description)]).map { CalibrationPoint(probability: try $0.double(0), foundProblem: try $0.bool(1)) }
    }

    func storedFeatures(of entity: CreditCode) throws -> StoredFeatures? {
        try query("""
            SELECT e.district, e.scenario, f.feature_values FROM entity_features f
            JOIN entities e ON e.credit_code = f.entity WHERE f.entity = $1
            """, [.text(entity.rawValue)]).first.map { row in
            let district = try row.string(0)
            return StoredFeatures(entity: entity, district: district.isEmpty ? nil : DistrictCode(district),
                                  scenario: try Self.key(row, 1), values: try row.string(2))
        }
    }

    // MARK: Accounts and sessions

    private static let userColumns = "name, role, password_hash, disabled, created_at"

    private static func account(_ row: PostgresRow) throws -> UserAccount {
        UserAccount(name: try row.string(0), role: try row.parsed(1, in: "users") { UserRole($0) },
                    passwordHash: try row.string(2), disabled: try row.int(3) != 0, createdAt: try row.string(4))
    }

    func user(named name: String) throws -> UserAccount? {
        try query("SELECT \(Self.userColumns) FROM users WHERE name = $1", [.text(name)]).first.map(Self.account)
    }

    func users() throws -> [UserAccount] {
        try query("SELECT \(Self.userColumns) FROM users ORDER BY name").map(Self.account)
    }

    func session(digest: String) throws -> StoredSession? {
        try query("""
            SELECT token_digest, "user", csrf_token, created_at, expires_at FROM sessions WHERE token_digest = $1
            """, [.text(digest)]).first.map { row in
            StoredSession(tokenDigest: try row.string(0), user: try row.string(1), csrfToken: try row.string(2),
                          createdAt: try row.string(3), expiresAt: try row.string(4))
        }
    }

    func insertUser(_ user: UserAccount) throws {
        try query("INSERT INTO users(name, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5)",
                  [.text(user.name), .text(user.role.description), .text(user.passwordHash), .integer(user.disabled ? 1 : 0),
                   .text(user.createdAt)])
    }

    func setUserDisabled(_ name: String, disabled: Bool) throws {
        try query("UPDATE users SET disabled = $1 WHERE name = $2", [.integer(disabled ? 1 : 0), .text(name)])
    }

    func insertSession(_ session: StoredSession) throws {
        try query("""
            INSERT INTO sessions(token_digest, "user", csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
            """, [.text(session.tokenDigest), .text(session.user), .text(session.csrfToken), .text(session.createdAt),
                  .text(session.expiresAt)])
    }

    func deleteSession(digest: String) throws {
        try query("DELETE FROM sessions WHERE token_digest = $1", [.text(digest)])
    }

    func deleteSessions(ofUser user: String) throws {
        try query("DELETE FROM sessions WHERE \"user\" = $1", [.text(user)])
    }

    func deleteSessions(expiredAt instant: String) throws {
        try query("DELETE FROM sessions WHERE expires_at <= $1", [.text(instant)])
    }
}

// MARK: - Penalty records, decisions and repairs

extension PostgresTransaction {
    /// `SQLiteTransaction.penaltyRecordQuery`'s columns, each table keyed by a check joined in the check's
    /// jurisdiction (schema version 12).
    static let penaltyRecordQuery = """
        SELECT f.check_id, f.item, c.entity, c.department, i.element, f.outcome, f.penalty, c.checked_on,
               CASE WHEN d.check_id IS NULL THEN 'none' WHEN d.closed_on IS NULL THEN 'open' ELSE 'closed' END,
               p.severity, p.decided_on, r.repaired_on, r.decided_by, r.reason
        FROM findings f JOIN checks c ON c.jurisdiction = f.jurisdiction AND c.id = f.check_id
        JOIN items i ON i.code = f.item
        LEFT JOIN disposals d ON d.jurisdiction = f.jurisdiction AND d.check_id = f.check_id AND d.item = f.item
        LEFT JOIN penalty_decisions p ON p.jurisdiction = f.jurisdiction AND p.check_id = f.check_id AND p.item = f.item
        LEFT JOIN credit_repairs r ON r.jurisdiction = f.jurisdiction AND r.check_id = f.check_id AND r.item = f.item
        WHERE (f.outcome <> 'compliant' OR f.penalty > 0)
        """

    func penaltyRecord(_ row: PostgresRow) throws -> PenaltyRecord {
        let key = FindingKey(check: try Self.key(row, 0), item: try Self.key(row, 1))
        let entity = try row.string(2), day = try row.string(7)
        guard let code = try? CreditCode(validating: entity), let checkedOn = CalendarDate(day) else {
            throw StoredValueError(table: "checks", column: "entity or checked_on", value: "\(entity), \(day)")
        }
        var decision: PenaltyDecision?
        if let severity = try row.optionalString(9) {
            let decided = try row.string(10)
            guard let s = PenaltySeverity(rawValue: severity), let d = CalendarDate(decided) else {
                throw StoredValueError(table: "penalty_decisions", column: "severity or decided_on",
                                       value: "\(severity), \(decided)")
            }
            decision = PenaltyDecision(checkId: key.check, item: key.item, severity: s, decidedOn: d)
        }
        var repair: CreditRepair?
        if let repaired = try row.optionalString(11) {
            guard let d = CalendarDate(repaired) else {
                throw StoredValueError(table: "credit_repairs", column: "repaired_on", value: repaired)
            }
            repair = CreditRepair(checkId: key.check, item: key.item, repairedOn: d, decidedBy: try row.string(12),
                                  reason: try row.string(13))
        }
        return PenaltyRecord(key: key, entity: code, department: try Self.key(row, 3),
                             element: try row.parsed(4, in: "items") { Element(rawValue: $0) },
                             outcome: try row.parsed(5, in: "findings") { Outcome(rawValue: $0) },
                             penalty: try row.double(6), checkedOn: checkedOn,
                             disposal: PenaltyRecord.DisposalState(rawValue: try row.string(8)) ?? .none,
                             decision: decision, repair: repair)
    }

    func penaltyRecords(_ selection: PenaltyRecordSelection) throws -> [PenaltyRecord] {
        try query("""
            \(Self.penaltyRecordQuery)
            AND ($1::text IS NULL OR c.entity = $1) AND ($2::text IS NULL OR c.checked_on >= $2)
            AND ($3::text IS NULL OR c.checked_on < $3)
            ORDER BY f.check_id, f.item
            """, [.text(selection.entity?.rawValue), .text(selection.checkedIn?.from?.description),
                  .text(selection.checkedIn?.before.description)]).map(penaltyRecord)
    }

    func penaltyRecords(of keys: [FindingKey]) throws -> [FindingKey: PenaltyRecord] {
        var result: [FindingKey: PenaltyRecord] = [:]
        guard !keys.isEmpty else { return result }
        for row in try query("""
            \(Self.penaltyRecordQuery)
            AND (f.check_id, f.item) IN (SELECT * FROM unnest($1::text[], $2::text[]))
            """, [.texts(keys.map(\.check.rawValue)), .texts(keys.map(\.item.rawValue))]) {
            let record = try penaltyRecord(row)
            result[record.key] = record
        }
        return result
    }

    func upsertPenaltyDecisions(_ decisions: [PenaltyDecision]) throws {
        let rows = Self.lastOfEachKey(decisions) { FindingKey(check: $0.checkId, item: $0.item) }
        try Self.batched(rows) { batch in
            try query(Self.upsertByCheck("penalty_decisions", ["check_id", "item", "severity", "decided_on"],
                                         types: ["text", "text", "text", "text"], key: ["check_id", "item"]),
                      [.texts(batch.map(\.checkId.rawValue)), .texts(batch.map(\.item.rawValue)),
                       .texts(batch.map(\.severity.rawValue)), .texts(batch.map(\.decidedOn.description))])
        }
    }

    func upsertCreditRepairs(_ repairs: [CreditRepair]) throws {
        let rows = Self.lastOfEachKey(repairs) { FindingKey(check: $0.checkId, item: $0.item) }
        try Self.batched(rows) { batch in
            try query(Self.upsertByCheck("credit_repairs", ["check_id", "item", "repaired_on", "decided_by", "reason"],
                                         types: ["text", "text", "text", "text", "text"], key: ["check_id", "item"]),
                      [.texts(batch.map(\.checkId.rawValue)), .texts(batch.map(\.item.rawValue)),
                       .texts(batch.map(\.repairedOn.description)), .texts(batch.map(\.decidedBy)),
                       .texts(batch.map(\.reason))])
        }
    }
}
