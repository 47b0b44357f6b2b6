import Foundation
import Supervision
import Tables

/// The inputs of one jurisdiction's plan (`onecheck plan --jurisdiction J`): the rows of entities.csv,
/// inspectors.csv and quotas.csv whose `jurisdiction` is `J`, and the rows of the scores and of the checks done
/// whose entity is one of them, written as the planner's ordinary input files into a frame directory (``write(_:jurisdiction:to:)``).
///
/// The plan is then drawn from those files exactly as from files given by hand, with the jurisdiction's derived
/// seed (``JurisdictionSeed``); its manifest records the frame's files with their SHA-256, the jurisdiction and the
/// derivation, so `onecheck verify` re-derives the plan from the frame alone and checks, with
/// ``requireMembership(_:jurisdiction:)``, that every row of it is the jurisdiction's.
///
/// A file none of whose rows is dropped (a jurisdiction's own files, as a machine per jurisdiction holds them) is
/// not copied: the frame then names the original file. The other inputs (departments, scenarios, items, caps) are
/// shared by every jurisdiction and named as given.
public enum JurisdictionFrame {
    /// The scores file's name in a frame.
    public static let scoresFile = "scores.csv"
    /// The files a frame directory may hold.
    public static let members = [ChecksDone.fileName, EntitiesFile.fileName, InspectorsFile.fileName, QuotasFile.fileName,
                                 scoresFile]

    /// What ``write(_:jurisdiction:to:)`` did.
    public struct Written: Sendable {
        /// The inputs of the jurisdiction's plan: the frame's files, or the originals where nothing was dropped.
        public var paths: PlanInputPaths
        /// Entities of the jurisdiction, and entity rows of other jurisdictions left out.
        public var entities: Int
        public var otherEntities: Int
        /// Inspectors and quota rows of the jurisdiction.
        public var inspectors: Int
        public var quotas: Int
    }

    /// Writes the frame of `jurisdiction` from `paths` into `directory`, replacing an earlier frame there as a
    /// whole (nothing is written when a file is refused).
    /// - Throws: `TableError` naming file, line and column for a file without a `jurisdiction` column, an empty or
    ///   malformed code, or a jurisdiction with no entity, no inspector or no quota; `Tables.OutputError` when the
    ///   directory cannot take the frame.
    /// - Complexity: one streaming pass over each of the four files; memory O(the jurisdiction's entity ids).
    public static func write(_ paths: PlanInputPaths, jurisdiction: JurisdictionCode, to directory: String) throws -> Written {
        let set = try OutputSet(directory: directory, members: members)
        do {
            var result = Written(paths: paths, entities: 0, otherEntities: 0, inspectors: 0, quotas: 0)
            var kept = Set<String>()
            let entities = try filter(paths.entities, into: set.path(of: EntitiesFile.fileName),
                                      column: .jurisdiction(jurisdiction)) { id in _ = kept.insert(id) }
            guard entities.kept > 0 else { throw nothing(of: jurisdiction, in: paths.entities, rows: "entities") }
            result.entities = entities.kept
            result.otherEntities = entities.dropped
            let scores = try filter(paths.scores, into: set.path(of: scoresFile), column: .entityIn(kept))
            let done = try paths.done.map { try filter($0, into: set.path(of: ChecksDone.fileName), column: .entityIn(kept)) }
            let inspectors = try filter(paths.inspectors, into: set.path(of: InspectorsFile.fileName),
                                        column: .jurisdiction(jurisdiction))
            guard inspectors.kept > 0 else { throw nothing(of: jurisdiction, in: paths.inspectors, rows: "inspectors") }
            result.inspectors = inspectors.kept
            let quotas = try filter(paths.quotas, into: set.path(of: QuotasFile.fileName),
                                    column: .jurisdiction(jurisdiction))
            guard quotas.kept > 0 else { throw nothing(of: jurisdiction, in: paths.quotas, rows: "quotas") }
            result.quotas = quotas.kept
            try set.commit()
            func framed(_ name: String, _ original: String, _ outcome: Filtered) -> String {
                outcome.dropped == 0 ? original : (directory.hasSuffix("/") ? directory : directory + "/") + name
            }
            result.paths.entities = framed(EntitiesFile.fileName, paths.entities, entities)
            result.paths.scores = framed(scoresFile, paths.scores, scores)
            result.paths.inspectors = framed(InspectorsFile.fileName, paths.inspectors, inspectors)
            result.paths.quotas = framed(QuotasFile.fileName, paths.quotas, quotas)
            if let done, let original = paths.done { result.paths.done = framed(ChecksDone.fileName, original, done) }
            return result
        } catch {
            set.abandon()
            throw error
        }
    }

