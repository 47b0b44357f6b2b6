import Foundation
import OneCheckUtilities
import Scoring
import Supervision
import Tables

/// The entity side of the plan's inputs, read for millions of rows: entities.csv (`entity_id`, `scenario`, through
/// ``Supervision/EntitiesFile/Reader``) joined with the scores (`entity_id`, `<head>_probability`, `<head>_grade`
/// per department).
///
/// Both files are streamed in blocks and only the named columns are decoded (a city's entities file has dozens
/// of feature columns the plan never reads); what is kept is columnar — one id and a few numbers per entity and
/// department — so memory is linear in the entities and small beside the files. The scores of `onecheck score`
/// come in the entities' row order, which is checked row by row without a lookup table; a scores file in another
/// order falls back to a hash table of ids.
///
/// A grade is one of ``Supervision/Grade``'s labels A–D; any other label is refused at its line and column with
/// the labels expected.
struct EntityColumnReader {
    let departments: [DepartmentCode]
    /// The scores' head of each department (same positions as `departments`).
    let heads: [String]
    let scopes: [ScenarioCode: Set<DepartmentCode>]?

    struct Result {
        var ids: [EntityID]
        var entityScenarios: [Int32]
        var scenarios: [ScenarioCode]
        var scores: [PlanInputs.DepartmentScores]
    }

    // Rows of entities.csv, in file order.
    private var rowIDs: [String] = []
    private var rowScenario: [Int32] = []
    private var rowLine: [Int] = []
    private var scenarioNames: [ScenarioCode] = []
    private var idColumn = 0

    init(departments: [DepartmentCode], heads: [String], scopes: [ScenarioCode: Set<DepartmentCode>]?) {
        precondition(heads.count == departments.count, "one head per department")
        self.departments = departments
        self.heads = heads
        self.scopes = scopes
    }

    /// - Parameter digests: hashes each file while it is read, when given.
    ///
    /// Once entities.csv is read, the ids are sorted on another thread while the scores are read on this one; then
    /// the ids are gathered into their order on another thread while the departments' columns are built on this
    /// one. Each step only reads the rows. Errors are those of one pass in that order: a repeated id before
    /// anything wrong in the scores.
    mutating func read(entities entitiesPath: String, scores scoresPath: String,
                       digests: InputDigests? = nil) throws -> Result {
        try readEntities(entitiesPath, options: digests?.options("entities") ?? CSVReader.Options())
        let rows = self
        let sorting = BackgroundWork { try rows.sortedOrder(file: entitiesPath) }
        // Departments scoring each scenario, as positions in `departments`; an entity's scores are stored in
        // this order, `perRow` of them from `rowStart[row]`.
        let scoring: [[Int]] = scenarioNames.map { scenario in
            departments.indices.filter { PlanInputs.supervises(departments[$0], scenario: scenario, scopes: scopes) }
        }
        var rowStart = [Int](repeating: 0, count: rowIDs.count + 1)
        for row in rowIDs.indices { rowStart[row + 1] = rowStart[row] + scoring[Int(rowScenario[row])].count }
        var probability = [Double](repeating: 0, count: rowStart[rowIDs.count])
        var grade = [Grade](repeating: .a, count: rowStart[rowIDs.count])
        let scoresRead = Swift.Result {
            try readScores(scoresPath, entitiesPath: entitiesPath, scoring: scoring, rowStart: rowStart,
                           probability: &probability, grade: &grade, observer: digests?.observer("scores"))
        }
        let order = try sorting.value()
        try scoresRead.get()

        // Scenario indices renumbered in UTF-8 order of their names.
        let scenarioOrder = scenarioNames.indices.sorted { scenarioNames[$0] < scenarioNames[$1] }
        var scenarioRank = [Int32](repeating: 0, count: scenarioNames.count)
        for (rank, index) in scenarioOrder.enumerated() { scenarioRank[index] = Int32(rank) }
        let gathering = BackgroundWork { [scenarioRank] in
            (ids: order.map { EntityID(rows.rowIDs[$0]) },
             scenarios: order.map { scenarioRank[Int(rows.rowScenario[$0])] })
        }
        let scores = departmentColumns(order: order, scoring: scoring, rowStart: rowStart,
                                       probability: probability, grade: grade)
        let gathered = try gathering.value()
        return Result(ids: gathered.ids, entityScenarios: gathered.scenarios,
                      scenarios: scenarioOrder.map { scenarioNames[$0] }, scores: scores)
    }

