import PostgresNIO
import Supervision

/// One transaction of a ``PostgresStore``: the queries and writes of ``RegistryReader`` and ``RegistryWriter`` in
/// PostgreSQL's SQL. The same statements as `SQLiteTransaction` where the dialects agree; every value is a bound
/// parameter, and the only names spliced into SQL are the registry's own tables and columns. Only persistence:
/// every rule is the workspace's.
final class PostgresTransaction: RegistryWriter {
    let session: PostgresSession
    /// Cursors opened so far (each gets its own name, so a body may iterate while another iteration is open).
    private var cursors = 0

    init(session: PostgresSession) {
        self.session = session
    }

    @discardableResult
    func query(_ sql: String, _ binds: [PostgresBind] = []) throws -> [PostgresRow] {
        try session.query(sql, binds)
    }

    /// Calls `body` with each row of `sql`, fetched through a server-side cursor in pages, so a million rows are
    /// never all in memory.
    func forEachRow(_ sql: String, _ binds: [PostgresBind] = [], _ body: (PostgresRow) throws -> Void) throws {
        cursors += 1
        if cursors == 1 {
            // Every cursor here is read to its end: plan for the whole result, not for the first tenth PostgreSQL
            // assumes of a cursor by default — a fast-start plan of a join (one jurisdiction's grades: an index
            // walk of every grade, each probing the partition) can take many times a hash join's time.
            try query("SET LOCAL cursor_tuple_fraction = 1")
        }
        let name = "onecheck_cursor_\(cursors)"
        try query("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", binds)
        while true {
            let page = try query("FETCH FORWARD 20000 FROM \(name)")
            for row in page { try body(row) }
            if page.count < 20000 { break }
        }
        try query("CLOSE \(name)")
    }

    static func code(_ row: PostgresRow, _ index: Int, in table: String) throws -> CreditCode {
        try row.parsed(index, in: table) { try? CreditCode(validating: $0) }
    }

    static func grade(_ row: PostgresRow, _ index: Int, in table: String) throws -> Grade {
        try row.parsed(index, in: table) { Grade(label: $0) }
    }

    static func period(_ row: PostgresRow, _ index: Int, in table: String) throws -> Period {
        try row.parsed(index, in: table) { Period($0) }
    }

    static func date(_ row: PostgresRow, _ index: Int, in table: String) throws -> CalendarDate {
        try row.parsed(index, in: table) { CalendarDate($0) }
    }

    static func optionalDate(_ row: PostgresRow, _ index: Int, in table: String) throws -> CalendarDate? {
        row.isNull(index) ? nil : try date(row, index, in: table)
    }

    static func key<Key: DirectoryKey>(_ row: PostgresRow, _ index: Int) throws -> Key { Key(try row.string(index)) }
}

// MARK: - Directory

extension PostgresTransaction {
    func departments() throws -> [Department] {
        try query("SELECT code, name, risk_head FROM departments ORDER BY code").map { row in
            let head = try row.string(2)
            return Department(code: try Self.key(row, 0), name: try row.string(1), riskHead: head.isEmpty ? nil : head)
        }
    }

    func scenarios() throws -> [Scenario] {
        var partners: [ScenarioCode: [DepartmentCode]] = [:]
        for row in try query("SELECT scenario, department FROM scenario_partners ORDER BY scenario, position") {
            partners[try Self.key(row, 0), default: []].append(try Self.key(row, 1))
        }
        return try query("SELECT code, name, lead_department FROM scenarios ORDER BY code").map { row in
            let code: ScenarioCode = try Self.key(row, 0)
            return Scenario(code: code, name: try row.string(1), lead: try Self.key(row, 2), partners: partners[code] ?? [])
        }
    }

    func items() throws -> [Item] {
        try query("""
            SELECT code, department, scenario, element, measure, name, legal_basis FROM items ORDER BY code
            """).map { row in
            Item(code: try Self.key(row, 0), department: try Self.key(row, 1), scenario: try Self.key(row, 2),
                 element: try row.parsed(3, in: "items") { Element(rawValue: $0) },
                 measure: try row.parsed(4, in: "items") { Measure(rawValue: $0) },
                 name: try row.string(5), legalBasis: try row.string(6))
        }
    }

