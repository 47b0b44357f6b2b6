import PostgresNIO
import Supervision

// The writes of a transaction. Lists are written a batch at a time — one statement over arrays (`unnest`) per
// batch instead of one round trip per row — and an upsert batch keeps the last of rows with the same key (an
// `ON CONFLICT DO UPDATE` may not touch a row twice), as the row-by-row upserts of SQLite do.

extension PostgresTransaction {
    /// Rows per statement.
    static let batchSize = 20_000

    /// `INSERT … SELECT FROM unnest(…) ON CONFLICT (key) DO UPDATE` for the given columns, each bound as an array
    /// of `types`.
    static func upsert(_ table: String, _ columns: [String], types: [String], key: [String]) -> String {
        let names = columns.joined(separator: ", ")
        return "INSERT INTO \(table)(\(names)) SELECT \(names) FROM unnest(\(arrays(types))) AS k(\(names)) "
            + conflictClause(columns, key: key)
    }

    /// `$1::t1[], $2::t2[], …`: one array parameter per column type.
    private static func arrays(_ types: [String]) -> String {
        types.indices.map { "$\($0 + 1)::\(types[$0])[]" }.joined(separator: ", ")
    }

    /// `ON CONFLICT(key) DO UPDATE SET` every column outside `key` (`DO NOTHING` when there is none).
    private static func conflictClause(_ columns: [String], key: [String]) -> String {
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
        let action = updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates.joined(separator: ", ")
        return "ON CONFLICT(\(key.joined(separator: ", "))) DO \(action)"
    }

    /// An upsert into one of the cycle's tables keyed by a check (schema version 12): each row in the jurisdiction of
    /// its check, looked up in `check_codes` on the server (`''` for an unknown check, which the foreign key then
    /// refuses). `columns` start with `check_id`; `key` is the key without the jurisdiction, nil for a plain insert
    /// (a row already stored is refused by the key); `values` replaces a column's value expression.
    static func upsertByCheck(_ table: String, _ columns: [String], types: [String], key: [String]?,
                              values: [String: String] = [:]) -> String {
        let selected = columns.map { values[$0] ?? "k.\($0)" }.joined(separator: ", ")
        let sql = """
            INSERT INTO \(table)(\(columns.joined(separator: ", ")), jurisdiction)
            SELECT \(selected), COALESCE(c.jurisdiction, '')
            FROM unnest(\(arrays(types))) AS k(\(columns.joined(separator: ", "))) LEFT JOIN check_codes c ON c.id = k.check_id
            """
        return key.map { sql + "\n" + conflictClause(columns, key: ["jurisdiction"] + $0) } ?? sql
    }

    /// The last element of `rows` for each key, in the order of those last occurrences.
    static func lastOfEachKey<Row, Key: Hashable>(_ rows: [Row], _ key: (Row) -> Key) -> [Row] {
        var last: [Key: Int] = [:]
        for (index, row) in rows.enumerated() { last[key(row)] = index }
        guard last.count < rows.count else { return rows }
        return rows.indices.filter { last[key(rows[$0])] == $0 }.map { rows[$0] }
    }

    /// Runs `body` over `rows` in batches of ``batchSize``.
    static func batched<Row>(_ rows: [Row], _ body: (ArraySlice<Row>) throws -> Void) rethrows {
        var start = 0
        while start < rows.count {
            let end = min(start + batchSize, rows.count)
            try body(rows[start..<end])
            start = end
        }
    }
}

extension PostgresTransaction {
    func upsertDepartment(code: DepartmentCode, name: String, riskHead: String?) throws {
        if let riskHead {
            try query("""
                INSERT INTO departments(code, name, risk_head) VALUES ($1, $2, $3)
                ON CONFLICT(code) DO UPDATE SET name = excluded.name, risk_head = excluded.risk_head
                """, [.text(code.rawValue), .text(name), .text(riskHead)])
        } else {
            try query("INSERT INTO departments(code, name) VALUES ($1, $2) ON CONFLICT(code) DO UPDATE SET name = excluded.name",
                      [.text(code.rawValue), .text(name)])
        }
    }

