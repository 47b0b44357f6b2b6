import GRDB
import OneCheckUtilities
import Supervision

// The writes of a transaction: upserts by key with cached statements (a city import runs them millions of times).

extension SQLiteTransaction {
    func upsertDepartment(code: DepartmentCode, name: String, riskHead: String?) throws {
        if let riskHead {
            try execute(Upsert.departmentWithHead,
                        [code.rawValue, name, riskHead])
        } else {
            try execute(Upsert.department, [code.rawValue, name])
        }
    }

    func upsertScenario(code: ScenarioCode, name: String, lead: DepartmentCode, partners: [DepartmentCode]?) throws {
        try execute(Upsert.scenario,
                    [code.rawValue, name, lead.rawValue])
        guard let partners else { return }
        try execute("DELETE FROM scenario_partners WHERE scenario = ?", [code.rawValue])
        for (position, partner) in partners.enumerated() {
            try execute("INSERT INTO scenario_partners(scenario, position, department) VALUES (?, ?, ?)",
                        [code.rawValue, position, partner.rawValue])
        }
    }

    func upsertItem(_ item: Item) throws {
        precondition(item.element != nil && item.measure != nil, "a registry item has an element and a measure")
        try execute(Upsert.item,
                    [item.code.rawValue, item.department.rawValue, item.scenario.rawValue, item.name,
                     item.element!.rawValue, item.measure!.rawValue, item.legalBasis])
    }

    /// Each entity is first inserted as new (`ON CONFLICT DO NOTHING`); only when it exists already is it
    /// updated and are its memberships cleared before the new ones are written — a new entity costs one insert
    /// per table and no lookup of memberships to delete.
    func upsertEntities(_ entities: [EntityUpsert]) throws {
        // Bound through SQLite's C API (`SQLiteRowStatement`): a city import runs these millions of times.
        let withRepresentative = try SQLiteRowStatement(db, sql: Upsert.entity)
        let withoutRepresentative = try SQLiteRowStatement(db, sql: Upsert.entityKeepingRepresentative)
        let newWithRepresentative = try SQLiteRowStatement(db, sql: Insert.entity)
        let newWithoutRepresentative = try SQLiteRowStatement(db, sql: Insert.entityWithoutRepresentative)
        let clear = try SQLiteRowStatement(db, sql: "DELETE FROM directory_memberships WHERE entity = ?")
        let features = try SQLiteRowStatement(db, sql: Upsert.features)
        // In key order (stable, so a repeated key keeps its last value): each B-tree then takes its rows at
        // ascending positions, touching its pages in order instead of at random — the same rows, less cache churn.
        let order = EntityUpsert.keyOrder(entities)
        // The memberships depend on the batch alone, not on what is stored: built on another thread while this
        // one writes the entity and feature rows.
        let memberships = BackgroundWork { Self.memberArrays(entities, order: order) }
        do {
            for index in order {
                let upsert = entities[index]
                let e = upsert.entity, code = e.creditCode.rawValue
                // The columns of `Insert.entity` and `Upsert.entity`, the legal representative fifth when written.
                func bindEntity(_ statement: SQLiteRowStatement) {
                    var column: Int32 = 1
                    func next(_ text: String) { statement.bind(text, at: column); column += 1 }
                    next(code); next(e.name); next(e.scenario.rawValue); next(e.district?.rawValue ?? "")
                    if upsert.writesLegalRepresentative { next(e.legalRepresentative) }
                    next(e.creditGrade.label); next(e.jurisdiction.storedText)
                }
                let insert = upsert.writesLegalRepresentative ? newWithRepresentative : newWithoutRepresentative
                bindEntity(insert)
                let existed = try insert.execute() == 0
                if existed {
                    let update = upsert.writesLegalRepresentative ? withRepresentative : withoutRepresentative
                    bindEntity(update)
                    try update.execute()
                }
                if existed && upsert.departments != nil {
                    clear.bind(code, at: 1)
                    try clear.execute()
                }
                if let values = upsert.featureValues {
                    features.bind(code, at: 1)
                    features.bind(values, at: 2)
                    try features.execute()
                }
            }
        } catch {
            _ = try? memberships.value()
            throw error
        }
        try insertMemberships(memberships.value())
    }

    /// Each department's memberships among `entities`, as a JSON array of credit codes in key order (`order`),
    /// by department code. A code repeated in `entities` keeps the departments of its last row that names any
    /// (each such row replaces the memberships before it); a department named twice is one membership.
    private static func memberArrays(_ entities: [EntityUpsert], order: [Int]) -> [(DepartmentCode, String)] {
        var members: [DepartmentCode: [String]] = [:]
        for (position, index) in order.enumerated() {
            guard let departments = entities[index].departments else { continue }
            let code = entities[index].entity.creditCode
            let later = order[(position + 1)...].prefix { entities[$0].entity.creditCode == code }
            if later.contains(where: { entities[$0].departments != nil }) { continue }
            for (i, department) in departments.enumerated() where !departments[..<i].contains(department) {
                members[department, default: []].append(code.rawValue)
            }
        }
        return members.keys.sorted().map { ($0, JSONText.array(members[$0]!)) }  // byte order, as the key compares
    }

