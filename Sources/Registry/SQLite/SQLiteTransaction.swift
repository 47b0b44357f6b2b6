import GRDB
import Supervision

/// One transaction of a ``SQLiteStore``: the queries and writes of ``RegistryReader`` and ``RegistryWriter`` on a
/// GRDB connection. Only persistence: every rule is the workspace's.
struct SQLiteTransaction: RegistryWriter {
    let db: Database

    /// Runs a cached statement whose argument count the caller guarantees (skipping GRDB's per-call check, which
    /// matters at a million rows).
    @inline(__always)
    func execute(_ sql: String, _ arguments: StatementArguments) throws {
        let statement = try db.cachedStatement(sql: sql)
        statement.setUncheckedArguments(arguments)
        try statement.execute()
    }

    /// `INSERT … ON CONFLICT(key) DO UPDATE` for the given columns.
    static func upsert(_ table: String, _ columns: [String], key: [String]) -> String {
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let action = updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates.joined(separator: ", ")
        return "INSERT INTO \(table)(\(columns.joined(separator: ", "))) VALUES (\(placeholders)) "
            + "ON CONFLICT(\(key.joined(separator: ", "))) DO \(action)"
    }

    /// `(?, ?, …)` with `count` placeholders, for `IN` lists.
    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    /// Runs `body` over `keys` in chunks small enough for SQLite's limit on bound parameters.
    static func chunked<Key>(_ keys: [Key], _ body: (ArraySlice<Key>) throws -> Void) rethrows {
        var start = 0
        while start < keys.count {
            let end = min(start + 500, keys.count)
            try body(keys[start..<end])
            start = end
        }
    }
}

// MARK: - Directory

extension SQLiteTransaction {
    func departments() throws -> [Department] {
        try Row.fetchAll(db, Table("departments").select(Column("code"), Column("name"), Column("risk_head"))
            .order(Column("code"))).map { row in
            let head: String = row["risk_head"]
            return Department(code: row["code"], name: row["name"], riskHead: head.isEmpty ? nil : head)
        }
    }

    func scenarios() throws -> [Scenario] {
        var partners: [ScenarioCode: [DepartmentCode]] = [:]
        for row in try Row.fetchAll(db, Table("scenario_partners").order(Column("scenario"), Column("position"))) {
            partners[row["scenario"], default: []].append(row["department"])
        }
        return try Row.fetchAll(db, Table("scenarios").order(Column("code"))).map { row in
            let code: ScenarioCode = row["code"]
            return Scenario(code: code, name: row["name"], lead: row["lead_department"], partners: partners[code] ?? [])
        }
    }

    func items() throws -> [Item] {
        try Row.fetchAll(db, Table("items").order(Column("code"))).map { row in
            Item(code: row["code"], department: row["department"], scenario: row["scenario"],
                 element: row["element"], measure: row["measure"], name: row["name"], legalBasis: row["legal_basis"])
        }
    }

    func entity(_ code: CreditCode) throws -> Entity? {
        try Entity.filter(key: code.rawValue).fetchOne(db)
    }

    func directoryEntries(of codes: [CreditCode]) throws -> [CreditCode: DirectoryEntry] {
        var result: [CreditCode: DirectoryEntry] = [:]
        result.reserveCapacity(codes.count)
        let statement = try db.cachedStatement(sql: """
            SELECT e.scenario, m.department, e.jurisdiction FROM entities e
            LEFT JOIN directory_memberships m ON m.entity = e.credit_code
            WHERE e.credit_code = ? ORDER BY m.department
            """)
        // In key order, so successive lookups fall on neighbouring pages.
        for code in Set(codes).sorted() {
            statement.setUncheckedArguments([code.rawValue])
            let rows = try Row.fetchAll(statement)
            guard let first = rows.first else { continue }
            result[code] = DirectoryEntry(scenario: first[0], departments: rows.compactMap { $0[1] as DepartmentCode? },
                                          jurisdiction: JurisdictionCode?(storedText: first[2]))
        }
        return result
    }