    func upsertScenario(code: ScenarioCode, name: String, lead: DepartmentCode, partners: [DepartmentCode]?) throws {
        try query("""
            INSERT INTO scenarios(code, name, lead_department) VALUES ($1, $2, $3)
            ON CONFLICT(code) DO UPDATE SET name = excluded.name, lead_department = excluded.lead_department
            """, [.text(code.rawValue), .text(name), .text(lead.rawValue)])
        guard let partners else { return }
        try query("DELETE FROM scenario_partners WHERE scenario = $1", [.text(code.rawValue)])
        for (position, partner) in partners.enumerated() {
            try query("INSERT INTO scenario_partners(scenario, position, department) VALUES ($1, $2, $3)",
                      [.text(code.rawValue), .integer(position), .text(partner.rawValue)])
        }
    }

    func upsertItem(_ item: Item) throws {
        precondition(item.element != nil && item.measure != nil, "a registry item has an element and a measure")
        try query("""
            INSERT INTO items(code, department, scenario, name, element, measure, legal_basis)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT(code) DO UPDATE SET department = excluded.department, scenario = excluded.scenario,
                name = excluded.name, element = excluded.element, measure = excluded.measure,
                legal_basis = excluded.legal_basis
            """, [.text(item.code.rawValue), .text(item.department.rawValue), .text(item.scenario.rawValue),
                  .text(item.name), .text(item.element!.rawValue), .text(item.measure!.rawValue), .text(item.legalBasis)])
    }

    private static let entityUpsert = upsert(
        "entities", ["credit_code", "name", "scenario", "district", "legal_representative", "credit_grade",
                     "jurisdiction"],
        types: Array(repeating: "text", count: 7), key: ["jurisdiction", "credit_code"])
    private static let entityUpsertKeepingRepresentative = upsert(
        "entities", ["credit_code", "name", "scenario", "district", "credit_grade", "jurisdiction"],
        types: Array(repeating: "text", count: 6), key: ["jurisdiction", "credit_code"])
    private static let featuresUpsert = upsert("entity_features", ["entity", "feature_values", "jurisdiction"],
                                               types: ["text", "text", "text"], key: ["jurisdiction", "entity"])

    /// Each code's jurisdiction: a new code is added, a stored one in another jurisdiction moved (its entity,
    /// memberships and features follow by `ON UPDATE CASCADE`), so that the entity upserts after it find their
    /// row by `(jurisdiction, credit_code)` (schema version 8).
    private static let entityCodeUpsert = """
        INSERT INTO entity_codes(credit_code, jurisdiction) SELECT * FROM unnest($1::text[], $2::text[])
        ON CONFLICT(credit_code) DO UPDATE SET jurisdiction = excluded.jurisdiction
        WHERE entity_codes.jurisdiction <> excluded.jurisdiction
        """