    /// Writes the memberships `arrays` (department → its entities as a JSON array in key order, by department):
    /// one `INSERT … SELECT` per department over `json_each` of its entities — the B-tree of
    /// `directory_memberships` (keyed by department, then entity) filled at ascending positions, and millions of
    /// rows without a statement execution each.
    private func insertMemberships(_ arrays: [(DepartmentCode, String)]) throws {
        let insert = try SQLiteRowStatement(db, sql: """
            INSERT INTO directory_memberships(department, entity) SELECT ?1, value FROM json_each(?2)
            """)
        for (department, array) in arrays {
            insert.bind(department.rawValue, at: 1)
            insert.bind(array, at: 2)
            try insert.execute()
        }
    }

    func addMemberships(_ memberships: [DirectoryMembership]) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO directory_memberships(department, entity) VALUES (?, ?) ON CONFLICT DO NOTHING")
        for m in memberships {
            statement.setUncheckedArguments([m.department.rawValue, m.entity.rawValue])
            try statement.execute()
        }
    }

    func upsertInspector(_ i: Inspector, roster: Bool) throws {
        if roster {
            try execute(Upsert.roster,
                        [i.id.rawValue, i.name, i.department.rawValue, KeyList.text(i.conflicts),
                         i.district?.rawValue ?? "", KeyList.text(i.qualifiedItems), i.capPerPeriod, i.capPerDay,
                         KeyList.text(i.checkedLastPeriod), i.jurisdiction.storedText])
        } else {
            try execute(Upsert.inspector,
                        [i.id.rawValue, i.name, i.department.rawValue, KeyList.text(i.conflicts)])
        }
    }

    func upsertQuotas(_ quotas: [Quota]) throws {
        for q in quotas {
            var ratio: Double?, count: Int?, certain = 0
            switch q.size {
            case let .ratio(r): ratio = r
            case let .count(c): count = c
            case .census: certain = 1
            }
            try execute(Upsert.quota,
                        [q.jurisdiction.storedText, q.department.rawValue, q.grade.label, ratio, count, certain])
        }
    }

    func upsertSamplingRatios(_ ratios: [SamplingRatio]) throws {
        for r in ratios {
            try execute(Upsert.ratio,
                        [r.department.rawValue, r.scenario.rawValue, r.grade.label, r.ratio, r.maxChecksPerYear])
        }
    }

    func upsertCaps(_ caps: [Cap]) throws {
        for cap in caps {
            try execute(Upsert.cap,
                        [cap.scope.description, cap.maxChecksPerYear])
        }
    }

    func setFeatureColumns(_ names: [String]) throws {
        for (position, name) in names.enumerated() {
            try execute("INSERT INTO feature_columns(position, name) VALUES (?, ?)", [position, name])
        }
    }

    func setSetting(_ key: WorkspaceSetting, to value: String) throws {
        try execute(Upsert.setting, [key.rawValue, value])
    }

    func insertDraw(_ plan: ScenarioPlan, checks: [Check]) throws {
        try plan.insert(db)
        let insert = try SQLiteRowStatement(db, sql: """
            INSERT INTO checks(id, plan, period, entity, department, inclusion_probability, checked_on, inspectors)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let period = plan.period.description
        for check in checks {
            precondition(check.plan == plan.id, "check \(check.id) belongs to plan \(check.plan), not \(plan.id)")
            insert.bind(check.id.rawValue, at: 1)
            insert.bind(plan.id.rawValue, at: 2)
            insert.bind(period, at: 3)
            insert.bind(check.entity.rawValue, at: 4)
            insert.bind(check.department.rawValue, at: 5)
            insert.bind(check.inclusionProbability, at: 6)
            insert.bind(check.checkedOn.description, at: 7)
            insert.bind(KeyList.text(check.inspectors), at: 8)
            try insert.execute()
        }
    }

    func upsertFindings(_ findings: [Finding]) throws {
        let statement = try db.cachedStatement(sql: Upsert.finding)
        for f in findings {
            statement.setUncheckedArguments([f.checkId.rawValue, f.item.rawValue, f.outcome.rawValue, f.penalty, f.note])
            try statement.execute()
        }
    }

    func upsertDisposals(_ disposals: [Disposal]) throws {
        let statement = try db.cachedStatement(sql: Upsert.disposal)
        for d in disposals {
            statement.setUncheckedArguments([d.checkId.rawValue, d.item.rawValue, d.action, d.openedOn.description,
                                             d.closedOn?.description])
            try statement.execute()
        }
    }

    func insertPublications(_ publications: [Publication]) throws {
        for publication in publications { try publication.insert(db) }
    }

    func deleteDepartmentGrades(period: Period) throws {
        try execute("DELETE FROM department_grades WHERE period = ?", [period.description])
        try removeFromSummaries(period: period)
    }

    func insertDepartmentGrades(_ grades: [DepartmentGrade]) throws {
        let insert = try SQLiteRowStatement(db, sql: """
            INSERT INTO department_grades(period, department, entity, probability, scored_grade, grade)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        // In key order (see `upsertEntities`).
        let ordered = grades.indices.sorted {
            (grades[$0].period, grades[$0].department, grades[$0].entity, $0)
                < (grades[$1].period, grades[$1].department, grades[$1].entity, $1)
        }
        for g in ordered.lazy.map({ grades[$0] }) {
            insert.bind(g.period.description, at: 1)
            insert.bind(g.department.rawValue, at: 2)
            insert.bind(g.entity.rawValue, at: 3)
            insert.bind(g.probability, at: 4)
            insert.bind(g.scoredGrade.label, at: 5)
            insert.bind(g.grade.label, at: 6)
            try insert.execute()
        }
        try addToSummaries(grades)
    }

    @discardableResult
    func appendAudit(_ entry: AuditEntry) throws -> Int64 {
        var entry = entry
        entry.seq = nil
        try entry.insert(db)
        return db.lastInsertedRowID
    }
}