    static let entityColumns = "credit_code, name, scenario, district, legal_representative, credit_grade, jurisdiction"

    static func entity(_ row: PostgresRow) throws -> Entity {
        let district = try row.string(3), jurisdiction = try row.string(6)
        return Entity(creditCode: try code(row, 0, in: "entities"), name: try row.string(1), scenario: try key(row, 2),
                      district: district.isEmpty ? nil : DistrictCode(district),
                      legalRepresentative: try row.string(4), creditGrade: try grade(row, 5, in: "entities"),
                      jurisdiction: JurisdictionCode?(storedText: jurisdiction))
    }

    func entity(_ code: CreditCode) throws -> Entity? {
        try query("SELECT \(Self.entityColumns) FROM entities WHERE credit_code = $1", [.text(code.rawValue)])
            .first.map(Self.entity)
    }

    func directoryEntries(of codes: [CreditCode]) throws -> [CreditCode: DirectoryEntry] {
        var result: [CreditCode: DirectoryEntry] = [:]
        let unique = Array(Set(codes.map(\.rawValue))).sorted()
        var start = 0
        while start < unique.count {
            let end = min(start + 50_000, unique.count)
            var scenarios: [String: ScenarioCode] = [:], departments: [String: [DepartmentCode]] = [:]
            var jurisdictions: [String: JurisdictionCode?] = [:]
            // Through `entity_codes`: each code's jurisdiction names the one partition of `entities` and of
            // `directory_memberships` to look in, where the code alone would be looked for in every partition.
            for row in try query("""
                SELECT e.credit_code, e.scenario, m.department, c.jurisdiction FROM entity_codes c
                JOIN entities e ON e.jurisdiction = c.jurisdiction AND e.credit_code = c.credit_code
                LEFT JOIN directory_memberships m ON m.jurisdiction = e.jurisdiction AND m.entity = e.credit_code
                WHERE c.credit_code = ANY($1) ORDER BY e.credit_code, m.department
                """, [.texts(Array(unique[start..<end]))]) {
                let code = try row.string(0)
                if scenarios.updateValue(try Self.key(row, 1), forKey: code) == nil {
                    jurisdictions[code] = JurisdictionCode?(storedText: try row.string(3))
                }
                if let department = try row.optionalString(2) { departments[code, default: []].append(DepartmentCode(department)) }
            }
            for (code, scenario) in scenarios {
                result[try CreditCode(validating: code)] = DirectoryEntry(scenario: scenario, departments: departments[code] ?? [],
                                                                          jurisdiction: jurisdictions[code] ?? nil)
            }
            start = end
        }
        return result
    }

    /// The condition that keeps `selection`'s rows of a table with a `jurisdiction` column — one partition of the
    /// tables partitioned by it — as `" <keyword> jurisdiction = $<parameter>"` and its one bind (the code is
    /// bound, never SQL text); nothing for `.all`.
    static func jurisdictionCondition(_ selection: EntitySelection, _ keyword: String, parameter: Int)
        -> (sql: String, binds: [PostgresBind]) {
        guard let jurisdiction = selection.storedJurisdiction else { return ("", []) }
        return (" \(keyword) jurisdiction = $\(parameter)", [.text(jurisdiction)])
    }

    func forEachEntity(_ selection: EntitySelection, _ body: (Entity) throws -> Void) throws {
        // One jurisdiction's entities are one partition, its key (jurisdiction, credit_code) in this order.
        let condition = Self.jurisdictionCondition(selection, "WHERE", parameter: 1)
        try forEachRow("SELECT \(Self.entityColumns) FROM entities\(condition.sql) ORDER BY credit_code",
                       condition.binds) { try body(try Self.entity($0)) }
    }

    func forEachMembership(_ body: (DepartmentCode, CreditCode) throws -> Void) throws {
        try forEachRow("SELECT department, entity FROM directory_memberships ORDER BY department, entity") { row in
            try body(try Self.key(row, 0), try Self.code(row, 1, in: "directory_memberships"))
        }
    }

