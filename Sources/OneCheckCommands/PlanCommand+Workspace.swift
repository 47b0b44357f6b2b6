import ArgumentParser
import Foundation
import Planning
import Registry
import Supervision
import Tables

/// The frame of a plan drawn from a workspace (`onecheck plan --workspace W --period P`, issue 19, item 7): what
/// `Workspace.planningInputs(for:)` holds for the period, written as the planner's ordinary input files.
///
/// The plan is then drawn from those files exactly as from files given by hand, and its manifest records their
/// paths and SHA-256 digests: `onecheck verify` re-derives a plan drawn from a workspace without the workspace,
/// and a later change in the registry cannot change what the plan was drawn from.
///
/// The files: departments, scenarios, items, quotas, caps and inspectors as the registry holds them; entities.csv
/// (`entity_id`, `scenario`); scores.csv with each department's probability and grade for the period — the grades
/// after joint sanctions, as `import scores --period` stored them; checks-done.csv with the visits recorded in the
/// other quarters of the period's year (adjustments included), counted against the yearly caps.
enum WorkspaceFrame {
    static let members = [CapsFile.fileName, ChecksDone.fileName, DepartmentsFile.fileName, EntitiesFile.fileName,
                          InspectorsFile.fileName, ItemsFile.fileName, QuotasFile.fileName, ScenariosFile.fileName,
                          scoresFile]
    static let scoresFile = "scores.csv"

    /// Where the frame goes by default: beside the plan directory, named after it (`plan-2026Q2-frame`).
    static func defaultDirectory(forOutput output: String) -> String {
        var path = output
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path + "-frame"
    }

    /// Writes the frame of `inputs` into `directory`, replacing an earlier frame there as a whole.
    /// - Throws: `ValidationError` when the period has no grades for a department with a quota, or an entity in a
    ///   department's scope lacks a grade or a probability; `Tables.OutputError` or `TableError` when writing fails.
    static func write(_ inputs: PlanningInputs, to directory: String) throws -> (paths: PlanInputPaths, visitsDone: Int) {
        let texts = try self.texts(inputs)
        let set = try OutputSet(directory: directory, members: members)
        do {
            for (name, text) in texts {
                try Data(text.utf8).write(to: URL(fileURLWithPath: set.path(of: name)))
            }
            try set.commit()
        } catch {
            set.abandon()
            throw error
        }
        func path(_ name: String) -> String { (directory.hasSuffix("/") ? directory : directory + "/") + name }
        let paths = PlanInputPaths(
            scores: path(scoresFile), entities: path(EntitiesFile.fileName), quotas: path(QuotasFile.fileName),
            inspectors: path(InspectorsFile.fileName), departments: path(DepartmentsFile.fileName),
            scenarios: path(ScenariosFile.fileName), items: path(ItemsFile.fileName), caps: path(CapsFile.fileName),
            done: path(ChecksDone.fileName))
        return (paths, visits(inputs).checks.count)
    }

    /// The text of every file of the frame, by file name.
    static func texts(_ inputs: PlanningInputs) throws -> [(String, String)] {
        func csv(_ fill: (CSVRowBuffer) -> Void) -> String {
            let buffer = CSVRowBuffer()
            fill(buffer)
            return String(decoding: buffer.bytes, as: UTF8.self)
        }
        var counts: [ScenarioCode: Int] = [:]
        for scenario in inputs.entityScenarios { counts[scenario, default: 0] += 1 }
        let shares = inputs.scenarios.map { Double(counts[$0.code] ?? 0) / Double(max(1, inputs.entities.count)) }
        return [
            (CapsFile.fileName, csv { CapsFile.write(inputs.caps.rows, to: $0) }),
            (ChecksDone.fileName, visits(inputs).csvText()),
            (DepartmentsFile.fileName, csv { DepartmentsFile.write(inputs.departments, to: $0) }),
            (EntitiesFile.fileName, csv { buffer in
                // A registry of several jurisdictions gives each entity's jurisdiction (for `--jurisdiction`).
                let jurisdictions = inputs.entityJurisdictions.contains { $0 != nil } ? inputs.entityJurisdictions : nil
                buffer.appendRow([EntitiesFile.idColumn, EntitiesFile.scenarioColumn]
                                 + (jurisdictions == nil ? [] : [EntitiesFile.jurisdictionColumn]))
                for (position, (entity, scenario)) in zip(inputs.entities, inputs.entityScenarios).enumerated() {
                    buffer.appendRow([entity.rawValue, scenario.rawValue]
                                     + (jurisdictions.map { [$0[position]?.rawValue ?? ""] } ?? []))
                }
            }),
            (InspectorsFile.fileName, csv {
                InspectorsFile.write(inputs.roster, to: $0, withJurisdiction: inputs.roster.contains { $0.jurisdiction != nil })
            }),
            (ItemsFile.fileName, csv { ItemsFile.write(inputs.items, to: $0) }),
            (QuotasFile.fileName, csv { QuotasFile.write(inputs.quotas, to: $0) }),
            (ScenariosFile.fileName, csv { ScenariosFile.write(inputs.scenarios, shares: shares, to: $0) }),
            (scoresFile, try scores(inputs)),
        ]
    }