// MARK: - Statements

extension SQLiteTransaction {
    /// The upserts, built once (a statement is looked up in GRDB's cache by its text).
    enum Upsert {
        static let departmentWithHead = upsert("departments", ["code", "name", "risk_head"], key: ["code"])
        static let department = upsert("departments", ["code", "name"], key: ["code"])
        static let scenario = upsert("scenarios", ["code", "name", "lead_department"], key: ["code"])
        static let item = upsert("items", ["code", "department", "scenario", "name", "element", "measure", "legal_basis"],
                                 key: ["code"])
        static let entity = upsert("entities", ["credit_code", "name", "scenario", "district", "legal_representative",
                                                "credit_grade", "jurisdiction"], key: ["credit_code"])
        static let entityKeepingRepresentative = upsert("entities", ["credit_code", "name", "scenario", "district",
                                                                     "credit_grade", "jurisdiction"], key: ["credit_code"])
        static let features = upsert("entity_features", ["entity", "feature_values"], key: ["entity"])
        static let roster = upsert("inspectors", ["id", "name", "department", "conflicts", "district", "qualified_items",
                                                  "cap_per_period", "cap_per_day", "last_checked", "jurisdiction"], key: ["id"])
        static let inspector = upsert("inspectors", ["id", "name", "department", "conflicts"], key: ["id"])
        static let quota = upsert("stratum_quotas", ["jurisdiction", "department", "grade", "ratio", "count", "certain"],
                                  key: ["jurisdiction", "department", "grade"])
        static let ratio = upsert("quotas", ["department", "scenario", "credit_grade", "sampling_ratio",
                                             "max_checks_per_year"], key: ["department", "scenario", "credit_grade"])
        static let cap = upsert("caps", ["scope", "max_checks_per_year"], key: ["scope"])
        static let setting = upsert("workspace_settings", ["key", "value"], key: ["key"])
        static let finding = upsert("findings", ["check_id", "item", "outcome", "penalty", "note"],
                                    key: ["check_id", "item"])
        static let disposal = upsert("disposals", ["check_id", "item", "action", "opened_on", "closed_on"],
                                     key: ["check_id", "item"])

        private static func upsert(_ table: String, _ columns: [String], key: [String]) -> String {
            SQLiteTransaction.upsert(table, columns, key: key)
        }
    }

    /// Inserts of a row that may exist already: nothing happens then (`changesCount` is 0). Only the key's
    /// conflict is ignored; every other constraint still fails.
    enum Insert {
        static let entity = ifNew("entities", ["credit_code", "name", "scenario", "district", "legal_representative",
                                               "credit_grade", "jurisdiction"], key: ["credit_code"])
        static let entityWithoutRepresentative = ifNew("entities", ["credit_code", "name", "scenario", "district",
                                                                    "credit_grade", "jurisdiction"], key: ["credit_code"])

        private static func ifNew(_ table: String, _ columns: [String], key: [String]) -> String {
            let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            return "INSERT INTO \(table)(\(columns.joined(separator: ", "))) VALUES (\(placeholders)) "
                + "ON CONFLICT(\(key.joined(separator: ", "))) DO NOTHING"
        }
    }
}