    func upsertEntities(_ entities: [EntityUpsert]) throws {
        let keyed = EntityUpsert.lastOfEachKeyInKeyOrder(entities)
        try preparePartitions(keyed.lazy.map { entities[$0].entity.jurisdiction.storedText })
        if try bulkLoadEntities(entities, keyed: keyed) { return }
        try Self.batched(keyed) { positions in
            let batch = positions.map { entities[$0] }
            // Only stored entities have memberships to replace: the others skip the DELETE, which has no index
            // on `entity` while a bulk load defers it.
            let members = batch.filter { $0.departments != nil }
            let stored = members.isEmpty ? [] : try query("SELECT credit_code FROM entity_codes WHERE credit_code = ANY($1)",
                                                          [.texts(members.map(\.entity.creditCode.rawValue))])
                .map { try $0.string(0) }
            let jurisdiction = { (upsert: EntityUpsert) in upsert.entity.jurisdiction.storedText }
            try query(Self.entityCodeUpsert, [.texts(batch.map(\.entity.creditCode.rawValue)), .texts(batch.map(jurisdiction))])
            for writesRepresentative in [true, false] {
                let part = batch.filter { $0.writesLegalRepresentative == writesRepresentative }.map(\.entity)
                guard !part.isEmpty else { continue }
                var binds: [PostgresBind] = [.texts(part.map(\.creditCode.rawValue)), .texts(part.map(\.name)),
                                             .texts(part.map(\.scenario.rawValue)),
                                             .texts(part.map { $0.district?.rawValue ?? "" })]
                if writesRepresentative { binds.append(.texts(part.map(\.legalRepresentative))) }
                binds.append(.texts(part.map(\.creditGrade.label)))
                binds.append(.texts(part.map { $0.jurisdiction.storedText }))
                try query(writesRepresentative ? Self.entityUpsert : Self.entityUpsertKeepingRepresentative, binds)
            }
            if !members.isEmpty {
                if !stored.isEmpty {
                    try query("DELETE FROM directory_memberships WHERE entity = ANY($1)", [.texts(stored)])
                }
                let triples = members.flatMap { upsert in
                    upsert.departments!.map { ($0.rawValue, upsert.entity.creditCode.rawValue, jurisdiction(upsert)) }
                }
                try query("""
                    INSERT INTO directory_memberships(department, entity, jurisdiction)
                    SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
                    ON CONFLICT DO NOTHING
                    """, [.texts(triples.map(\.0)), .texts(triples.map(\.1)), .texts(triples.map(\.2))])
            }
            let features = batch.filter { $0.featureValues != nil }
            if !features.isEmpty {
                try query(Self.featuresUpsert, [.texts(features.map(\.entity.creditCode.rawValue)),
                                                .texts(features.map { $0.featureValues! }), .texts(features.map(jurisdiction))])
            }
        }
    }

    /// Makes the partitions of the jurisdictions among `codes` that have none yet (schema version 8), through the
    /// schema's own function: the partitions' names and the DDL are made inside the server from numbers, never
    /// from the codes' text.
    func preparePartitions(_ codes: some Sequence<String>) throws {
        let distinct = Set(codes).sorted()
        guard !distinct.isEmpty else { return }
        try query("SELECT onecheck_jurisdiction_partitions($1::text[])", [.texts(distinct)])
    }

    func addMemberships(_ memberships: [DirectoryMembership]) throws {
        try Self.batched(memberships) { batch in
            // In the entity's jurisdiction; an unknown entity's membership is refused by the foreign key.
            try query("""
                INSERT INTO directory_memberships(department, entity, jurisdiction)
                SELECT k.department, k.entity, COALESCE(c.jurisdiction, '')
                FROM unnest($1::text[], $2::text[]) AS k(department, entity)
                LEFT JOIN entity_codes c ON c.credit_code = k.entity
                ON CONFLICT DO NOTHING
                """, [.texts(batch.map(\.department.rawValue)), .texts(batch.map(\.entity.rawValue))])
        }
    }

    /// Each inspector's jurisdiction (schema version 10): a new id is added, a stored one on another
    /// jurisdiction's roster moved (its row follows by `ON UPDATE CASCADE`), so that the roster upsert after it
    /// finds the row by `(jurisdiction, id)`.
    private static let inspectorCodeUpsert = """
        INSERT INTO inspector_codes(id, jurisdiction) SELECT * FROM unnest($1::text[], $2::text[])
        ON CONFLICT(id) DO UPDATE SET jurisdiction = excluded.jurisdiction
        WHERE inspector_codes.jurisdiction <> excluded.jurisdiction
        """

    func upsertInspector(_ i: Inspector, roster: Bool) throws {
        if roster {
            try upsertInspectors([i], roster: true)
        } else {
            // The directory's inspectors table names no jurisdiction: a stored inspector keeps its own, a new one
            // is in the implicit jurisdiction ''.
            try query("INSERT INTO inspector_codes(id, jurisdiction) VALUES ($1, '') ON CONFLICT(id) DO NOTHING",
                      [.text(i.id.rawValue)])
            try query("""
                INSERT INTO inspectors(id, name, department, conflicts, jurisdiction)
                SELECT $1, $2, $3, $4, c.jurisdiction FROM inspector_codes c WHERE c.id = $1
                ON CONFLICT(jurisdiction, id) DO UPDATE SET name = excluded.name, department = excluded.department,
                    conflicts = excluded.conflicts
                """, [.text(i.id.rawValue), .text(i.name), .text(i.department.rawValue), .text(KeyList.text(i.conflicts))])
        }
    }