    /// scores.csv: `entity_id`, then `<head>_probability` and `<head>_grade` of each department with a quota, one
    /// row per entity of the directory; a department that does not supervise the entity's scenario leaves its two
    /// fields empty.
    static func scores(_ inputs: PlanningInputs) throws -> String {
        let planned = Set(inputs.quotas.map(\.department)).sorted()
        let heads = Dictionary(inputs.departments.map { ($0.code, $0.riskHead) }, uniquingKeysWith: { first, _ in first })
        var scopes: [ScenarioCode: Set<DepartmentCode>] = [:]
        for scenario in inputs.scenarios { scopes[scenario.code] = Set([scenario.lead] + scenario.partners) }
        // Per department: probability and grade by entity position (nil: not graded).
        var columns: [(probability: [Double?], grade: [Grade?])] = []
        for department in planned {
            guard let graded = inputs.grades.first(where: { $0.department == department }) else {
                throw ValidationError("the workspace has no grades of department \(department) for \(inputs.period): "
                    + "import the period's scores first (onecheck import scores FILE --period \(inputs.period))")
            }
            var probability = [Double?](repeating: nil, count: inputs.entities.count)
            var grade = [Grade?](repeating: nil, count: inputs.entities.count)
            for (k, position) in graded.entities.enumerated() {
                probability[position] = graded.probabilities[k]
                grade[position] = graded.grades[k]
            }
            columns.append((probability, grade))
        }
        let buffer = CSVRowBuffer()
        buffer.appendRow([EntitiesFile.idColumn] + planned.flatMap { department -> [String] in
            let head = heads[department] ?? Department.defaultRiskHead(department)
            return [head + "_probability", head + "_grade"]
        })
        for (position, entity) in inputs.entities.enumerated() {
            buffer.appendField(entity.rawValue)
            let scope = scopes[inputs.entityScenarios[position]]
            for (d, department) in planned.enumerated() {
                guard scope?.contains(department) ?? true else {
                    buffer.appendMissingField()
                    buffer.appendMissingField()
                    continue
                }
                guard let grade = columns[d].grade[position], let probability = columns[d].probability[position] else {
                    throw ValidationError("entity \(entity) has no \(columns[d].grade[position] == nil ? "grade" : "probability") "
                        + "of department \(department) for \(inputs.period) in the workspace: import the period's scores "
                        + "for every entity the department supervises")
                }
                buffer.appendField(shortest: probability)
                buffer.appendField(grade.label)
            }
            buffer.endRow()
        }
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    /// The visits recorded in the other quarters of the period's year: the registry's department checks grouped by
    /// period, entity and day (a joint check is one visit), in period, entity and day order.
    static func visits(_ inputs: PlanningInputs) -> ChecksDone {
        struct Key: Hashable, Comparable {
            let period: Period, entity: String, day: CalendarDate
            static func < (a: Key, b: Key) -> Bool {
                (a.period, a.day) == (b.period, b.day) ? a.entity.utf8.lexicographicallyPrecedes(b.entity.utf8)
                    : a.period != b.period ? a.period < b.period : a.day < b.day
            }
        }
        var departments: [Key: Set<DepartmentCode>] = [:]
        for recorded in inputs.checksInYear where recorded.period != inputs.period {
            let key = Key(period: recorded.period, entity: recorded.check.entity.rawValue, day: recorded.check.checkedOn)
            departments[key, default: []].insert(recorded.check.department)
        }
        return ChecksDone(checks: departments.keys.sorted().map { key in
            ChecksDone.Check(checkID: "\(key.period)-\(key.entity)-\(key.day)", period: key.period,
                             entity: EntityID(key.entity), departments: departments[key]!.sorted())
        })
    }
}