    func directorySizes() throws -> [DirectoryScope: Int] {
        var sizes: [DirectoryScope: Int] = [:]
        for row in try query("""
            SELECT m.department, e.scenario, COUNT(*) FROM directory_memberships m
            JOIN entities e ON e.credit_code = m.entity GROUP BY m.department, e.scenario
            """) {
            sizes[DirectoryScope(department: try Self.key(row, 0), scenario: try Self.key(row, 1))] = try row.int(2)
        }
        return sizes
    }

    func inspectors(of selection: EntitySelection) throws -> [Inspector] {
        // One jurisdiction's roster is one partition (schema version 10).
        let condition = Self.jurisdictionCondition(selection, "WHERE", parameter: 1)
        return try query("""
            SELECT id, name, department, district, qualified_items, cap_per_period, cap_per_day, conflicts, last_checked,
                   jurisdiction
            FROM inspectors\(condition.sql) ORDER BY id
            """, condition.binds).map { row in
            let district = try row.string(3), jurisdiction = try row.string(9)
            return Inspector(id: try Self.key(row, 0), name: try row.string(1), department: try Self.key(row, 2),
                             district: district.isEmpty ? nil : DistrictCode(district),
                             qualifiedItems: KeyList.keys(try row.string(4)), capPerPeriod: try row.optionalInt(5),
                             capPerDay: try row.int(6), conflicts: KeyList.keys(try row.string(7)),
                             checkedLastPeriod: KeyList.keys(try row.string(8)),
                             jurisdiction: JurisdictionCode?(storedText: jurisdiction))
        }
    }

    func inspectorDepartments() throws -> [InspectorID: DepartmentCode] {
        var result: [InspectorID: DepartmentCode] = [:]
        for row in try query("SELECT id, department FROM inspectors") { result[try Self.key(row, 0)] = try Self.key(row, 1) }
        return result
    }

    func quotas(of selection: EntitySelection) throws -> [Quota] {
        let condition = Self.jurisdictionCondition(selection, "WHERE", parameter: 1)
        return try query("""
            SELECT department, grade, ratio, count, jurisdiction FROM stratum_quotas\(condition.sql)
            ORDER BY jurisdiction, department, grade
            """, condition.binds).map { row in
            let ratio = try row.optionalDouble(2), count = try row.optionalInt(3), jurisdiction = try row.string(4)
            let size: SampleSize = ratio.map(SampleSize.ratio) ?? count.map(SampleSize.count) ?? .census
            return Quota(department: try Self.key(row, 0), grade: try Self.grade(row, 1, in: "stratum_quotas"), size: size,
                         jurisdiction: JurisdictionCode?(storedText: jurisdiction))
        }
    }

    func caps() throws -> [Cap] {
        let caps = try query("SELECT scope, max_checks_per_year FROM caps").map { row in
            Cap(scope: Cap.Scope(try row.string(0)), maxChecksPerYear: try row.int(1))
        }
        return Caps(caps).rows
    }

    func featureColumns() throws -> [String] {
        try query("SELECT name FROM feature_columns ORDER BY position").map { try $0.string(0) }
    }

    func setting(_ key: WorkspaceSetting) throws -> String? {
        try query("SELECT value FROM workspace_settings WHERE key = $1", [.text(key.rawValue)]).first?.string(0)
    }

    func forEachStoredFeatures(_ body: (StoredFeatures) throws -> Void) throws {
        try forEachRow("""
            SELECT e.credit_code, e.district, e.scenario, f.feature_values FROM entities e
            JOIN entity_features f ON f.entity = e.credit_code ORDER BY e.credit_code
            """) { row in
            let district = try row.string(1)
            try body(StoredFeatures(entity: try Self.code(row, 0, in: "entities"),
                                    district: district.isEmpty ? nil : DistrictCode(district),
                                    scenario: try Self.key(row, 2), values: try row.string(3)))
        }
    }
}