    /// Each department's entities, probabilities and grades in the ids' order (`order`: rows by id).
    ///
    /// `order` visits the rows at random (an entities file is in no particular order), so every position costs
    /// a few cache misses in the row arrays. The loop therefore writes into one preallocated column per value —
    /// all departments' runs laid end to end — with no appends and no nested arrays, which lets the processor
    /// overlap the misses of many positions; the runs are cut into the departments' arrays at the end.
    /// - Complexity: O(rows + selections).
    private func departmentColumns(order: [Int], scoring: [[Int]], rowStart: [Int], probability: [Double],
                                   grade: [Grade]) -> [PlanInputs.DepartmentScores] {
        // Scenario s's departments are departmentOf[firstOf[s]..<firstOf[s + 1]].
        var firstOf = [0], departmentOf: [Int] = []
        for departments in scoring {
            departmentOf += departments
            firstOf.append(departmentOf.count)
        }
        var runStart = [Int](repeating: 0, count: departments.count + 1)
        for scenario in rowScenario { for d in scoring[Int(scenario)] { runStart[d + 1] += 1 } }
        for d in departments.indices { runStart[d + 1] += runStart[d] }
        let total = runStart[departments.count]
        var entities = [Int](repeating: 0, count: total)
        var probabilities = [Double](repeating: 0, count: total)
        var grades = [Grade](repeating: .a, count: total)
        var next = Array(runStart.dropLast())
        // Unsafe buffers: no uniqueness or bounds check between one position's loads and the next's, so that more
        // positions' misses overlap.
        entities.withUnsafeMutableBufferPointer { entities in
        probabilities.withUnsafeMutableBufferPointer { probabilities in
        grades.withUnsafeMutableBufferPointer { grades in
        order.withUnsafeBufferPointer { order in
        rowScenario.withUnsafeBufferPointer { rowScenario in
        rowStart.withUnsafeBufferPointer { rowStart in
        probability.withUnsafeBufferPointer { probability in
        grade.withUnsafeBufferPointer { grade in
            for position in order.indices {
                let row = order[position]
                let scenario = Int(rowScenario[row]), start = rowStart[row]
                for k in 0..<(firstOf[scenario + 1] - firstOf[scenario]) {
                    let d = departmentOf[firstOf[scenario] + k], slot = next[d]
                    next[d] = slot + 1
                    entities[slot] = position
                    probabilities[slot] = probability[start + k]
                    grades[slot] = grade[start + k]
                }
            }
        }}}}}}}}
        return departments.indices.map { d in
            let run = runStart[d]..<runStart[d + 1]
            return PlanInputs.DepartmentScores(department: departments[d], entities: Array(entities[run]),
                                               probabilities: Array(probabilities[run]), grades: Array(grades[run]))
        }
    }

    private mutating func readEntities(_ path: String, options: CSVReader.Options) throws {
        var reader = try EntitiesFile.Reader(URL(fileURLWithPath: path), displayName: path, options: options)
        idColumn = reader.idColumn
        let known = scopes.map { Set($0.keys) }
        var scenarioIndex: [String: Int32] = [:]
        while let block = try reader.nextBlock() {
            for row in 0..<block.rowCount {
                let id = try reader.id(block, row: row)
                let name = block.string(row: row, column: reader.scenarioColumn)
                let index: Int32
                if let seen = scenarioIndex[name] {
                    index = seen
                } else {
                    // First row of a scenario: the reader's checks (not empty, one of the scenarios listed).
                    let scenario = try reader.scenario(block, row: row, known: known)
                    index = Int32(scenarioNames.count)
                    scenarioIndex[name] = index
                    scenarioNames.append(scenario)
                }
                rowIDs.append(id.rawValue)
                rowScenario.append(index)
                rowLine.append(block.lineNumber(ofRow: row))
            }
        }
    }