    /// The roster upsert of a batch; a cap per period is sent as text, "" for none.
    private static let rosterUpsert = """
        INSERT INTO inspectors(id, name, department, conflicts, district, qualified_items, cap_per_period,
                               cap_per_day, last_checked, jurisdiction)
        SELECT k.id, k.name, k.department, k.conflicts, k.district, k.qualified_items,
               NULLIF(k.cap_per_period, '')::int8, k.cap_per_day, k.last_checked, k.jurisdiction
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[],
                    $9::text[], $10::text[])
             AS k(id, name, department, conflicts, district, qualified_items, cap_per_period, cap_per_day,
                  last_checked, jurisdiction)
        ON CONFLICT(jurisdiction, id) DO UPDATE SET name = excluded.name, department = excluded.department,
            conflicts = excluded.conflicts, district = excluded.district, qualified_items = excluded.qualified_items,
            cap_per_period = excluded.cap_per_period, cap_per_day = excluded.cap_per_day,
            last_checked = excluded.last_checked
        """

    func upsertInspectors(_ inspectors: [Inspector], roster: Bool) throws {
        guard roster else {
            for inspector in inspectors { try upsertInspector(inspector, roster: false) }
            return
        }
        let rows = Self.lastOfEachKey(inspectors) { $0.id }
        try preparePartitions(rows.lazy.map { $0.jurisdiction.storedText })
        try Self.batched(rows) { batch in
            let jurisdictions = batch.map { $0.jurisdiction.storedText }
            try query(Self.inspectorCodeUpsert, [.texts(batch.map(\.id.rawValue)), .texts(jurisdictions)])
            try query(Self.rosterUpsert,
                [.texts(batch.map(\.id.rawValue)), .texts(batch.map(\.name)), .texts(batch.map(\.department.rawValue)),
                 .texts(batch.map { KeyList.text($0.conflicts) }), .texts(batch.map { $0.district?.rawValue ?? "" }),
                 .texts(batch.map { KeyList.text($0.qualifiedItems) }), .texts(batch.map { $0.capPerPeriod.map(String.init) ?? "" }),
                 .integers(batch.map(\.capPerDay)), .texts(batch.map { KeyList.text($0.checkedLastPeriod) }),
                 .texts(jurisdictions)])
        }
    }

    func upsertQuotas(_ quotas: [Quota]) throws {
        let rows = Self.lastOfEachKey(quotas) { [$0.jurisdiction.storedText, $0.department.rawValue, $0.grade.label] }
        try preparePartitions(rows.lazy.map { $0.jurisdiction.storedText })
        try Self.batched(rows) { batch in
            // A ratio or a count is sent as text, "" for none (a real as its shortest exact text).
            let sizes = batch.map { q -> (ratio: String, count: String, certain: Int) in
                switch q.size {
                case let .ratio(r): return ("\(r)", "", 0)
                case let .count(c): return ("", "\(c)", 0)
                case .census: return ("", "", 1)
                }
            }
            try query("""
                INSERT INTO stratum_quotas(jurisdiction, department, grade, ratio, count, certain)
                SELECT k.jurisdiction, k.department, k.grade, NULLIF(k.ratio, '')::float8, NULLIF(k.count, '')::int8,
                       k.certain
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[])
                     AS k(jurisdiction, department, grade, ratio, count, certain)
                ON CONFLICT(jurisdiction, department, grade) DO UPDATE SET ratio = excluded.ratio, count = excluded.count,
                    certain = excluded.certain
                """, [.texts(batch.map { $0.jurisdiction.storedText }), .texts(batch.map(\.department.rawValue)),
                      .texts(batch.map(\.grade.label)), .texts(sizes.map(\.ratio)), .texts(sizes.map(\.count)),
                      .integers(sizes.map(\.certain))])
        }
    }