    /// Checks that every row of the jurisdiction-keyed inputs of `paths` (entities, inspectors, quotas) has a
    /// `jurisdiction` column naming `jurisdiction` — what `verify` asks of a jurisdiction's plan's inputs.
    /// - Throws: `TableError` at the first row of another jurisdiction, or for a file without the column.
    public static func requireMembership(_ paths: PlanInputPaths, jurisdiction: JurisdictionCode) throws {
        for path in [paths.entities, paths.inspectors, paths.quotas] {
            let outcome = try filter(path, into: nil, column: .jurisdiction(jurisdiction), refuseOthers: true)
            guard outcome.kept > 0 else { throw nothing(of: jurisdiction, in: path, rows: "rows") }
        }
    }

    /// Refuses quotas agreed for more than one jurisdiction: each stratum would have several sizes. Such a file
    /// is planned one jurisdiction at a time (`plan --jurisdiction`).
    /// - Throws: `TableError` naming `file`, the `jurisdiction` column and two of its codes.
    static func requireOneJurisdiction(_ quotas: [Quota], file: String) throws {
        let codes = Set(quotas.map { $0.jurisdiction?.rawValue ?? "" })
        guard codes.count > 1 else { return }
        let two = codes.sorted().prefix(2).joined(separator: ", ")
        throw TableError(.invalidValue, file: file, columnName: Jurisdiction.column, value: two,
                         expected: "the quotas of one jurisdiction (\(codes.count) found): plan one with --jurisdiction")
    }

    // MARK: - Filtering

    enum Column {
        /// Keep the rows whose `jurisdiction` is this code.
        case jurisdiction(JurisdictionCode)
        /// Keep the rows whose `entity_id` is one of these.
        case entityIn(Set<String>)
    }

    struct Filtered {
        var kept = 0
        var dropped = 0
    }

    /// Streams `path`, copying the header and the rows `column` keeps to `output` (when given; the copy is
    /// removed again when no row was dropped), calling `keep` with the entity id of each kept row when the file
    /// has an `entity_id` column.
    static func filter(_ path: String, into output: String?, column: Column, refuseOthers: Bool = false,
                       keep: ((String) -> Void)? = nil) throws -> Filtered {
        var reader = try CSVReader(path: path, displayName: path)
        let position: Int
        switch column {
        case .jurisdiction: position = try reader.requireColumns([Jurisdiction.column])[0]
        case .entityIn: position = try reader.requireColumns([EntitiesFile.idColumn])[0]
        }
        let idPosition = keep == nil ? nil : reader.columnIndex(named: EntitiesFile.idColumn)
        let writer = try output.map { try CSVWriter(path: $0) }
        var outcome = Filtered()
        do {
            try writer?.appendRow(reader.header)
            var code: [UInt8] = []
            if case let .jurisdiction(c) = column { code = Array(c.rawValue.utf8) }
            let rows = CSVRowBuffer()
            while let block = try reader.nextBlock() {
                for row in 0..<block.rowCount {
                    let keeps: Bool
                    switch column {
                    case .jurisdiction:
                        keeps = try block.withFieldBytes(row: row, column: position) { bytes in
                            if bytes.elementsEqual(code) { return true }
                            let text = String(decoding: bytes, as: UTF8.self)
                            if text.isEmpty {
                                throw block.error(.missingValue, row: row, column: position, expected: Jurisdiction.expectedForm)
                            }
                            guard Jurisdiction.isWellFormed(text) else {
                                throw block.error(.invalidValue, row: row, column: position, expected: Jurisdiction.expectedForm)
                            }
                            return false
                        }
                        if !keeps && refuseOthers {
                            throw block.error(.invalidValue, row: row, column: position,
                                              expected: "jurisdiction \(String(decoding: code, as: UTF8.self)) (the plan's)")
                        }
                    case let .entityIn(ids):
                        keeps = ids.contains(block.string(row: row, column: position))
                    }
                    guard keeps else {
                        outcome.dropped += 1
                        continue
                    }
                    outcome.kept += 1
                    if let keep, let idPosition { keep(block.string(row: row, column: idPosition)) }
                    if writer != nil {
                        for c in 0..<block.columnCount {
                            block.withFieldBytes(row: row, column: c) { rows.appendField(utf8: $0) }
                        }
                        rows.endRow()
                    }
                }
                if let writer { try writer.write(rows) }
                rows.removeAll()
            }
            if outcome.dropped > 0 { try writer?.commit() } else { writer?.abandon() }
        } catch {
            writer?.abandon()
            throw error
        }
        return outcome
    }

    static func nothing(of jurisdiction: JurisdictionCode, in path: String, rows: String) -> TableError {
        TableError(.invalidValue, file: path, columnName: Jurisdiction.column, value: jurisdiction.rawValue,
                   expected: "\(rows) of jurisdiction \(jurisdiction) (none found)")
    }
}