    func forEachEntity(_ selection: EntitySelection, _ body: (Entity) throws -> Void) throws {
        var request = Entity.order(Column("credit_code"))
        if let jurisdiction = selection.storedJurisdiction { request = request.filter(Column("jurisdiction") == jurisdiction) }
        let cursor = try request.fetchCursor(db)
        while let entity = try cursor.next() { try body(entity) }
    }

    func forEachMembership(_ body: (DepartmentCode, CreditCode) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT department, entity FROM directory_memberships ORDER BY department, entity")
        while let row = try rows.next() {
            try body(row[0], try decoded(row, "entity", in: "directory_memberships"))
        }
    }

    func directorySizes() throws -> [DirectoryScope: Int] {
        var sizes: [DirectoryScope: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT m.department, e.scenario, COUNT(*) FROM directory_memberships m
            JOIN entities e ON e.credit_code = m.entity GROUP BY m.department, e.scenario
            """) {
            sizes[DirectoryScope(department: row[0], scenario: row[1])] = row[2]
        }
        return sizes
    }

    func inspectors(of selection: EntitySelection) throws -> [Inspector] {
        var request = Table("inspectors").order(Column("id"))
        if let jurisdiction = selection.storedJurisdiction { request = request.filter(Column("jurisdiction") == jurisdiction) }
        return try Row.fetchAll(db, request).map { row in
            let district: String = row["district"], jurisdiction: String = row["jurisdiction"]
            return Inspector(id: row["id"], name: row["name"], department: row["department"],
                             district: district.isEmpty ? nil : DistrictCode(district),
                             qualifiedItems: KeyList.keys(row["qualified_items"]), capPerPeriod: row["cap_per_period"],
                             capPerDay: row["cap_per_day"], conflicts: KeyList.keys(row["conflicts"]),
                             checkedLastPeriod: KeyList.keys(row["last_checked"]),
                             jurisdiction: JurisdictionCode?(storedText: jurisdiction))
        }
    }

    func inspectorDepartments() throws -> [InspectorID: DepartmentCode] {
        var result: [InspectorID: DepartmentCode] = [:]
        for row in try Row.fetchAll(db, Table("inspectors").select(Column("id"), Column("department"))) {
            result[row[0]] = row[1]
        }
        return result
    }

    func quotas(of selection: EntitySelection) throws -> [Quota] {
        var request = Table("stratum_quotas").order(Column("jurisdiction"), Column("department"), Column("grade"))
        if let jurisdiction = selection.storedJurisdiction { request = request.filter(Column("jurisdiction") == jurisdiction) }
        return try Row.fetchAll(db, request).map { row in
            let ratio: Double? = row["ratio"], count: Int? = row["count"], jurisdiction: String = row["jurisdiction"]
            let size: SampleSize = ratio.map(SampleSize.ratio) ?? count.map(SampleSize.count) ?? .census
            return Quota(department: row["department"], grade: try decoded(row, "grade", in: "stratum_quotas"), size: size,
                         jurisdiction: JurisdictionCode?(storedText: jurisdiction))
        }
    }

    func caps() throws -> [Cap] {
        let caps = try Row.fetchAll(db, Table("caps").all()).map { row in
            Cap(scope: Cap.Scope(row["scope"] as String), maxChecksPerYear: row["max_checks_per_year"])
        }
        return Caps(caps).rows
    }

    func featureColumns() throws -> [String] {
        try String.fetchAll(db, Table("feature_columns").select(Column("name")).order(Column("position")))
    }

    func setting(_ key: WorkspaceSetting) throws -> String? {
        try String.fetchOne(db, Table("workspace_settings").select(Column("value")).filter(Column("key") == key.rawValue))
    }

    func forEachStoredFeatures(_ body: (StoredFeatures) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT e.credit_code, e.district, e.scenario, f.feature_values FROM entities e
            JOIN entity_features f ON f.entity = e.credit_code ORDER BY e.credit_code
            """)
        while let row = try rows.next() {
            let district: String = row[1]
            try body(StoredFeatures(entity: try decoded(row, "credit_code", in: "entities"),
                                    district: district.isEmpty ? nil : DistrictCode(district),
                                    scenario: row[2], values: row[3]))
        }
    }
}