    private static let samplingRatioUpsert = upsert(
        "quotas", ["department", "scenario", "credit_grade", "sampling_ratio", "max_checks_per_year"],
        types: ["text", "text", "text", "float8", "int8"], key: ["department", "scenario", "credit_grade"])

    func upsertSamplingRatios(_ ratios: [SamplingRatio]) throws {
        let rows = Self.lastOfEachKey(ratios) { [$0.department.rawValue, $0.scenario.rawValue, $0.grade.label] }
        try Self.batched(rows) { batch in
            try query(Self.samplingRatioUpsert, [.texts(batch.map(\.department.rawValue)), .texts(batch.map(\.scenario.rawValue)),
                                                 .texts(batch.map(\.grade.label)), .reals(batch.map(\.ratio)),
                                                 .integers(batch.map(\.maxChecksPerYear))])
        }
    }

    private static let capUpsert = upsert("caps", ["scope", "max_checks_per_year"], types: ["text", "int8"], key: ["scope"])

    func upsertCaps(_ caps: [Cap]) throws {
        let rows = Self.lastOfEachKey(caps) { $0.scope.description }
        try Self.batched(rows) { batch in
            try query(Self.capUpsert, [.texts(batch.map(\.scope.description)), .integers(batch.map(\.maxChecksPerYear))])
        }
    }

    func setFeatureColumns(_ names: [String]) throws {
        for (position, name) in names.enumerated() {
            try query("INSERT INTO feature_columns(position, name) VALUES ($1, $2)", [.integer(position), .text(name)])
        }
    }

    func setSetting(_ key: WorkspaceSetting, to value: String) throws {
        try query("""
            INSERT INTO workspace_settings(key, value) VALUES ($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value
            """, [.text(key.rawValue), .text(value)])
    }

    func insertDraw(_ plan: ScenarioPlan, checks: [Check]) throws {
        try query("INSERT INTO plans(id, scenario, period, seed, jurisdiction) VALUES ($1, $2, $3, $4, $5)",
                  [.text(plan.id.rawValue), .text(plan.scenario.rawValue), .text(plan.period.description), .text(plan.seed),
                   .text(plan.jurisdiction.storedText)])
        for check in checks {
            precondition(check.plan == plan.id, "check \(check.id) belongs to plan \(check.plan), not \(plan.id)")
        }
        try Self.batched(checks) { batch in
            // Each check in its entity's jurisdiction (schema version 12): its code first, which ties the two, then
            // the check in that jurisdiction's partition. An unknown entity is refused by the codes' foreign key.
            try query("""
                INSERT INTO check_codes(id, entity, jurisdiction)
                SELECT k.id, k.entity, COALESCE(e.jurisdiction, '')
                FROM unnest($1::text[], $2::text[]) AS k(id, entity) LEFT JOIN entity_codes e ON e.credit_code = k.entity
                """, [.texts(batch.map(\.id.rawValue)), .texts(batch.map(\.entity.rawValue))])
            try query("""
                INSERT INTO checks(id, plan, period, entity, department, inclusion_probability, checked_on, inspectors,
                                   jurisdiction)
                SELECT k.id, $2, $3, k.entity, k.department, k.probability, k.day, k.inspectors, c.jurisdiction
                FROM unnest($1::text[], $4::text[], $5::text[], $6::float8[], $7::text[], $8::text[])
                     AS k(id, entity, department, probability, day, inspectors)
                JOIN check_codes c ON c.id = k.id
                """, [.texts(batch.map(\.id.rawValue)), .text(plan.id.rawValue), .text(plan.period.description),
                      .texts(batch.map(\.entity.rawValue)), .texts(batch.map(\.department.rawValue)),
                      .reals(batch.map(\.inclusionProbability)), .texts(batch.map(\.checkedOn.description)),
                      .texts(batch.map { KeyList.text($0.inspectors) })])
        }
    }