    /// Row indices in UTF-8 order of the ids; a repeated id (two neighbours in that order equal as `String`s) is
    /// an error naming both lines.
    ///
    /// Ids are compared on their first 16 bytes as two big-endian integers, and in full only when those tie —
    /// the same order as comparing the whole UTF-8 strings, for a fraction of the cost on millions of ids. The
    /// keys are sorted as one array of small values (not indices into arrays of keys), and rows with the same id
    /// by row, so the order — and which two lines a repeated id's error names — is that of a stable sort.
    /// When every id is ASCII (`String` equality is then byte equality), only neighbours whose prefixes tie are
    /// compared in full: reading both ids of every neighbour pair would visit millions of strings in random order.
    private func sortedOrder(file: String) throws -> [Int] {
        let ids = rowIDs
        var sorted = true
        for row in ids.indices.dropFirst() where !ids[row - 1].utf8.lexicographicallyPrecedes(ids[row].utf8) {
            sorted = false
            break
        }
        var order: [Int]
        var candidates: [(Int, Int)]? = nil  // neighbours that may be equal, when every id is ASCII
        if sorted {
            order = Array(ids.indices)
        } else {
            struct Key {
                var high: UInt64, low: UInt64, row: Int
            }
            var keys = [Key]()
            keys.reserveCapacity(ids.count)
            var ascii = true
            for row in ids.indices {
                var words = (UInt64(0), UInt64(0))
                let utf8 = ids[row].utf8
                for (k, byte) in utf8.prefix(16).enumerated() {
                    if k < 8 { words.0 |= UInt64(byte) << UInt64(56 - 8 * k) } else { words.1 |= UInt64(byte) << UInt64(120 - 8 * k) }
                }
                ascii = ascii && utf8.allSatisfy { $0 < 0x80 }
                keys.append(Key(high: words.0, low: words.1, row: row))
            }
            keys.sort { a, b in
                if a.high != b.high { return a.high < b.high }
                if a.low != b.low { return a.low < b.low }
                let (x, y) = (ids[a.row].utf8, ids[b.row].utf8)
                return x.lexicographicallyPrecedes(y) || (!y.lexicographicallyPrecedes(x) && a.row < b.row)
            }
            order = keys.map(\.row)
            if ascii {
                candidates = zip(keys, keys.dropFirst()).compactMap { a, b in
                    a.high == b.high && a.low == b.low ? (a.row, b.row) : nil
                }
            }
        }
        func refuseRepeats(among neighbours: some Sequence<(Int, Int)>) throws {
            for (a, b) in neighbours where ids[a] == ids[b] {
                let (first, second) = rowLine[a] < rowLine[b] ? (a, b) : (b, a)
                throw TableError(.duplicateKey(firstLine: rowLine[first]), file: file, line: rowLine[second],
                                 columnIndex: idColumn, columnName: EntitiesFile.idColumn, value: ids[second],
                                 expected: "unique entity ids")
            }
        }
        if let candidates {
            try refuseRepeats(among: candidates)
        } else {
            try refuseRepeats(among: zip(order, order.dropFirst()))
        }
        return order
    }

    /// Fills each row's probabilities and grades from the scores file.
    ///
    /// This loop is the planner's reading of the scores-file contract (`entity_id`, `<head>_probability` in
    /// [0, 1], `<head>_grade` A–D): it is the one place to replace with the scores-file reader of `Scoring`.
    private func readScores(_ path: String, entitiesPath: String, scoring: [[Int]], rowStart: [Int],
                            probability: inout [Double], grade: inout [Grade],
                            observer: (@Sendable (UnsafeRawBufferPointer) -> Void)?) throws {
        // The scores file's contract is Scoring's: its reader names the columns and checks each value it reads.
        var reader = try ScoresFileReader(url: URL(fileURLWithPath: path), displayName: path,
                                          idColumn: EntitiesFile.idColumn,
                                          requests: heads.map { .init(head: $0, labels: Grade.labels) },
                                          byteObserver: observer)
        var scoreLine = [Int](repeating: 0, count: rowIDs.count)  // 0: not scored yet
        var nextRow = 0
        var rowOfID: [String: Int]? = nil  // built only for a scores file in another order than the entities
        while let block = try reader.nextBlock() {
            for r in 0..<block.rowCount {
                let inOrder = rowOfID == nil && nextRow < rowIDs.count && block.withID(row: r) {
                    $0.elementsEqual(rowIDs[nextRow].utf8)
                }
                let row: Int
                if inOrder {
                    row = nextRow
                    nextRow += 1
                } else {
                    if rowOfID == nil {
                        rowOfID = Dictionary(rowIDs.indices.map { (rowIDs[$0], $0) }, uniquingKeysWith: { first, _ in first })
                    }
                    guard let known = rowOfID![block.id(row: r)] else {
                        throw block.block.error(.unknownCategory, row: r, column: block.idColumn,
                                                expected: "an entity id listed in \(entitiesPath)")
                    }
                    row = known
                }
                guard scoreLine[row] == 0 else {
                    throw block.block.error(.duplicateKey(firstLine: scoreLine[row]), row: r, column: block.idColumn,
                                            expected: "one score row per entity")
                }
                scoreLine[row] = block.lineNumber(ofRow: r)
                for (k, d) in scoring[Int(rowScenario[row])].enumerated() {
                    probability[rowStart[row] + k] = try block.probability(row: r, request: d)!
                    grade[rowStart[row] + k] = Grade(rawValue: try block.gradeIndex(row: r, request: d))!
                }
            }
        }
        if let missing = scoreLine.firstIndex(of: 0) {
            throw TableError(.invalidValue, file: entitiesPath, line: rowLine[missing], columnIndex: self.idColumn,
                             columnName: EntitiesFile.idColumn, value: rowIDs[missing],
                             expected: "an entity with a row in \(path) (no blind spot: every entity is scored)")
        }
    }
}
