import Foundation
import PostgresNIO
@testable import Registry
import Supervision
import Testing
import TestSupport

/// Schema version 12 on PostgreSQL (`PostgresStore.schemaCyclePartitions`): the cycle's tables partitioned by the
/// jurisdiction of each check's entity, a check id unique across them through `check_codes`.
@Suite("PostgreSQL partitions of the supervision cycle", .enabled(if: TestPostgres.enabled))
struct PostgresCyclePartitionTests {
    typealias Partitions = PostgresPartitionTests

    /// The tables keyed by a check, in the order `placement` lists them.
    static let tables = ["checks", "findings", "disposals", "publications", "penalty_decisions", "credit_repairs"]

    /// Each row of the cycle's tables by the partition that holds it: `[partition, jurisdiction, check id]`.
    static func placement(_ workspace: Workspace) throws -> [[String]] {
        try Engine.postgres.rows(workspace, """
            SELECT tableoid::regclass::text, jurisdiction, id FROM checks
            UNION ALL SELECT tableoid::regclass::text, jurisdiction, check_id FROM findings
            UNION ALL SELECT tableoid::regclass::text, jurisdiction, check_id FROM disposals
            UNION ALL SELECT tableoid::regclass::text, jurisdiction, check_id FROM publications
            UNION ALL SELECT tableoid::regclass::text, jurisdiction, check_id FROM penalty_decisions
            UNION ALL SELECT tableoid::regclass::text, jurisdiction, check_id FROM credit_repairs
            ORDER BY 1, 3
            """)
    }

    /// `[partition, jurisdiction, check]` of one check's row in every table, `n` its jurisdiction's number.
    static func rows(of check: String, _ jurisdiction: String, _ n: Int) -> [[String]] {
        tables.map { ["\($0)_j\(n)", jurisdiction, check] }
    }

    /// One check of each of two entities (J01 and J02), under a plan of the whole workspace, with a finding, a
    /// disposal, a publication, a penalty decision and a repair each.
    static func cycle(_ workspace: Workspace, _ codes: [CreditCode]) throws {
        try workspace.store.write { tx in
            try Partitions.catalogue(tx)
            try tx.upsertItem(Item(code: "M1", department: "MKT", scenario: "REST", element: .rules, measure: .documents))
            try tx.upsertEntities([Partitions.upsert(codes[0], "J01", ["MKT"]), Partitions.upsert(codes[1], "J02", ["MKT"])])
            try tx.insertDraw(ScenarioPlan(id: "P1", scenario: "REST", period: quarter("2026Q1"), seed: "s"),
                              checks: codes.map { Check(id: CheckID("C-\($0.rawValue)"), plan: "P1", entity: $0,
                                                        department: "MKT", inclusionProbability: 0.5,
                                                        checkedOn: day("2026-02-02")) })
            let ids = codes.map { CheckID("C-\($0.rawValue)") }
            try tx.upsertFindings(ids.map { Finding(checkId: $0, item: "M1", outcome: .serious, penalty: 100) })
            try tx.upsertDisposals(ids.map { Disposal(checkId: $0, item: "M1", action: "fine", openedOn: day("2026-02-03")) })
            try tx.insertPublications(ids.map { Publication(checkId: $0, publishedOn: day("2026-02-10"),
                                                            deadline: day("2026-02-23")) })
            try tx.upsertPenaltyDecisions(ids.map { PenaltyDecision(checkId: $0, item: "M1", severity: .general,
                                                                    decidedOn: day("2026-02-04")) })
            try tx.upsertCreditRepairs(ids.map { CreditRepair(checkId: $0, item: "M1", repairedOn: day("2026-06-01"),
                                                              decidedBy: "Bureau", reason: "rectified") })
        }
    }

