import GRDB
import OneCheckUtilities
import Supervision

// The console's queries and writes. Every statement is fixed text with bound arguments: nothing of a request is
// ever spliced into SQL. Lists are pages (LIMIT) in key order, started after a key (keyset pagination), and
// searches are index ranges.

extension SQLiteTransaction {
    func auditPage(before seq: Int64?, limit: Int) throws -> [AuditEntry] {
        var request = AuditEntry.order(Column("seq").desc).limit(max(1, min(limit, 500)))
        if let seq { request = request.filter(Column("seq") < seq) }
        return try request.fetchAll(db)
    }

    func latestAuditSeq() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM audit_log") ?? 0
    }

    func plans() throws -> [ScenarioPlan] {
        try ScenarioPlan.order(Column("period"), Column("scenario"), Column("jurisdiction")).fetchAll(db)
    }

    func checkPage(_ query: CheckPageQuery) throws -> [CheckListing] {
        // The statement is assembled from fixed fragments chosen by which filters are set (so each filter can use
        // its index); every value is a bound argument.
        var conditions: [String] = [], arguments: [(any DatabaseValueConvertible)?] = []
        var source = "\(Self.checksJoinPlans)"
        var prefix = ""
        if let search = query.search, !search.isEmpty {
            // Credit codes starting with the text (upper-cased; an index range) or names containing it (the
            // trigram index `entity_names`), compared as text, never as a pattern. When few entities match, the
            // page is read from their checks (the matches drive); when many do, by scanning the checks in id
            // order and keeping matches, which fills a page after a few rows. Texts under three characters have
            // no trigram: they are always read the second way.
            let code = search.uppercased()
            let phrase = search.count >= 3 ? QuotedText.delimited(search, by: "\"") : nil
            if let phrase, try matchCount(code: code, phrase: phrase) <= Self.drivingMatches {
                prefix = """
                    WITH matched(entity) AS MATERIALIZED (
                        SELECT credit_code FROM entities WHERE credit_code >= ?1 AND credit_code < ?1 || char(1114111)
                        UNION
                        SELECT credit_code FROM entity_names WHERE entity_names MATCH ?2
                    )
                    """
                source = "matched m CROSS JOIN checks c ON c.entity = m.entity JOIN plans p ON p.period = c.period AND p.id = c.plan"
                arguments += [code, phrase]
            } else {
                conditions.append("((c.entity >= ?1 AND c.entity < ?1 || char(1114111)) OR instr(e.name, ?2) > 0)")
                arguments += [code, search]
            }
        }
        func condition(_ text: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            conditions.append(text.replacingOccurrences(of: "?", with: "?\(arguments.count + 1)"))
            arguments.append(value)
        }
        condition("c.period = ?", query.period)
        condition("c.department = ?", query.department)
        condition("p.scenario = ?", query.scenario)
        condition("c.entity = ?", query.entity?.rawValue)
        condition("c.id > ?", query.after)
        if query.publishedOnly { conditions.append("u.check_id IS NOT NULL") }
        arguments.append(query.limit)
        let sql = """
            \(prefix)
            SELECT \(Self.checkColumns), e.name, u.published_on, u.deadline,
                   (SELECT COUNT(*) FROM findings x WHERE x.check_id = c.id AND x.outcome = 'compliant'),
                   (SELECT COUNT(*) FROM findings x WHERE x.check_id = c.id AND x.outcome = 'minor'),
                   (SELECT COUNT(*) FROM findings x WHERE x.check_id = c.id AND x.outcome = 'serious'),
                   (SELECT TOTAL(x.penalty) FROM findings x WHERE x.check_id = c.id),
                   (SELECT COUNT(*) FROM disposals d WHERE d.check_id = c.id AND d.closed_on IS NULL),
                   (SELECT COUNT(*) FROM disposals d WHERE d.check_id = c.id AND d.closed_on IS NOT NULL)
            FROM \(source)
            JOIN entities e ON e.credit_code = c.entity
            LEFT JOIN publications u ON u.check_id = c.id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY c.id
            LIMIT ?\(arguments.count)
            """
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
        var periods: [String: Period] = [:]
        var result: [CheckListing] = []
        while let row = try rows.next() {
            let recorded = try recordedCheck(row, periods: &periods)
            let published: CalendarDate? = row[10], deadline: CalendarDate? = row[11]
            result.append(CheckListing(
                check: recorded.check, scenario: recorded.scenario, period: recorded.period, entityName: row[9],
                outcomes: CheckOutcomes(findings: OutcomeCounts(compliant: row[12], minor: row[13], serious: row[14]),
                                        penalties: row[15], openDisposals: row[16], closedDisposals: row[17]),
                publication: published.map { Publication(checkId: recorded.check.id, publishedOn: $0, deadline: deadline!) }))
        }
        return result
    }

    /// The most entities a search lets drive the page (their checks read by entity, then sorted); more are found
    /// by scanning the checks in id order instead.
    static let drivingMatches = 2000

    /// How many entities match (credit-code prefix `code`, or the trigram `phrase`), counted up to just past
    /// ``drivingMatches`` on each side.
    private func matchCount(code: String, phrase: String) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM entities WHERE credit_code >= ?1 AND credit_code < ?1 || char(1114111)
                                          LIMIT ?3))
                 + (SELECT COUNT(*) FROM (SELECT 1 FROM entity_names WHERE entity_names MATCH ?2 LIMIT ?3))
            """), arguments: [code, phrase, Self.drivingMatches + 1]) ?? 0
    }

    func findings(ofCheck check: CheckID) throws -> [Finding] {
        try Row.fetchAll(db, sql: "SELECT item, outcome, penalty, note FROM findings WHERE check_id = ? ORDER BY item",
                         arguments: [check]).map { row in
            Finding(checkId: check, item: row[0], outcome: try decoded(row, "outcome", in: "findings"), penalty: row[2],
                    note: row[3])
        }
    }

    func disposals(ofCheck check: CheckID) throws -> [Disposal] {
        try Row.fetchAll(db, sql: """
            SELECT item, action, opened_on, closed_on FROM disposals WHERE check_id = ? ORDER BY item
            """, arguments: [check]).map { row in
            Disposal(checkId: check, item: row[0], action: row[1], openedOn: try decoded(row, "opened_on", in: "disposals"),
                     closedOn: row[3])
        }
    }

    func departmentGrades(of entity: CreditCode) throws -> [DepartmentGrade] {
        try DepartmentGrade.filter(Column("entity") == entity.rawValue)
            .order(Column("period"), Column("department")).fetchAll(db)
    }

    func gradedPeriods() throws -> [Period] {
        // From the summary (a few rows per period), not the grades (millions).
        try Row.fetchAll(db, sql: "SELECT DISTINCT period FROM grade_counts ORDER BY period").map {
            try decoded($0, "period", in: "grade_counts")
        }
    }

    func gradeCounts(period: Period) throws -> [GradeCount] {
        try Row.fetchAll(db, sql: """
            SELECT department, grade, entities FROM grade_counts WHERE period = ? AND entities > 0
            ORDER BY department, grade
            """, arguments: [period]).map { row in
            GradeCount(department: row[0], grade: try decoded(row, "grade", in: "grade_counts"), count: row[2])
        }
    }

    func probabilityHistogram(period: Period, bins: Int) throws -> [DepartmentCode: [Int]] {
        let bins = max(1, bins)
        var result: [DepartmentCode: [Int]] = [:]
        // The summary's bins when they are the ones asked for; other bins count the grades of the period.
        let sql = bins == SQLiteStore.summaryBins ? """
            SELECT department, bin, entities FROM probability_bins WHERE period = ?1 AND ?2 > 0 ORDER BY department, bin
            """ : """
            SELECT department, MIN(CAST(probability * ?2 AS INTEGER), ?2 - 1) AS bin, COUNT(*)
            FROM department_grades WHERE period = ?1 AND probability IS NOT NULL
            GROUP BY department, bin ORDER BY department, bin
            """
        for row in try Row.fetchAll(db, sql: sql, arguments: [period, bins]) {
            let department: DepartmentCode = row[0]
            let bin: Int = row[1]
            result[department, default: Array(repeating: 0, count: bins)][max(0, min(bin, bins - 1))] += row[2]
        }
        return result
    }

    func calibrationPoints(period: Period) throws -> [CalibrationPoint] {
        try Row.fetchAll(db, sql: """
            SELECT g.probability,
                   EXISTS (SELECT 1 FROM findings x WHERE x.check_id = c.id AND x.outcome <> 'compliant')
            FROM checks c JOIN department_grades g
              ON g.period = c.period AND g.department = c.department AND g.entity = c.entity
            WHERE c.period = ? AND g.probability IS NOT NULL
              AND EXISTS (SELECT 1 FROM findings x WHERE x.check_id = c.id)
            ORDER BY c.id
            """, arguments: [period]).map { CalibrationPoint(probability: $0[0], foundProblem: $0[1]) }
    }

    func storedFeatures(of entity: CreditCode) throws -> StoredFeatures? {
        try Row.fetchOne(db, sql: """
            SELECT e.district, e.scenario, f.feature_values FROM entity_features f
            JOIN entities e ON e.credit_code = f.entity WHERE f.entity = ?
            """, arguments: [entity.rawValue]).map { row in
            let district: String = row[0]
            return StoredFeatures(entity: entity, district: district.isEmpty ? nil : DistrictCode(district),
                                  scenario: row[1], values: row[2])
        }
    }

    // MARK: Accounts and sessions

    private func account(_ row: Row) throws -> UserAccount {
        let roleText: String = row["role"]
        guard let role = UserRole(roleText) else {
            throw StoredValueError(table: "users", column: "role", value: roleText)
        }
        return UserAccount(name: row["name"], role: role, passwordHash: row["password_hash"],
                           disabled: row["disabled"], createdAt: row["created_at"])
    }

    func user(named name: String) throws -> UserAccount? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).map(account)
    }

    func users() throws -> [UserAccount] {
        try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY name").map(account)
    }

    func session(digest: String) throws -> StoredSession? {
        try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE token_digest = ?", arguments: [digest]).map { row in
            StoredSession(tokenDigest: row["token_digest"], user: row["user"], csrfToken: row["csrf_token"],
                          createdAt: row["created_at"], expiresAt: row["expires_at"])
        }
    }

    func insertUser(_ user: UserAccount) throws {
        try db.execute(sql: """
            INSERT INTO users(name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?)
            """, arguments: [user.name, user.role.description, user.passwordHash, user.disabled, user.createdAt])
    }

    func setUserDisabled(_ name: String, disabled: Bool) throws {
        try db.execute(sql: "UPDATE users SET disabled = ? WHERE name = ?", arguments: [disabled, name])
    }

    func insertSession(_ session: StoredSession) throws {
        try db.execute(sql: """
            INSERT INTO sessions(token_digest, user, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
            """, arguments: [session.tokenDigest, session.user, session.csrfToken, session.createdAt, session.expiresAt])
    }

    func deleteSession(digest: String) throws {
        try db.execute(sql: "DELETE FROM sessions WHERE token_digest = ?", arguments: [digest])
    }

    func deleteSessions(ofUser user: String) throws {
        try db.execute(sql: "DELETE FROM sessions WHERE user = ?", arguments: [user])
    }

    func deleteSessions(expiredAt instant: String) throws {
        try db.execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", arguments: [instant])
    }
}
