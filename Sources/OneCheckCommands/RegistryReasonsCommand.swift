import ArgumentParser
import Console
import Foundation
import Registry
import Scoring
import Supervision
import Tables

/// `onecheck registry reasons`: each entity's reasons per department head for a period, from the workspace.
struct RegistryReasonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reasons",
        abstract: "Each entity's reasons per department head for a period, and when its penalty records stop counting.",
        discussion: """
            Reads the features of --period exactly as `registry features --period P --output F` writes them, and \
            writes, per entity (credit-code order), the model's id column, then for each department whose risk head \
            the model has (the workspace's department order) <head>_reason_<k> and <head>_reason_<k>_cost, k = 1…K: \
            the same fields, to the same decimals, as `onecheck score --model M --input F --reasons K` writes for that \
            row (see `onecheck score --help`). Then records_in_force: the entity's penalty records in force on the \
            period's first day and adding to its findings_<element>_3y or credit_penalties_5y (CREDIT_REPAIR.md); \
            next_record (check_id/item) and next_record_stops_counting_on: the one of them that stops counting \
            first (repair day, else the day after its publication window; ties by check id, then item), empty when \
            none. Reads the workspace only: any account that may read the workspace file (or the database) may run it.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "The period, a quarter like 2026Q2 (features brought forward to its first day).",
            transform: OptionValue.period) var period: Period
    @Option(help: ArgumentHelp("The model file (JSON); logistic heads need each numeric feature's training range.",
                               valueName: "model.json")) var model: String
    @Option(help: ArgumentHelp("Only this entity (repeatable; its unified social credit code).", valueName: "CODE"))
    var entity: [String] = []
    @Option(help: ArgumentHelp("Reasons per head (1 to 64).", valueName: "K")) var reasons: Int = 3
    @Option(help: ArgumentHelp("Where to write the CSV: a file (replaced atomically) or - (standard output).",
                               valueName: "FILE")) var output: String = "-"

    func validate() throws {
        guard (1...64).contains(reasons) else { throw ValidationError("--reasons must be between 1 and 64 (found \(reasons)).") }
        for code in entity {
            do { _ = try CreditCode(validating: code) } catch {
                throw ValidationError("--entity \(OptionValue.invalid(code, CreditCode.expectedForm))")
            }
        }
    }

    /// The columns after the reasons.
    static let recordColumns = ["records_in_force", "next_record", "next_record_stops_counting_on"]

    func run() throws {
        try RunFiles.check(outputs: [("--output", output)], inputs: [("--workspace", options.workspace), ("--model", model)])
        let modelFile = URL(fileURLWithPath: model).lastPathComponent
        let compiled = try CompiledModel(ScoringModel.load(from: URL(fileURLWithPath: model)), file: modelFile)
        let explainer = try DepartmentReasons(model: compiled, count: reasons, file: modelFile)
        let workspace = try options.openForReading()
        let departments = try workspace.catalogue().departments
        let heads = explainer.heads(of: departments)
        guard !heads.isEmpty else {
            throw ValidationError("\(model): the model has no department's risk head; expected one of "
                                  + departments.map(\.riskHead).joined(separator: ", "))
        }
        let table = try Self.features(of: workspace, period: period)
        let rows = try Self.rows(of: entity, in: table, idColumn: compiled.model.idColumn, period: period)
        let explanations = try explainer.explain(table, rows: rows, departments: departments)
        let standing = Self.countingRecords(try workspace.penaltyRecords(asOf: period.firstDay), periodStart: period.firstDay)

        let defaults = ScoreOptions()
        let id = table.header.firstIndex(of: compiled.model.idColumn)!
        let writer = try CSVWriter(url: RunFiles.url(output))
        do {
            var header = [compiled.model.idColumn]
            for (department, _) in heads {
                for k in 1...reasons {
                    header += [ScoresFileSchema.reasonColumn(head: department.riskHead, rank: k),
                               ScoresFileSchema.reasonCostColumn(head: department.riskHead, rank: k)]
                }
            }
            try writer.appendRow(header + Self.recordColumns)
            for (row, perHead) in zip(rows ?? Array(table.rows.indices), explanations) {
                let code = table.rows[row][id]
                writer.appendField(code)
                for head in perHead {
                    for reason in head.costs {
                        writer.appendField(reason.code)
                        writer.appendField(reason.cost, decimals: head.inPoints ? defaults.pointsDecimals : defaults.scoreDecimals)
                    }
                    for _ in head.costs.count..<reasons { writer.appendField(""); writer.appendField("") }
                }
                let records = standing[code]
                writer.appendField(String(records?.count ?? 0))
                writer.appendField(records.map { "\($0.next.record.key.check.rawValue)/\($0.next.record.key.item.rawValue)" } ?? "")
                writer.appendField(records?.next.stopsCountingOn.description ?? "")
                try writer.endRow()
            }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// The period's features as `registry features --period` writes them, read back (named after the workspace
    /// and period in messages).
    static func features(of workspace: Workspace, period: Period) throws -> CSVTable {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onecheck-reasons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        TemporaryFiles.register(directory.path, .directory)
        defer {
            try? FileManager.default.removeItem(at: directory)
            TemporaryFiles.unregister(directory.path)
        }
        let file = directory.appendingPathComponent("features.csv")
        try workspace.exportScoringEntities(period: period, to: file)
        return try CSVTable.read(path: file.path, displayName: "the features of \(period) in \(workspace.location)")
    }

    /// The rows of `codes` in `table` (nil: every row), in the order given.
    /// - Throws: `ValidationError` quoting a code that is not among the period's entities.
    static func rows(of codes: [String], in table: CSVTable, idColumn: String, period: Period) throws -> [Int]? {
        guard !codes.isEmpty else { return nil }
        guard let id = table.header.firstIndex(of: idColumn) else {
            throw ValidationError("\(table.fileName): no column \"\(idColumn)\" (the model's id column); found "
                                  + table.header.prefix(3).joined(separator: ","))
        }
        var index: [String: Int] = [:]
        for (row, fields) in table.rows.enumerated() { index[fields[id]] = row }
        return try codes.map { code in
            guard let row = index[code] else {
                throw ValidationError("--entity \"\(code)\": no such entity among the \(table.rowCount) entities of "
                                      + "the workspace's features for \(period); expected a credit code of its directory")
            }
            return row
        }
    }

    /// Per entity, its penalty records that count on `periodStart` — in force on it and adding to one of the
    /// period's history features (``Workspace/featureCounts(_:periodStart:)``) — and the one that stops counting
    /// first (ties by check id, then item: the order the records come in).
    static func countingRecords(_ records: [PenaltyRecordStanding], periodStart: CalendarDate)
        -> [String: (count: Int, next: PenaltyRecordStanding)] {
        var result: [String: (count: Int, next: PenaltyRecordStanding)] = [:]
        for standing in records where standing.status == .inForce {
            let counts = Workspace.featureCounts(standing.record, periodStart: periodStart)
            guard counts.finding || counts.penalty else { continue }
            let code = standing.record.entity.rawValue
            if let current = result[code] {
                result[code] = (current.count + 1,
                                standing.stopsCountingOn < current.next.stopsCountingOn ? standing : current.next)
            } else {
                result[code] = (1, standing)
            }
        }
        return result
    }
}
