import Foundation
import Registry
import Supervision
import Tables
import Testing
import TestSupport

@Suite("Import and export")
struct ImportTests {
    @Test(arguments: Engine.allCases) func importsTheCityIdempotently(engine: Engine) throws {
        let city = try Fixtures.City(entities: 40, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        #expect(try engine.count(workspace, "entities") == 40)
        #expect(try engine.count(workspace, "directory_memberships") == 60)
        #expect(try engine.count(workspace, "items") == 5)
        var first = try Fixtures.snapshot(workspace)
        for kind in [ImportKind.departments, .scenarios, .items, .entities] {
            let summary = try workspace.importCSV(kind, from: city.directory.file("\(kind.rawValue).csv"))
            #expect(summary.file == "\(kind.rawValue).csv")
        }
        var second = try Fixtures.snapshot(workspace)
        #expect(second["audit_log"]!.count == first["audit_log"]!.count + 4)
        first["audit_log"] = nil
        second["audit_log"] = nil
        #expect(first == second)
    }

    /// One bad row anywhere — here the last — and nothing of the file is written.
    @Test(arguments: Engine.allCases) func isAllOrNothing(engine: Engine) throws {
        let city = try Fixtures.City(entities: 10, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let before = try Fixtures.snapshot(workspace)
        var rng = SeededGenerator(seed: 99)
        var rows = [["credit_code", "name", "scenario", "credit_grade", "departments"]]
        for i in 0..<500 { rows.append([Fixtures.creditCode(&rng), "New \(i)", "REST", "B", "FIRE"]) }
        var bad = Array(Fixtures.creditCode(&rng).utf8)
        bad[17] = bad[17] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        rows.append([String(decoding: bad, as: UTF8.self), "Bad", "REST", "B", "FIRE"])
        let file = city.directory.file("more.csv")
        try Fixtures.write(rows, to: file)
        do {
            try workspace.importCSV(.entities, from: file, options: ImportOptions(blockSize: 4096))
            Issue.record("the bad code was accepted")
        } catch let error as TableError {
            #expect(error.file == "more.csv" && error.line == 502 && error.column == 1)
            #expect(error.columnName == "credit_code" && error.value == String(decoding: bad, as: UTF8.self))
            #expect(error.description.contains("GB 32100-2015") && error.description.contains("check character"))
        }
        #expect(try Fixtures.snapshot(workspace) == before)
    }

    struct BadRow: CustomTestStringConvertible, Sendable {
        let kind: ImportKind
        let rows: [[String]]
        let line: Int
        let column: Int?
        let kindOfError: TableError.Kind
        var testDescription: String { "\(kind.rawValue) line \(line)" }
    }

    static let badRows: [BadRow] = [
        BadRow(kind: .scenarios, rows: [["code", "name", "lead_department"], ["X", "x", "MKT"], ["Y", "y", "HEALTH"]],
               line: 3, column: 3, kindOfError: .unknownCategory),
        BadRow(kind: .departments, rows: [["code", "name"], ["A1", "a"], ["A1", "again"]],
               line: 3, column: 1, kindOfError: .duplicateKey(firstLine: 2)),
        BadRow(kind: .items, rows: [["scenario", "code", "department", "name", "element", "measure"],
                                    ["REST", "I9", "MKT", "n", "smell", "on_site"]],
               line: 2, column: 5, kindOfError: .unknownCategory),
        BadRow(kind: .quotas, rows: [["department", "scenario", "credit_grade", "sampling_ratio", "max_checks_per_year"],
                                     ["MKT", "REST", "A", "0.05", "1"], ["MKT", "REST", "B", "1.5", "1"]],
               line: 3, column: 4, kindOfError: .invalidValue),
        BadRow(kind: .quotas, rows: [["department", "scenario", "credit_grade", "sampling_ratio", "max_checks_per_year"],
                                     ["MKT", "REST", "C", "", "1"]],
               line: 2, column: 4, kindOfError: .missingValue),
        BadRow(kind: .inspectors, rows: [["id", "department"], ["i1", "MKT"]],
               line: 1, column: nil, kindOfError: .missingColumns(["name"])),
    ]

    @Test(arguments: Engine.allCases, badRows)
    func badRowsAreLocated(engine: Engine, bad: BadRow) throws {
        let city = try Fixtures.City(entities: 2, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let before = try Fixtures.snapshot(workspace)
        let file = city.directory.file("bad-\(bad.kind.rawValue).csv")
        try Fixtures.write(bad.rows, to: file)
        do {
            try workspace.importCSV(bad.kind, from: file)
            Issue.record("accepted")
        } catch let error as TableError {
            #expect(error.kind == bad.kindOfError)
            #expect(error.file == "bad-\(bad.kind.rawValue).csv")
            #expect(error.line == bad.line)
            #expect(error.column == bad.column)
        }
        #expect(try Fixtures.snapshot(workspace) == before)
    }

    @Test(arguments: Engine.allCases) func departmentsColumnReplacesMemberships(engine: Engine) throws {
        let city = try Fixtures.City(entities: 2, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let code = city.codes[0]  // MKT;FIRE in the fixture
        let file = city.directory.file("move.csv")
        try Fixtures.write([["credit_code", "name", "scenario", "credit_grade", "departments"],
                            [code, "Renamed", "REST", "C", "FIRE"]], to: file)
        try workspace.importCSV(.entities, from: file)
        let departments = try engine.column(workspace, "SELECT department FROM directory_memberships WHERE entity = ?", [code])
        #expect(departments == ["FIRE"])
        let entity = try workspace.entity(city.code(0))
        #expect(entity?.name == "Renamed" && entity?.creditGrade == .c)
    }

    /// Exported directory tables import into a fresh workspace as the same rows.
    @Test(arguments: Engine.allCases) func exportRoundTrips(engine: Engine) throws {
        let city = try Fixtures.City(entities: 25, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let out = city.directory.url.appendingPathComponent("export")
        let files = try workspace.exportAll(to: out)
        #expect(files.count == Workspace.exportedTables.count)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasSuffix(".csv") || $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
        let copy = try engine.createWorkspace(in: city.directory, name: "copy.onecheck")
        for (kind, table) in [(ImportKind.departments, "departments"), (.scenarios, "scenarios"), (.items, "items"),
                              (.entities, "entities"), (.memberships, "directory_memberships")] {
            try copy.importCSV(kind, from: out.appendingPathComponent("\(table).csv"))
        }
        let a = try Fixtures.snapshot(workspace), b = try Fixtures.snapshot(copy)
        for table in ["departments", "scenarios", "items", "entities", "directory_memberships"] {
            #expect(a[table] == b[table], "\(table)")
        }
        let header = try String(contentsOf: out.appendingPathComponent("entities.csv"), encoding: .utf8)
            .split(separator: "\n").first
        #expect(header == "credit_code,name,scenario,district,legal_representative,credit_grade,jurisdiction")
    }

    /// A plan file is a draw: imported once, refused (and logged) the second time.
    @Test(arguments: Engine.allCases) func planFileIsADraw(engine: Engine) throws {
        let city = try Fixtures.City(entities: 6, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let header = ["plan", "scenario", "period", "seed", "check_id", "entity", "department", "inclusion_probability", "checked_on"]
        let file = city.directory.file("plan.csv")
        try Fixtures.write([header,
                            ["P1", "REST", "2026Q1", "7", "c1", city.codes[0], "MKT", "0.25", "2026-02-02"],
                            ["P1", "REST", "2026Q1", "7", "c2", city.codes[0], "FIRE", "0.5", "2026-02-02"]], to: file)
        try workspace.importCSV(.plan, from: file)
        #expect(try engine.count(workspace, "checks") == 2)
        #expect(throws: RegistryError.planAlreadyDrawn(scenario: "REST", period: quarter("2026Q1"), existingPlan: "P1")) {
            try workspace.importCSV(.plan, from: file)
        }
        #expect(Array(try workspace.auditLog().map(\.action).suffix(3)) == [.draw, .import, .redrawRefused])
        // An entity outside the department's directory cannot be drawn for it.
        try Fixtures.write([header, ["P2", "REST", "2026Q2", "7", "c3", city.codes[1], "FIRE", "0.5", "2026-05-04"]], to: file)
        do {
            try workspace.importCSV(.plan, from: file)
            Issue.record("accepted")
        } catch let error as TableError {
            #expect(error.line == 2 && error.columnName == "entity")
        }
    }

    /// The same plan id in another period is another plan: imported, not refused as "already drawn", and no
    /// `redraw_refused` line is written (issue 14, item 10).
    @Test(arguments: Engine.allCases) func planIDMayComeBackNextPeriod(engine: Engine) throws {
        let city = try Fixtures.City(entities: 6, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let header = ["plan", "scenario", "period", "seed", "check_id", "entity", "department", "inclusion_probability", "checked_on"]
        let file = city.directory.file("plan.csv")
        try Fixtures.write([header, ["P1", "REST", "2026Q1", "7", "q1-c1", city.codes[0], "MKT", "0.25", "2026-02-02"]], to: file)
        try workspace.importCSV(.plan, from: file)
        try Fixtures.write([header, ["P1", "REST", "2026Q2", "8", "q2-c1", city.codes[0], "MKT", "0.25", "2026-05-04"]], to: file)
        try workspace.importCSV(.plan, from: file)
        #expect(try engine.count(workspace, "plans") == 2 && engine.count(workspace, "checks") == 2)
        #expect(!(try workspace.auditLog().map(\.action).contains(.redrawRefused)))
        // A check id is unique in the workspace: reusing one in the next period is refused at its line.
        try Fixtures.write([header, ["P1", "REST", "2026Q3", "9", "q2-c1", city.codes[0], "MKT", "0.25", "2026-08-03"]], to: file)
        do {
            try workspace.importCSV(.plan, from: file)
            Issue.record("a recorded check id was accepted again")
        } catch let error as TableError {
            #expect(error.line == 2 && error.columnName == "check_id" && error.description.contains("2026Q2"), "\(error)")
        }
    }

    /// A `checked_on` outside the plan's period, or a period that is not a quarter, is refused with file, line and
    /// column, and nothing is written (issue 14, item 10).
    @Test(arguments: Engine.allCases) func checkDaysLieInThePlansPeriod(engine: Engine) throws {
        let city = try Fixtures.City(entities: 6, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let before = try Fixtures.snapshot(workspace)
        let header = ["plan", "scenario", "period", "seed", "check_id", "entity", "department", "inclusion_probability", "checked_on"]
        let file = city.directory.file("plan.csv")
        try Fixtures.write([header, ["P1", "REST", "2026Q1", "7", "c1", city.codes[0], "MKT", "0.25", "2026-03-31"],
                            ["P1", "REST", "2026Q1", "7", "c2", city.codes[2], "MKT", "0.25", "2026-04-01"]], to: file)
        do {
            try workspace.importCSV(.plan, from: file)
            Issue.record("a check day outside the period was accepted")
        } catch let error as TableError {
            #expect(error.file == "plan.csv" && error.line == 3 && error.column == 9 && error.value == "2026-04-01")
            #expect(error.description.contains("a day of 2026Q1 (2026-01-01 to 2026-03-31)"), "\(error)")
        }
        try Fixtures.write([header, ["P1", "REST", "run1", "7", "c1", city.codes[0], "MKT", "0.25", "2026-03-31"]], to: file)
        do {
            try workspace.importCSV(.plan, from: file)
            Issue.record("a period that is not a quarter was accepted")
        } catch let error as TableError {
            #expect(error.line == 2 && error.column == 3 && error.description.contains("a quarter like 2026Q2"))
        }
        var after = try Fixtures.snapshot(workspace)
        after["audit_log"] = before["audit_log"]
        #expect(after == before)
    }
}
