import Foundation
import PostgresNIO
@testable import Registry
import Supervision
import Synchronization
import Testing
import TestSupport

/// Schema versions 8 to 10 on PostgreSQL (`PostgresStore.schemaPartitions` and after): entities, directory
/// memberships, entity features, grades, the roster and the quotas list-partitioned by jurisdiction, a credit
/// code unique across them through `entity_codes`, an inspector id through `inspector_codes`.
@Suite("PostgreSQL partitions by jurisdiction", .enabled(if: TestPostgres.enabled))
struct PostgresPartitionTests {
    static let departments: [DepartmentCode] = ["MKT", "FIRE"]

    static func upsert(_ code: CreditCode, _ jurisdiction: JurisdictionCode?, _ members: [DepartmentCode]?,
                       features: String? = nil) -> EntityUpsert {
        EntityUpsert(entity: Entity(creditCode: code, name: "Shop \(code.rawValue.suffix(6))", scenario: "REST",
                                    creditGrade: .b, jurisdiction: jurisdiction),
                     writesLegalRepresentative: false, departments: members, featureValues: features)
    }

    static func catalogue(_ tx: some RegistryWriter) throws {
        for d in departments { try tx.upsertDepartment(code: d, name: d.rawValue, riskHead: nil) }
        try tx.upsertScenario(code: "REST", name: "Restaurants", lead: "MKT", partners: [])
    }

    /// Each table's rows by the partition that holds them: `[table partition, jurisdiction, entity]`.
    static func placement(_ workspace: Workspace) throws -> [[String]] {
        try Engine.postgres.rows(workspace, """
            SELECT tableoid::regclass::text, jurisdiction, credit_code FROM entities
            UNION ALL SELECT tableoid::regclass::text, jurisdiction, entity FROM directory_memberships
            UNION ALL SELECT tableoid::regclass::text, jurisdiction, entity FROM entity_features
            ORDER BY 1, 3
            """)
    }

    /// The partitions of each partitioned table and the values they hold, as the catalogue says.
    static let partitions = """
        SELECT c.relname::text, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = ANY($1::text[]::regclass[]) ORDER BY 1
        """

