import Foundation
import Testing
import TestSupport

/// Schema version 11: the draws of several jurisdictions recorded in one shared workspace, each as its own plans,
/// on each engine, as processes.
extension PlanJurisdictionTests {
    /// The rows of an exported table, each split at commas (the columns checked here hold no commas).
    static func exported(_ directory: TemporaryDirectory, _ path: String) throws -> [[String]] {
        try text(directory, path).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("each jurisdiction's draw is recorded in a shared workspace as its own plans; a repeat or a foreign entity is refused")
    func drawsOfSeveralJurisdictions() throws {
        let directory = try Self.cities()
        defer { directory.remove() }
        // Each entity's jurisdiction, from the city's file (credit_code first, jurisdiction fourth).
        var jurisdictionOf: [String: String] = [:]
        for line in try Self.text(directory, "city/entities.csv").split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            jurisdictionOf[String(fields[0])] = String(fields[3])
        }
        var recorded: [ManyWritersTests.Store: [String]] = [:]
        for store in ManyWritersTests.Store.enabled {
            let workspace = try Self.importedWorkspace(store, in: directory, "draws")
            var departmentChecks = 0
            for jurisdiction in ["J01", "J03"] {
                let output = "d-\(store)-\(jurisdiction)"
                let planned = try Self.onecheck(["plan", "-w", workspace, "--period", "2026Q2", "--seed", Self.seed,
                                                 "--jurisdiction", jurisdiction, "--output", output], in: directory)
                #expect(planned.status == 0, "\(store) \(jurisdiction): \(planned.stderr)")
                let draw = try Self.onecheck(["import", "-w", workspace, "draw", output], in: directory)
                #expect(draw.status == 0, "\(store) \(jurisdiction): \(draw.stderr)")
                #expect(draw.stdout.hasPrefix("recorded draw 2026Q2 of jurisdiction \(jurisdiction): "), "\(draw.stdout)")
                let visits = try Self.exported(directory, "\(output)/plan.csv")
                let departments = try #require(visits.first?.firstIndex(of: "departments"))
                departmentChecks += visits.dropFirst().map { $0[departments].split(separator: ";").count }.reduce(0, +)
            }
            // J03's draw again: refused as a repeat of J03's own plans, nothing written.
            let again = try Self.onecheck(["import", "-w", workspace, "draw", "d-\(store)-J03"], in: directory)
            #expect(again.status != 0)
            #expect(again.stderr.contains("already drawn") && again.stderr.contains("@J03\""), "\(again.stderr)")

            let export = "e-\(store)"
            let exported = try Self.onecheck(["export", "-w", workspace, "--to", export], in: directory)
            #expect(exported.status == 0, "\(exported.stderr)")
            let plans = try Self.exported(directory, "\(export)/plans.csv")
            #expect(plans.first == ["id", "scenario", "period", "seed", "jurisdiction"])
            // Each scenario's plan once per jurisdiction, named by it; J03's with J03's derived seed.
            #expect(Set(plans.dropFirst().map { $0[4] }) == ["J01", "J03"])
            #expect(plans.dropFirst().allSatisfy { $0[0] == "2026Q2-\($0[1])@\($0[4])" && $0[2] == "2026Q2" })
            #expect(Set(plans.dropFirst().map { [$0[1], $0[4]] }).count == plans.count - 1)
            let manifest = try Self.text(directory, "d-\(store)-J03/manifest.json")
            #expect(plans.dropFirst().filter { $0[4] == "J03" }.allSatisfy { manifest.contains("\"seed\": \"\($0[3])\"") })
            // Every check is of an entity of its plan's jurisdiction; one per department of each visit of both plans.
            let checks = try Self.exported(directory, "\(export)/checks.csv")
            #expect(checks.first?.prefix(4) == ["id", "plan", "period", "entity"])
            #expect(checks.count - 1 == departmentChecks)
            #expect(checks.dropFirst().allSatisfy { $0[1].hasSuffix("@" + (jurisdictionOf[$0[3]] ?? "?")) })
            recorded[store] = try [Self.text(directory, "\(export)/plans.csv"), Self.text(directory, "\(export)/checks.csv")]

            // A plan file naming jurisdiction J02 with an entity of J01 or J03: refused at the entity's line and column.
            let check = checks[1]
            try """
                plan,scenario,period,seed,check_id,entity,department,inclusion_probability,checked_on,jurisdiction
                P9,\(plans.first { $0[0] == check[1] }![1]),2026Q3,s,X1,\(check[3]),\(check[4]),0.5,2026-07-01,J02

                """.write(to: directory.file("foreign-\(store).csv"), atomically: true, encoding: .utf8)
            let foreign = try Self.onecheck(["import", "-w", workspace, "plan", "foreign-\(store).csv"], in: directory)
            #expect(foreign.status != 0)
            #expect(foreign.stderr.contains("foreign-\(store).csv:2:6") && foreign.stderr.contains("of jurisdiction J02")
                        && foreign.stderr.contains("(it is of jurisdiction \(jurisdictionOf[check[3]]!))"), "\(foreign.stderr)")
        }
        if let postgres = recorded[.postgres] { #expect(postgres == recorded[.sqlite]) }
    }
}