    private static let findingUpsert = upsertByCheck("findings", ["check_id", "item", "outcome", "penalty", "note"],
                                                     types: ["text", "text", "text", "float8", "text"],
                                                     key: ["check_id", "item"])
    // An empty closing day stands for none (no stored day is empty: the schema checks the form).
    private static let disposalUpsert = upsertByCheck("disposals", ["check_id", "item", "action", "opened_on", "closed_on"],
                                                      types: ["text", "text", "text", "text", "text"],
                                                      key: ["check_id", "item"],
                                                      values: ["closed_on": "NULLIF(k.closed_on, '')"])
    // Inserted only: a check's publication is never replaced (a second one is refused by the key).
    private static let publicationInsert = upsertByCheck("publications", ["check_id", "published_on", "deadline"],
                                                         types: ["text", "text", "text"], key: nil)

    func upsertFindings(_ findings: [Finding]) throws {
        let rows = Self.lastOfEachKey(findings) { FindingKey(check: $0.checkId, item: $0.item) }
        try Self.batched(rows) { batch in
            try query(Self.findingUpsert, [.texts(batch.map(\.checkId.rawValue)), .texts(batch.map(\.item.rawValue)),
                                           .texts(batch.map(\.outcome.rawValue)), .reals(batch.map(\.penalty)),
                                           .texts(batch.map(\.note))])
        }
    }

    func upsertDisposals(_ disposals: [Disposal]) throws {
        let rows = Self.lastOfEachKey(disposals) { FindingKey(check: $0.checkId, item: $0.item) }
        try Self.batched(rows) { batch in
            try query(Self.disposalUpsert, [.texts(batch.map(\.checkId.rawValue)), .texts(batch.map(\.item.rawValue)),
                                            .texts(batch.map(\.action)), .texts(batch.map(\.openedOn.description)),
                                            .texts(batch.map { $0.closedOn?.description ?? "" })])
        }
    }

    func insertPublications(_ publications: [Publication]) throws {
        try Self.batched(publications) { batch in
            try query(Self.publicationInsert, [.texts(batch.map(\.checkId.rawValue)),
                                               .texts(batch.map(\.publishedOn.description)),
                                               .texts(batch.map(\.deadline.description))])
        }
    }

    func deleteDepartmentGrades(period: Period) throws {
        try query("DELETE FROM department_grades WHERE period = $1", [.text(period.description)])
    }

    func insertDepartmentGrades(_ grades: [DepartmentGrade]) throws {
        if try bulkLoadGrades(grades) { return }
        try Self.batched(grades) { batch in
            // A probability is sent as its shortest exact text ("" for none), which float8 reads back exactly.
            // In the entity's jurisdiction; an unknown entity's grade is refused by the foreign key.
            try query("""
                INSERT INTO department_grades(period, department, entity, probability, scored_grade, grade, jurisdiction)
                SELECT k.period, k.department, k.entity, NULLIF(k.probability, '')::float8, k.scored_grade, k.grade,
                       COALESCE(c.jurisdiction, '')
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                     AS k(period, department, entity, probability, scored_grade, grade)
                LEFT JOIN entity_codes c ON c.credit_code = k.entity
                """, [.texts(batch.map(\.period.description)), .texts(batch.map(\.department.rawValue)),
                      .texts(batch.map(\.entity.rawValue)), .texts(batch.map { $0.probability.map { "\($0)" } ?? "" }),
                      .texts(batch.map(\.scoredGrade.label)), .texts(batch.map(\.grade.label))])
        }
    }

    @discardableResult
    func appendAudit(_ entry: AuditEntry) throws -> Int64 {
        // The next number after the last committed: the log has no gaps, and two writers appending at once collide
        // on the key, which the store retries (see `PostgresStore.isTransient`).
        let row = try query("""
            INSERT INTO audit_log(seq, at, action, scenario, period, detail, "user")
            SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4, $5, $6 FROM audit_log RETURNING seq
            """, [.text(entry.at), .text(entry.action.rawValue), .text(entry.scenario), .text(entry.period),
                  .text(entry.detail), .text(entry.user)])
        return Int64(try row[0].int(0))
    }
}