    @Test func rowsLiveInTheirJurisdictionsPartitionsAndMoveWithTheEntity() throws {
        let dir = try TemporaryDirectory("partitions")
        defer { dir.remove() }
        let workspace = try Engine.postgres.createWorkspace(in: dir)
        var rng = SeededGenerator(seed: 8)
        let codes = try (0..<3).map { _ in try CreditCode(validating: Fixtures.creditCode(&rng)) }
        let tables = "{entities,directory_memberships,entity_features,department_grades}"
        // A new workspace has the implicit jurisdiction's partitions only.
        #expect(try Engine.postgres.rows(workspace, Self.partitions, [tables]) == [
            ["department_grades_j1", "FOR VALUES IN ('')"],
            ["directory_memberships_j1", "FOR VALUES IN ('')"], ["entities_j1", "FOR VALUES IN ('')"],
            ["entity_features_j1", "FOR VALUES IN ('')"],
        ])
        try workspace.store.write { tx in
            try Self.catalogue(tx)
            try tx.upsertEntities([Self.upsert(codes[0], "J02", ["MKT", "FIRE"], features: "1"),
                                   Self.upsert(codes[1], nil, ["FIRE"], features: "2"),
                                   Self.upsert(codes[2], "J01", ["MKT"])])
            // Grades written in bulk (several) and one by one, each in its entity's jurisdiction.
            try tx.insertDepartmentGrades([Self.grade(codes[0], "2026Q1"), Self.grade(codes[1], "2026Q1")])
            try tx.insertDepartmentGrades([Self.grade(codes[2], "2026Q1")])
        }
        // Partitions numbered in the order of the codes first seen together (sorted), each with its value.
        #expect(try Engine.postgres.rows(workspace, "SELECT jurisdiction, number FROM jurisdiction_partitions ORDER BY 2")
                    == [["", "1"], ["J01", "2"], ["J02", "3"]])
        #expect(try Engine.postgres.rows(workspace, Self.partitions, [tables]).count == 12)
        #expect(try Engine.postgres.rows(workspace, Self.partitions, [tables])
                    .contains(["entities_j3", "FOR VALUES IN ('J02')"]))
        let (a, b, c) = (codes[0].rawValue, codes[1].rawValue, codes[2].rawValue)
        #expect(try Self.placement(workspace) == [
            ["directory_memberships_j1", "", b], ["directory_memberships_j2", "J01", c],
            ["directory_memberships_j3", "J02", a], ["directory_memberships_j3", "J02", a],
            ["entities_j1", "", b], ["entities_j2", "J01", c], ["entities_j3", "J02", a],
            ["entity_features_j1", "", b], ["entity_features_j3", "J02", a],
        ])
        #expect(try Self.gradePlacement(workspace) == [
            ["department_grades_j1", "", b], ["department_grades_j2", "J01", c], ["department_grades_j3", "J02", a],
        ])
        // One jurisdiction's directory is read from its partitions alone.
        let plan = try Engine.postgres.rows(workspace, "EXPLAIN SELECT credit_code FROM entities WHERE jurisdiction = 'J02'")
            .map { $0.joined() }.joined(separator: "\n")
        #expect(plan.contains("entities_j3") && !plan.contains("entities_j1") && !plan.contains("entities_j2"))

        // Moving an entity to another jurisdiction (a new one) moves its memberships and features, keeping them;
        // the code stays one entity.
        try workspace.store.write { tx in
            try tx.upsertEntities([Self.upsert(codes[0], "J03", nil)])
        }
        #expect(try Self.placement(workspace) == [
            ["directory_memberships_j1", "", b], ["directory_memberships_j2", "J01", c],
            ["directory_memberships_j4", "J03", a], ["directory_memberships_j4", "J03", a],
            ["entities_j1", "", b], ["entities_j2", "J01", c], ["entities_j4", "J03", a],
            ["entity_features_j1", "", b], ["entity_features_j4", "J03", a],
        ])
        #expect(try Self.gradePlacement(workspace) == [
            ["department_grades_j1", "", b], ["department_grades_j2", "J01", c], ["department_grades_j4", "J03", a],
        ])
        #expect(try Engine.postgres.rows(workspace, "SELECT COUNT(*), COUNT(DISTINCT credit_code) FROM entity_codes")
                    == [["3", "3"]])
        #expect(try Engine.postgres.rows(workspace, "SELECT jurisdiction FROM entity_codes WHERE credit_code = $1", [a])
                    == [["J03"]])
        // A membership added later lands in its entity's jurisdiction; one of no entity is refused.
        try workspace.store.write { tx in
            try tx.addMemberships([DirectoryMembership(department: "FIRE", entity: EntityID(codes[2].rawValue))])
        }
        #expect(try Engine.postgres.rows(workspace, """
            SELECT tableoid::regclass::text FROM directory_memberships WHERE entity = $1 ORDER BY 1
            """, [c]) == [["directory_memberships_j2"], ["directory_memberships_j2"]])
        let stranger = try CreditCode(validating: Fixtures.creditCode(&rng))
        #expect(throws: (any Error).self) {
            try workspace.store.write { tx in
                try tx.addMemberships([DirectoryMembership(department: "FIRE", entity: EntityID(stranger.rawValue))])
            }
        }
        // So is a grade of no entity, in bulk or alone.
        for grades in [[Self.grade(stranger, "2026Q2"), Self.grade(codes[1], "2026Q2")], [Self.grade(stranger, "2026Q2")]] {
            #expect(throws: (any Error).self) { try workspace.store.write { tx in try tx.insertDepartmentGrades(grades) } }
        }
        #expect(try Engine.postgres.count(workspace, "department_grades") == 3)
    }

    static func grade(_ code: CreditCode, _ period: String) -> DepartmentGrade {
        DepartmentGrade(period: Period(period)!, department: "MKT", entity: code, probability: 0.25, scoredGrade: .b, grade: .b)
    }

    /// Each grade by the partition that holds it: `[partition, jurisdiction, entity]`.
    static func gradePlacement(_ workspace: Workspace) throws -> [[String]] {
        try Engine.postgres.rows(workspace, "SELECT tableoid::regclass::text, jurisdiction, entity FROM department_grades ORDER BY 1, 3")
    }

    /// The partitions' DDL is made inside the server from numbers and a quoted literal: a code that reads as SQL
    /// is a value, nothing else.
    @Test func aPartitionsValueIsNeverSQL() throws {
        let dir = try TemporaryDirectory("partition-literal")
        defer { dir.remove() }
        let workspace = try Engine.postgres.createWorkspace(in: dir)
        let hostile = "x'); DROP TABLE entities; --"
        _ = try Engine.postgres.rows(workspace, "SELECT onecheck_jurisdiction_partitions(ARRAY[$1])", [hostile])
        #expect(try Engine.postgres.rows(workspace, Self.partitions, ["{entities}"])
                    == [["entities_j1", "FOR VALUES IN ('')"], ["entities_j2", "FOR VALUES IN ('x''); DROP TABLE entities; --')"]])
        #expect(try Engine.postgres.count(workspace, "entities") == 0)
    }

    /// Writers that each bring a new jurisdiction at once all succeed (a collision on the partition number is
    /// retried), each jurisdiction with its own partitions.
    @Test func concurrentNewJurisdictionsEachGetTheirPartitions() throws {
        let dir = try TemporaryDirectory("partition-race")
        defer { dir.remove() }
        let workspace = try Engine.postgres.createWorkspace(in: dir)
        try workspace.store.write { tx in try Self.catalogue(tx) }
        var rng = SeededGenerator(seed: 81)
        let writers = 4
        let codes = try (0..<writers).map { _ in try CreditCode(validating: Fixtures.creditCode(&rng)) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { index in
            do {
                let mine = try Engine.postgres.reopen(workspace)
                try mine.store.write { tx in
                    try tx.upsertEntities([Self.upsert(codes[index], JurisdictionCode("K\(index)"), ["MKT"])])
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(try Engine.postgres.rows(workspace, "SELECT jurisdiction FROM jurisdiction_partitions ORDER BY 1")
                    == [[""], ["K0"], ["K1"], ["K2"], ["K3"]])
        #expect(try Engine.postgres.rows(workspace, "SELECT number FROM jurisdiction_partitions ORDER BY 1")
                    == (1...5).map { ["\($0)"] })
        #expect(try Engine.postgres.rows(workspace, """
            SELECT count(*) FROM entities e WHERE e.tableoid::regclass::text = 'entities_j' || (
                SELECT number FROM jurisdiction_partitions p WHERE p.jurisdiction = e.jurisdiction)
            """) == [["\(writers)"]])
    }

    /// A new jurisdiction's partitions are attached, not created under the parent: a reader of the entities does
    /// not wait for the import that brought the jurisdiction to commit.
    @Test func readersDoNotWaitForANewJurisdiction() throws {
        let dir = try TemporaryDirectory("partition-readers")
        defer { dir.remove() }
        let workspace = try Engine.postgres.createWorkspace(in: dir)
        var rng = SeededGenerator(seed: 9)
        let (stored, new) = (try CreditCode(validating: Fixtures.creditCode(&rng)),
                             try CreditCode(validating: Fixtures.creditCode(&rng)))
        try workspace.store.write { tx in
            try Self.catalogue(tx)
            try tx.upsertEntities([Self.upsert(stored, nil, ["MKT"])])
        }
        let reader = try Engine.postgres.reopen(workspace, access: .readOnly)
        let done = DispatchSemaphore(value: 0)
        let seen = Mutex<[String]>([])
        try workspace.store.write { tx in
            try tx.upsertEntities([Self.upsert(new, "J09", ["FIRE"])])
            // A thread of its own (not a shared queue's, which the rest of the suite may keep busy).
            Thread {
                let names = try? reader.store.read { tx in [try tx.entity(stored)?.name, try tx.entity(new)?.name] }
                seen.withLock { $0 = (names ?? []).map { $0 ?? "none" } }
                done.signal()
            }.start()
            // The writer holds its transaction open meanwhile: a reader blocked by it would never finish here. The
            // bound is generous for a loaded machine (a connection and two lookups take milliseconds when idle);
            // the reader's "none" below shows it read before this transaction committed.
            #expect(done.wait(timeout: .now() + 120) == .success)
        }
        if seen.withLock({ $0.isEmpty }) { done.wait() }
        #expect(seen.withLock { $0 } == ["Shop \(stored.rawValue.suffix(6))", "none"])
    }

    static func inspector(_ id: String, _ jurisdiction: JurisdictionCode?) -> Inspector {
        Inspector(id: InspectorID(id), department: "MKT", capPerPeriod: 10, jurisdiction: jurisdiction)
    }

    /// Schema version 10: an inspector lives in its roster's partition and moves with it; the directory's
    /// inspectors table (no jurisdiction) keeps a stored inspector's; quotas live in their jurisdiction's.
    @Test func rosterAndQuotasLiveInTheirJurisdictionsPartitions() throws {
        let dir = try TemporaryDirectory("partition-roster")
        defer { dir.remove() }
        let workspace = try Engine.postgres.createWorkspace(in: dir)
        func placement() throws -> [[String]] {
            try Engine.postgres.rows(workspace, """
                SELECT tableoid::regclass::text, jurisdiction, id FROM inspectors
                UNION ALL SELECT tableoid::regclass::text, jurisdiction, department || grade FROM stratum_quotas
                UNION ALL SELECT 'codes', jurisdiction, id FROM inspector_codes
                ORDER BY 1, 3
                """)
        }
        try workspace.store.write { tx in
            try Self.catalogue(tx)
            // J03 has a roster and quotas before any entity: its partitions are made for them.
            try tx.upsertInspectors([Self.inspector("a", "J03"), Self.inspector("b", nil), Self.inspector("c", "J03")],
                                    roster: true)
            try tx.upsertQuotas([Quota(department: "MKT", grade: .a, size: .census, jurisdiction: "J03"),
                                 Quota(department: "FIRE", grade: .d, size: .ratio(0.5))])
        }
        #expect(try placement() == [
            ["codes", "J03", "a"], ["codes", "", "b"], ["codes", "J03", "c"],
            ["inspectors_j1", "", "b"], ["inspectors_j2", "J03", "a"], ["inspectors_j2", "J03", "c"],
            ["stratum_quotas_j1", "", "FIRED"], ["stratum_quotas_j2", "J03", "MKTA"],
        ])
        try workspace.store.write { tx in
            // "a" moves to J04's roster; "c" is renamed through the directory's table, keeping J03.
            try tx.upsertInspectors([Self.inspector("a", "J04")], roster: true)
            try tx.upsertInspector(Inspector(id: "c", name: "Chen", department: "FIRE", capPerPeriod: nil), roster: false)
            try tx.upsertInspector(Inspector(id: "d", department: "FIRE", capPerPeriod: nil), roster: false)
        }
        #expect(try placement() == [
            ["codes", "J04", "a"], ["codes", "", "b"], ["codes", "J03", "c"], ["codes", "", "d"],
            ["inspectors_j1", "", "b"], ["inspectors_j1", "", "d"], ["inspectors_j2", "J03", "c"],
            ["inspectors_j3", "J04", "a"],
            ["stratum_quotas_j1", "", "FIRED"], ["stratum_quotas_j2", "J03", "MKTA"],
        ])
        let stored = try workspace.store.read { tx in (try tx.inspectors(), try tx.inspectors(of: .jurisdiction("J03"))) }
        #expect(stored.0.map(\.id) == ["a", "b", "c", "d"] && stored.0.map(\.jurisdiction) == ["J04", nil, "J03", nil])
        #expect(stored.1.map(\.id) == ["c"] && stored.1[0].name == "Chen" && stored.1[0].capPerPeriod == 10)
        #expect(try workspace.store.read { try $0.quotas(of: .jurisdiction("J03")) }
                    == [Quota(department: "MKT", grade: .a, size: .census, jurisdiction: "J03")])
    }

    /// `plan --workspace W --jurisdiction J` reads J's partitions and no other: while another jurisdiction's
    /// entity partition is locked (an ALTER, a VACUUM FULL, an import's new partition), J's planning inputs are read
    /// without waiting, and the whole workspace's are not.
    @Test func oneJurisdictionsPlanningInputsTouchNoOtherPartition() throws {
        let dir = try TemporaryDirectory("partition-planning")
        defer { dir.remove() }
        let workspace = try Engine.postgres.createWorkspace(in: dir)
        var rng = SeededGenerator(seed: 13)
        let (a, b) = (try CreditCode(validating: Fixtures.creditCode(&rng)), try CreditCode(validating: Fixtures.creditCode(&rng)))
        let period = Period(year: 2026, quarter: 2)!
        try workspace.store.write { tx in
            try Self.catalogue(tx)
            try tx.upsertEntities([Self.upsert(a, "J01", ["MKT"]), Self.upsert(b, "J02", ["MKT"])])
            try tx.insertDepartmentGrades([a, b].map {
                DepartmentGrade(period: period, department: "MKT", entity: $0, probability: 0.5, scoredGrade: .b, grade: .b)
            })
            try tx.upsertInspectors([Self.inspector("m1", "J01"), Self.inspector("m2", "J02")], roster: true)
            try tx.upsertQuotas([Quota(department: "MKT", grade: .b, size: .ratio(0.1), jurisdiction: "J01"),
                                 Quota(department: "MKT", grade: .b, size: .count(1), jurisdiction: "J02")])
        }
        let reader = try Engine.postgres.reopen(workspace, access: .readOnly)
        // Each read on a thread of its own: its entities, then its grades' positions; empty when it failed.
        final class Read: Sendable {
            let seen = Mutex<[String]?>(nil)
            let done = DispatchSemaphore(value: 0)
        }
        func read(_ selection: EntitySelection) -> Read {
            let outcome = Read()
            Thread {
                let inputs = try? reader.planningInputs(for: period, of: selection)
                outcome.seen.withLock {
                    $0 = inputs.map {
                        $0.entities.map(\.rawValue) + $0.grades.flatMap { $0.entities.map(String.init) }
                            + $0.roster.map(\.id.rawValue) + $0.quotas.map { "\($0.size)" }
                    } ?? []
                }
                outcome.done.signal()
            }.start()
            return outcome
        }
        var mine: Read?, whole: Read?
        try workspace.store.write { tx in
            // J01 is numbered 2 ('' is 1): its partitions are entities_j2, department_grades_j2, inspectors_j2 …
            _ = try #require(tx as? PostgresTransaction).query("""
                LOCK TABLE entities_j2, department_grades_j2, inspectors_j2, stratum_quotas_j2 IN ACCESS EXCLUSIVE MODE
                """)
            (mine, whole) = (read(.jurisdiction("J02")), read(.all))
            #expect(mine!.done.wait(timeout: .now() + 120) == .success)
            // The whole workspace's read waits for the lock: what J02's would do if it touched J01's partition.
            #expect(whole!.done.wait(timeout: .now() + 2) == .timedOut)
        }
        let (j02, all) = (try #require(mine), try #require(whole))
        if j02.seen.withLock({ $0 == nil }) { j02.done.wait() }
        #expect(j02.seen.withLock { $0 } == [b.rawValue, "0", "m2", "\(SampleSize.count(1))"])
        #expect(all.done.wait(timeout: .now() + 120) == .success)
        #expect(all.seen.withLock { $0 } == [a.rawValue, b.rawValue].sorted() + ["0", "1", "m1", "m2"]
                    + ["\(SampleSize.ratio(0.1))", "\(SampleSize.count(1))"])
    }

    /// A version-7 database keeps its rows through versions 8 to 10, each in its jurisdiction's partition, grades,
    /// roster and quotas included, and the keys that referenced `entities` reference `entity_codes`.
    @Test func versionSevenMigratesWithItsRows() throws {
        let url = try TestPostgres.newDatabase()
        let session = try PostgresSession.connect(try PostgresLocation(url))
        var rng = SeededGenerator(seed: 87)
        let codes = try (0..<3).map { _ in try CreditCode(validating: Fixtures.creditCode(&rng)).rawValue }
        do {
            defer { session.close() }
            for statement in PostgresStore.statements(PostgresStore.markerDDL) { try session.query(statement) }
            for migration in PostgresStore.migrations where migration.version <= 7 {
                for statement in PostgresStore.statements(migration.sql) { try session.query(statement) }
            }
            try session.query("UPDATE onecheck_schema SET version = 7")
            try session.query("""
                INSERT INTO departments(code, name) VALUES ('MKT', 'Market'), ('FIRE', 'Fire')
                """)
            try session.query("INSERT INTO scenarios(code, name, lead_department) VALUES ('REST', 'Restaurants', 'MKT')")
            try session.query("INSERT INTO plans(id, scenario, period, seed) VALUES ('P1', 'REST', '2026Q1', 's')")
            try session.query("""
                INSERT INTO entities(credit_code, name, scenario, credit_grade, jurisdiction)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                """, [.texts(codes), .texts(["a", "b", "c"]), .texts(["REST", "REST", "REST"]), .texts(["A", "B", "C"]),
                      .texts(["J01", "", "J01"])])
            try session.query("""
                INSERT INTO directory_memberships(department, entity) SELECT * FROM unnest($1::text[], $2::text[])
                """, [.texts(["MKT", "FIRE", "MKT"]), .texts([codes[0], codes[0], codes[1]])])
            try session.query("INSERT INTO entity_features(entity, feature_values) VALUES ($1, '1,2')", [.text(codes[2])])
            try session.query("""
                INSERT INTO inspectors(id, name, department, cap_per_period, jurisdiction)
                VALUES ('i1', 'Li', 'MKT', 5, 'J01'), ('i2', 'Wang', 'FIRE', NULL, 'J05')
                """)
            try session.query("""
                INSERT INTO stratum_quotas(jurisdiction, department, grade, ratio, count, certain)
                VALUES ('J05', 'MKT', 'A', 0.1, NULL, 0), ('', 'FIRE', 'D', NULL, 3, 0)
                """)
            try session.query("""
                INSERT INTO department_grades(period, department, entity, probability, scored_grade, grade)
                VALUES ('2026Q1', 'MKT', $1, 0.25, 'B', 'B'), ('2026Q1', 'MKT', $2, 0.5, 'C', 'D')
                """, [.text(codes[1]), .text(codes[2])])
        }
        let workspace = try Workspace.open(at: url)
        #expect(try workspace.storedSchemaVersion() == Workspace.schemaVersion && Workspace.schemaVersion == 12)
        #expect(try Self.placement(workspace) == [
            ["directory_memberships_j1", "", codes[1]], ["directory_memberships_j2", "J01", codes[0]],
            ["directory_memberships_j2", "J01", codes[0]],
            ["entities_j1", "", codes[1]], ["entities_j2", "J01", codes[0]], ["entities_j2", "J01", codes[2]],
            ["entity_features_j2", "J01", codes[2]],
        ])
        #expect(try Engine.postgres.rows(workspace, "SELECT name, credit_grade FROM entities ORDER BY credit_code")
                    == zip(codes, [["a", "A"], ["b", "B"], ["c", "C"]]).sorted { $0.0 < $1.0 }.map(\.1))
        #expect(try Engine.postgres.rows(workspace, """
            SELECT conname::text, confrelid::regclass::text FROM pg_constraint
            WHERE contype = 'f' AND conrelid IN ('check_codes'::regclass, 'department_grades'::regclass)
              AND conname LIKE '%entity%' ORDER BY 1
            """) == [["check_codes_entity_fkey", "entity_codes"], ["department_grades_entity_fkey", "entity_codes"]])
        #expect(try Self.gradePlacement(workspace)
                    == [["department_grades_j1", "", codes[1]], ["department_grades_j2", "J01", codes[2]]])
        #expect(try Engine.postgres.rows(workspace, """
            SELECT entity, probability::text, scored_grade, grade FROM department_grades ORDER BY entity
            """) == [[codes[1], "0.25", "B", "B"], [codes[2], "0.5", "C", "D"]].sorted { $0[0] < $1[0] })
        // Version 10: the roster and quotas in their jurisdictions' partitions; J05, which had only an inspector
        // and a quota, numbered after the entities' jurisdictions.
        #expect(try Engine.postgres.rows(workspace, """
            SELECT tableoid::regclass::text, id, name, department, coalesce(cap_per_period::text, '-') FROM inspectors
            UNION ALL SELECT tableoid::regclass::text, department, grade, coalesce(ratio::text, '-'), coalesce(count::text, '-')
            FROM stratum_quotas ORDER BY 1, 2
            """) == [["inspectors_j2", "i1", "Li", "MKT", "5"], ["inspectors_j3", "i2", "Wang", "FIRE", "-"],
                     ["stratum_quotas_j1", "FIRE", "D", "-", "3"], ["stratum_quotas_j3", "MKT", "A", "0.1", "-"]])
        #expect(try Engine.postgres.rows(workspace, "SELECT jurisdiction, number::text FROM jurisdiction_partitions ORDER BY 2")
                    == [["", "1"], ["J01", "2"], ["J05", "3"]])
        #expect(try Engine.postgres.rows(workspace, "SELECT id, jurisdiction FROM inspector_codes ORDER BY 1")
                    == [["i1", "J01"], ["i2", "J05"]])
        // Version 11: the plan kept, of no jurisdiction; a scenario's plan is unique per period and jurisdiction.
        #expect(try Engine.postgres.rows(workspace, "SELECT id, scenario, period, seed, jurisdiction FROM plans")
                    == [["P1", "REST", "2026Q1", "s", ""]])
        #expect(try Engine.postgres.rows(workspace, """
            SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = 'plans'::regclass AND contype = 'u'
            """) == [["plans_jurisdiction_scenario_period_key", "UNIQUE (jurisdiction, scenario, period)"]])
    }
}
