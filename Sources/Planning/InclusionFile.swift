import Foundation
import Supervision
import Tables

/// `inclusion.csv` of a plan directory (manifest format ``PlanManifest/Format/v3``): the design's π of every
/// (department, entity in scope), moved out of the manifest so that the manifest stays small.
///
/// Layout (`PLAN_FORMATS.md`): header `entity_id,<department>,…` with the plan's departments in UTF-8 order; one
/// row per entity in the scope of at least one department, ids in UTF-8 order; a department's field is π written
/// as the shortest decimal that reads back as exactly the same `Double` (`DecimalFormatting.shortest`), or empty
/// when the entity is not in that department's scope. The same plan gives the same bytes.
enum InclusionFile {
    static let idColumn = "entity_id"

    /// The header of the file of a plan whose π are `designs` (``Plan/inclusion``).
    static func header(_ designs: [DepartmentInclusion]) -> [String] { [idColumn] + designs.map(\.department.rawValue) }

    /// Produces the file's bytes for a plan whose π are `designs` (``Plan/inclusion``, known once the plan is
    /// drawn, before it is staffed) in pieces of about `chunkBytes`: `body` receives a buffer holding whole rows
    /// (the first piece starts with the header) and must consume it before returning.
    /// - Complexity: O(E · D) for E entities and D departments; memory O(`chunkBytes`).
    static func forEachChunk(_ designs: [DepartmentInclusion], chunkBytes: Int = 1 << 20,
                             _ body: (CSVRowBuffer) throws -> Void) rethrows {
        let buffer = CSVRowBuffer(capacity: chunkBytes + 4096)
        buffer.appendRow(header(designs))
        guard let ids = designs.first?.ids else {
            try body(buffer)
            return
        }
        // Each department's scope and π read in place (not its design copied per row), and the next entity of
        // each scope (Int.max past its end): a row per entity in some scope, ascending.
        let scopes = designs.map(\.entityIndices), probabilities = designs.map(\.probabilities)
        var cursor = [Int](repeating: 0, count: designs.count)
        var next = scopes.map { $0.first ?? Int.max }
        while let entity = next.min(), entity != Int.max {
            buffer.appendField(ids[entity].rawValue)
            for d in next.indices {
                if next[d] == entity {
                    buffer.appendField(shortest: probabilities[d][cursor[d]])
                    cursor[d] += 1
                    next[d] = cursor[d] < scopes[d].count ? scopes[d][cursor[d]] : Int.max
                } else {
                    buffer.appendMissingField()
                }
            }
            buffer.endRow()
            if buffer.count >= chunkBytes {
                try body(buffer)
                buffer.removeAll()
            }
        }
        if buffer.count > 0 { try body(buffer) }
    }

    /// Reads the file at `source` (named `displayName` in errors) as an ``InclusionTable``, passing every byte
    /// read to `observer` (the caller's SHA-256).
    /// - Throws: `TableError` at the line and column of a header other than `entity_id` and departments in UTF-8
    ///   order, an id out of order or repeated, or a π that is not a number in [0, 1].
    static func read(_ source: String, displayName: String,
                     observer: (@Sendable (UnsafeRawBufferPointer) -> Void)?) throws -> InclusionTable {
        var reader = try CSVReader(path: source, displayName: displayName,
                                   options: CSVReader.Options(byteObserver: observer))
        let header = reader.header
        let departments = header.dropFirst().map(DepartmentCode.init)
        let ordered = zip(departments, departments.dropFirst()).allSatisfy { $0.rawValue.utf8Precedes($1.rawValue) }
        guard header.first == idColumn, ordered else {
            throw TableError(.invalidValue, file: displayName, line: reader.headerLine, columnIndex: 0,
                             columnName: header.first, value: header.joined(separator: ",").prefix(200).description,
                             expected: "the header entity_id,<department>,… with departments in UTF-8 order")
        }
        var entities = [[EntityID]](repeating: [], count: departments.count)
        var probabilities = [[Double]](repeating: [], count: departments.count)
        var last: EntityID?
        while let block = try reader.nextBlock() {
            for row in 0..<block.rowCount {
                let entity = EntityID(block.string(row: row, column: 0))
                if let last, !last.rawValue.utf8Precedes(entity.rawValue) {
                    throw block.error(.invalidValue, row: row, column: 0,
                                      expected: "entity ids once each, in UTF-8 order (after \(last))")
                }
                last = entity
                for d in departments.indices where !block.isMissing(row: row, column: d + 1) {
                    let pi = try block.double(row: row, column: d + 1)
                    guard pi >= 0, pi <= 1 else {
                        throw block.error(.invalidValue, row: row, column: d + 1, expected: "a probability in [0, 1]")
                    }
                    entities[d].append(entity)
                    probabilities[d].append(pi)
                }
            }
        }
        return InclusionTable(departments: departments.indices.map {
            InclusionTable.Department(department: departments[$0], entities: entities[$0], probabilities: probabilities[$0])
        })
    }

    /// Whether two lines of the file are the same row with every π within `tolerance` (the fields after the id
    /// hold no comma, so the id is what precedes the last `departments` commas).
    static func sameRow(_ a: Substring, _ b: Substring, departments: Int, tolerance: Double) -> Bool {
        func split(_ line: Substring) -> (id: Substring, values: [Substring])? {
            var values: [Substring] = []
            var end = line.endIndex
            for _ in 0..<departments {
                guard let comma = line[..<end].lastIndex(of: ",") else { return nil }
                values.append(line[line.index(after: comma)..<end])
                end = comma
            }
            return (line[..<end], values)
        }
        guard let x = split(a), let y = split(b), x.id == y.id else { return false }
        for (p, q) in zip(x.values, y.values) where p != q {
            guard let u = Double(p), let v = Double(q), u.isFinite, v.isFinite, abs(u - v) <= tolerance else { return false }
        }
        return true
    }
}