    @Test func theCycleLivesInItsEntitysJurisdictionAndMovesWithIt() throws {
        let dir = try TemporaryDirectory("cycle-partitions")
        defer { dir.remove() }
        let workspace = try Engine.postgres.createWorkspace(in: dir)
        var rng = SeededGenerator(seed: 12)
        let codes = try (0..<2).map { _ in try CreditCode(validating: Fixtures.creditCode(&rng)) }.sorted()
        let (a, b) = ("C-\(codes[0].rawValue)", "C-\(codes[1].rawValue)")
        try Self.cycle(workspace, codes)
        // '' is 1, J01 2, J02 3: each check and what was recorded about it in its entity's jurisdiction.
        #expect(try Self.placement(workspace) == (Self.rows(of: a, "J01", 2) + Self.rows(of: b, "J02", 3)).sorted {
            ($0[0], $0[2]) < ($1[0], $1[2])
        })
        #expect(try Engine.postgres.rows(workspace, "SELECT id, entity, jurisdiction FROM check_codes ORDER BY 1")
                    == [[a, codes[0].rawValue, "J01"], [b, codes[1].rawValue, "J02"]])
        // One jurisdiction's findings are read from its partition alone.
        let plan = try Engine.postgres.rows(workspace, "EXPLAIN SELECT * FROM findings WHERE jurisdiction = 'J02'")
            .map { $0.joined() }.joined(separator: "\n")
        #expect(plan.contains("findings_j3") && !plan.contains("findings_j1") && !plan.contains("findings_j2"))
        // The readers find every row, each in its partition.
        let read = try workspace.store.read { tx throws in
            (checks: try tx.checks([CheckID(a), CheckID(b)]).count,
             findings: try tx.findings([FindingKey(check: CheckID(b), item: "M1")]).count,
             penalties: try tx.findings(ofCheck: CheckID(a)).map(\.penalty),
             actions: try tx.disposals(ofCheck: CheckID(b)).map(\.action),
             severities: try tx.penaltyRecords(PenaltyRecordSelection()).map { $0.decision?.severity },
             serious: try tx.checkFacts(CheckSelection(outcomes: true)).map { $0.outcomes?.findings.serious })
        }
        #expect(read.checks == 2 && read.findings == 1 && read.penalties == [100] && read.actions == ["fine"])
        #expect(read.severities == [.general, .general] && read.serious == [1, 1])

        // Moving entity a to J03 moves its check and everything recorded about it; the reads follow.
        try workspace.store.write { tx in try tx.upsertEntities([Partitions.upsert(codes[0], "J03", nil)]) }
        #expect(try Self.placement(workspace) == (Self.rows(of: a, "J03", 4) + Self.rows(of: b, "J02", 3)).sorted {
            ($0[0], $0[2]) < ($1[0], $1[2])
        })
        let moved = try workspace.store.read { tx throws in
            (try tx.findings(ofCheck: CheckID(a)).count, try tx.penaltyRecords(PenaltyRecordSelection()).map(\.repair?.reason))
        }
        #expect(moved.0 == 1 && moved.1 == ["rectified", "rectified"])

        // A finding of no check is refused; a check id is one check across jurisdictions.
        #expect(throws: (any Error).self) {
            try workspace.store.write { tx in try tx.upsertFindings([Finding(checkId: "C-none", item: "M1", outcome: .minor)]) }
        }
        #expect(throws: (any Error).self) {
            try workspace.store.write { tx in
                try tx.insertDraw(ScenarioPlan(id: "P2", scenario: "REST", period: quarter("2026Q2"), seed: "t"),
                                  checks: [Check(id: CheckID(a), plan: "P2", entity: codes[1], department: "MKT",
                                                 inclusionProbability: 0.5, checkedOn: day("2026-05-05"))])
            }
        }
        #expect(try Engine.postgres.count(workspace, "checks") == 2 && Engine.postgres.count(workspace, "plans") == 1)
    }

    /// A version-11 database keeps its cycle through version 12, each row in its entity's jurisdiction's partition.
    @Test func versionElevenMigratesItsCycle() throws {
        let dir = try TemporaryDirectory("cycle-migration")
        defer { dir.remove() }
        var rng = SeededGenerator(seed: 112)
        let codes = try (0..<2).map { _ in try CreditCode(validating: Fixtures.creditCode(&rng)) }.sorted()
        // The same cycle written at version 12, as the reference of what version 11's rows must become.
        let reference = try Engine.postgres.createWorkspace(in: dir, name: "reference")
        try Self.cycle(reference, codes)
        let url = try TestPostgres.newDatabase()
        let session = try PostgresSession.connect(try PostgresLocation(url))
        do {
            defer { session.close() }
            for statement in PostgresStore.statements(PostgresStore.markerDDL) { try session.query(statement) }
            // One transaction, as the store runs a migration: versions 8 to 10 keep their rows in temporary tables
            // dropped at the commit.
            try session.query("BEGIN")
            for migration in PostgresStore.migrations where migration.version <= 11 {
                for statement in PostgresStore.statements(migration.sql) { try session.query(statement) }
            }
            try session.query("COMMIT")
            try session.query("UPDATE onecheck_schema SET version = 11")
            // Version 11's rows, as a version-11 build wrote them (the cycle's tables without a jurisdiction).
            let (a, b) = (codes[0].rawValue, codes[1].rawValue)
            for statement in [
                "SELECT onecheck_jurisdiction_partitions(ARRAY['J01', 'J02'])",
                "INSERT INTO departments(code, name) VALUES ('MKT', 'MKT'), ('FIRE', 'FIRE')",
                "INSERT INTO scenarios(code, name, lead_department) VALUES ('REST', 'Restaurants', 'MKT')",
                "INSERT INTO items(code, department, scenario, name, element, measure) "
                    + "VALUES ('M1', 'MKT', 'REST', '', 'rules', 'documents')",
                "INSERT INTO entity_codes(credit_code, jurisdiction) VALUES ('\(a)', 'J01'), ('\(b)', 'J02')",
                "INSERT INTO entities(credit_code, name, scenario, credit_grade, jurisdiction) "
                    + "VALUES ('\(a)', 'x', 'REST', 'B', 'J01'), ('\(b)', 'y', 'REST', 'B', 'J02')",
                "INSERT INTO plans(id, scenario, period, seed) VALUES ('P1', 'REST', '2026Q1', 's')",
                "INSERT INTO checks(id, plan, period, entity, department, inclusion_probability, checked_on) "
                    + "VALUES ('C-\(a)', 'P1', '2026Q1', '\(a)', 'MKT', 0.5, '2026-02-02'), "
                    + "('C-\(b)', 'P1', '2026Q1', '\(b)', 'MKT', 0.5, '2026-02-02')",
                "INSERT INTO findings(check_id, item, outcome, penalty) "
                    + "VALUES ('C-\(a)', 'M1', 'serious', 100), ('C-\(b)', 'M1', 'serious', 100)",
                "INSERT INTO disposals(check_id, item, action, opened_on) "
                    + "VALUES ('C-\(a)', 'M1', 'fine', '2026-02-03'), ('C-\(b)', 'M1', 'fine', '2026-02-03')",
                "INSERT INTO publications(check_id, published_on, deadline) "
                    + "VALUES ('C-\(a)', '2026-02-10', '2026-02-23'), ('C-\(b)', '2026-02-10', '2026-02-23')",
                "INSERT INTO penalty_decisions(check_id, item, severity, decided_on) "
                    + "VALUES ('C-\(a)', 'M1', 'general', '2026-02-04'), ('C-\(b)', 'M1', 'general', '2026-02-04')",
                "INSERT INTO credit_repairs(check_id, item, repaired_on, decided_by, reason) "
                    + "VALUES ('C-\(a)', 'M1', '2026-06-01', 'Bureau', 'rectified'), "
                    + "('C-\(b)', 'M1', '2026-06-01', 'Bureau', 'rectified')",
            ] { try session.query(statement) }
        }
        let migrated = try Workspace.open(at: url)
        #expect(try migrated.storedSchemaVersion() == 12)
        #expect(try Self.placement(migrated) == Self.placement(reference))
        for table in Self.tables + ["check_codes"] {
            #expect(try Engine.postgres.rows(migrated, "SELECT * FROM \(table) ORDER BY 1, 2")
                        == Engine.postgres.rows(reference, "SELECT * FROM \(table) ORDER BY 1, 2"), "\(table)")
        }
    }
}
