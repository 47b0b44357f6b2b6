import Foundation
import Planning
import Scoring
import Supervision
import Tables

/// The simulated results of a whole drawn plan, in the shapes `onecheck import findings|disposals` reads.
public struct SimulatedResults: Sendable {
    /// One item's result on one department's part of a check.
    public struct Finding: Sendable, Equatable {
        public var checkID: String
        public var item: String
        public var outcome: FindingsSimulator.Result.Outcome
        /// Fine in yuan.
        public var penalty: Double
    }

    /// The disposal opened for a non-compliant item, on the day of the check.
    public struct Disposal: Sendable, Equatable {
        public var checkID: String
        public var item: String
        public var action: String
        public var openedOn: CalendarDate
        /// Nil while open.
        public var closedOn: CalendarDate?
    }

    public var findings: [Finding] = []
    public var disposals: [Disposal] = []
    /// Visits of the plan and department parts simulated (one per department of each visit).
    public var visits = 0, departmentChecks = 0
    /// Department parts that found a problem, and those of them that were serious.
    public var problems = 0, serious = 0

    public static let findingsFile = "findings.csv"
    public static let disposalsFile = "disposals.csv"

    /// Writes findings.csv (`check_id,item,outcome,penalty`) and disposals.csv
    /// (`check_id,item,action,opened_on,closed_on`) into `directory` as one set: the directory's previous pair is
    /// replaced as a whole, and on any failure it stays as it was (`Tables.OutputSet`).
    /// - Throws: `OutputError` when `directory` holds other files; I/O errors as `TableError`.
    public func write(to directory: String) throws {
        let set = try OutputSet(directory: directory, members: [Self.findingsFile, Self.disposalsFile])
        do {
            let findingsFile = try CSVWriter(path: set.path(of: Self.findingsFile))
            try findingsFile.appendRow(["check_id", "item", "outcome", "penalty"])
            for f in findings {
                try findingsFile.appendRow([f.checkID, f.item, f.outcome.rawValue, DecimalFormatting.shortest(f.penalty)])
            }
            try findingsFile.commit()
            let disposalsFile = try CSVWriter(path: set.path(of: Self.disposalsFile))
            try disposalsFile.appendRow(["check_id", "item", "action", "opened_on", "closed_on"])
            for d in disposals {
                try disposalsFile.appendRow([d.checkID, d.item, d.action, d.openedOn.description,
                                             d.closedOn?.description ?? ""])
            }
            try disposalsFile.commit()
            try set.commit()
        } catch {
            set.abandon()
            throw error
        }
    }
}

extension FindingsSimulator {
    /// Simulates every department's part of every visit of `draw`.
    ///
    /// - Parameters:
    ///   - items: the city's items; a department's items for the visit's scenario are taken in this order.
    ///   - risk: the true probability that each department's check of each entity finds a problem.
    ///   - checkID: the id a department's part of a visit is recorded under (the registry's rule,
    ///     `Workspace.checkID(planCheck:department:)`).
    /// - Throws: `TableError` at the visit's line of plan.csv when `risk` has no probability for its entity and
    ///   a department of the visit.
    /// - Complexity: O(visits · departments · items of a department and scenario).
    public func simulate(_ draw: RecordedDraw, items: [Item], risk: TrueRisk,
                         checkID: (String, DepartmentCode) -> String) throws -> SimulatedResults {
        var itemsByPart: [DepartmentScenario: [String]] = [:]
        for item in items {
            itemsByPart[DepartmentScenario(department: item.department, scenario: item.scenario), default: []]
                .append(item.code.rawValue)
        }
        var results = SimulatedResults()
        results.visits = draw.visits.count
        for visit in draw.visits {
            for department in visit.departments {
                guard let p = risk.probability(entity: visit.entity, department: department) else {
                    throw draw.error(.unknownCategory, visit: visit, column: "entity_id", value: visit.entity.rawValue,
                                     expected: "an entity of \(risk.entitiesFile) with a risk_\(department) head in "
                                        + risk.modelFile)
                }
                let id = checkID(visit.checkID, department)
                let part = DepartmentScenario(department: department, scenario: visit.scenario)
                results.departmentChecks += 1
                for result in simulate(checkID: visit.checkID, department: department.rawValue, probability: p,
                                       items: itemsByPart[part] ?? []) {
                    results.findings.append(.init(checkID: id, item: result.item, outcome: result.outcome,
                                                  penalty: result.penalty))
                    guard let disposal = result.disposal else { continue }
                    results.problems += 1
                    if result.outcome == .serious { results.serious += 1 }
                    results.disposals.append(.init(checkID: id, item: result.item, action: disposal.action,
                                                   openedOn: visit.date,
                                                   closedOn: disposal.closedAfterDays.map { visit.date.adding(days: $0) }))
                }
            }
        }
        return results
    }

    /// A department's items for one scenario.
    private struct DepartmentScenario: Hashable {
        var department: DepartmentCode
        var scenario: ScenarioCode
    }
}

/// The true model's probability that each department's check of each entity finds a problem.
public struct TrueRisk: Sendable {
    /// The files it was computed from, as named in messages.
    public let modelFile: String, entitiesFile: String
    private let probabilities: [EntityID: [DepartmentCode: Double]]

    /// Scores `entities` with the true `model` in memory, block by block, with the kernel of `onecheck score`
    /// (the same bits as its `<head>_probability` before rounding): one probability per head that names a
    /// department. Every row is scored and checked; ids must be unique.
    /// - Throws: `ModelError` for the model; `TableError` for the entities file (duplicate ids at their line);
    ///   `ScoreJobError.noRows` for a file without rows.
    public init(model: URL, entities: URL) throws {
        modelFile = model.lastPathComponent
        entitiesFile = entities.lastPathComponent
        let compiled = try CompiledModel(ScoringModel.load(from: model), file: modelFile)
        let departmentHeads = compiled.model.heads.enumerated().compactMap { h, head in
            head.department.map { (DepartmentCode($0), h) }
        }
        var reader = try CSVReader(path: entities.path)
        let columns = try ModelColumns(model: compiled, includingID: true, require: reader.requireColumns)
        var ids = UniqueKeys()
        var result: [EntityID: [DepartmentCode: Double]] = [:]
        while let block = try reader.nextBlock() {
            let scores = try compiled.scores(of: block, columns: columns)
            for row in 0..<block.rowCount {
                let id = try ids.insert(block, row: row, column: columns.id!)
                var risk: [DepartmentCode: Double] = [:]
                for (department, h) in departmentHeads { risk[department] = scores.probability(row: row, head: h) }
                result[EntityID(id)] = risk
            }
        }
        guard ids.count > 0 else { throw ScoreJobError.noRows(file: entitiesFile) }
        probabilities = result
    }

    /// The probability for `entity` and `department`, or nil when either is unknown.
    public func probability(entity: EntityID, department: DepartmentCode) -> Double? {
        probabilities[entity]?[department]
    }
}
