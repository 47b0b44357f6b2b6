import Tables

/// Where a model's features (and, if asked, its id column) are in a file's columns.
public struct ModelColumns: Sendable, Equatable {
    /// Per feature of the model, its column.
    public let features: [Int]
    /// The id column, when it was asked for.
    public let id: Int?

    /// - Parameters:
    ///   - includingID: whether the model's id column must be there too (evaluation data often has none).
    ///   - require: maps names to column indices, throwing one error that lists every missing name
    ///     (`CSVReader.requireColumns`, `CSVTable.requireColumns`).
    public init(model: CompiledModel, includingID: Bool, require: ([String]) throws -> [Int]) throws {
        let m = model.model
        var names = includingID ? [m.idColumn] : []
        for f in m.features where !names.contains(f.inputColumn) { names.append(f.inputColumn) }
        let found = try require(names)
        let index = Dictionary(zip(names, found), uniquingKeysWith: { first, _ in first })
        features = m.features.map { index[$0.inputColumn]! }
        id = includingID ? index[m.idColumn] : nil
    }
}

/// The scores of rows scored in memory: per row and head the linear score, exactly the double `onecheck score`
/// computes for the same row, and from it the probability, points and grade by the head's rules (``HeadOutput``).
public struct ScoreMatrix: Sendable {
    public let rowCount: Int
    public let heads: [HeadOutput]
    /// `linear[row · heads.count + head]`.
    public let linear: [Double]

    public var headCount: Int { heads.count }

    @inlinable
    public func score(row: Int, head: Int) -> Double { linear[row &* heads.count &+ head] }

    /// One head's scores, in row order.
    public func scores(head: Int) -> [Double] { (0..<rowCount).map { score(row: $0, head: head) } }

    /// The head's probability (logistic heads), as written to `<head>_probability` before rounding.
    public func probability(row: Int, head: Int) -> Double? { heads[head].probability(score(row: row, head: head)) }

    /// The head's points (heads with points), as written to `<head>_points` before rounding.
    public func points(row: Int, head: Int) -> Double? { heads[head].points(score(row: row, head: head)) }

    /// The head's grade as an index into its labels, −1 when the head has no grade bands.
    public func gradeIndex(row: Int, head: Int) -> Int {
        let s = score(row: row, head: head)
        return heads[head].gradeIndex(score: s, probability: heads[head].probability(s), points: heads[head].points(s))
    }
}

extension CompiledModel {
    /// Rows per chunk of in-memory scoring: the chunk's design rows stay in cache between encoding and the product.
    /// The chunking does not change any score (each is its own chain of fused multiply-adds).
    static let inMemoryChunkRows = 256

    /// Scores rows of a table held in memory with the same encoders, number parser and kernel (``TallProduct``
    /// via ``linearScores(design:rows:into:path:stores:)``) as ``ScoreJob``, so every score is the same bits as
    /// `onecheck score` gives for the same row. The table needs the feature columns, not the id column.
    /// - Parameter rows: table rows to score, in the order wanted; nil for all rows.
    /// - Throws: `TableError` for missing columns and for the first value (in the order of `rows`) that the model
    ///   cannot encode, or whose row's score or points overflows, naming file, line and column.
    /// - Complexity: O(rows · p · H).
    public func scores(of table: CSVTable, rows: [Int]? = nil) throws -> ScoreMatrix {
        let columns = try ModelColumns(model: self, includingID: false, require: table.requireColumns)
        return try scores(TableRows(table: table, selection: rows), columns: columns.features)
    }

    /// Scores every row of a block of a file being streamed (see ``scores(of:rows:)``); `columns` come from the
    /// file's header (``ModelColumns``).
    public func scores(of block: CSVBlock, columns: ModelColumns) throws -> ScoreMatrix {
        try scores(block, columns: columns.features)
    }

    func scores<Rows: ScoringRows>(_ source: Rows, columns: [Int]) throws -> ScoreMatrix {
        let n = source.rowCount, p = designWidth, h = headCount
        let encoder = DesignEncoder(model: self, featureColumns: columns)
        let chunk = Self.inMemoryChunkRows
        var design = [Double](repeating: 0, count: chunk * Swift.max(p, 1))
        var linear = [Double](repeating: 0, count: n * h)
        try design.withUnsafeMutableBufferPointer { d in
            try linear.withUnsafeMutableBufferPointer { l in
                var start = 0
                while start < n {
                    let range = start..<Swift.min(n, start + chunk)
                    try encoder.encode(source, range, into: d.baseAddress!)
                    let out = l.baseAddress! + start * h
                    linearScores(design: d.baseAddress!, rows: range.count, into: out)
                    if let bad = firstNonFinite(out, rows: range.count) {
                        throw encoder.overflowError(source, row: start + bad.row, designRow: d.baseAddress! + bad.row * p,
                                                    head: bad.head, points: bad.points)
                    }
                    start = range.upperBound
                }
            }
        }
        return ScoreMatrix(rowCount: n, heads: heads, linear: linear)
    }
}

/// One head's reason for one row: the code (a feature name, or `<feature>:missing`) and its cost, scaled as
/// written (points below the best for heads with points, else score units), unrounded.
public struct Reason: Sendable, Equatable {
    public let code: String
    public let cost: Double
    public init(code: String, cost: Double) { self.code = code; self.cost = cost }
}

extension CompiledModel {
    /// The reasons of ``ReasonRanking`` for rows of a table held in memory: `result[row][head]`, at most
    /// `ranking.count` each, in rank order — what `onecheck score --reasons` writes, before rounding the costs.
    /// - Precondition: `ranking` was made from this model.
    /// - Throws: as ``scores(of:rows:)``.
    public func reasons(of table: CSVTable, rows: [Int]? = nil, ranking: ReasonRanking) throws -> [[[Reason]]] {
        precondition(ranking.featureCount == encoders.count && ranking.headCount == headCount,
                     "the ranking belongs to another model")
        let columns = try ModelColumns(model: self, includingID: false, require: table.requireColumns)
        let source = TableRows(table: table, selection: rows)
        let n = source.rowCount, p = designWidth, f = encoders.count, k = ranking.count
        let encoder = DesignEncoder(model: self, featureColumns: columns.features)
        var design = [Double](repeating: 0, count: Swift.max(1, n * p))
        var missing = [UInt8](repeating: 0, count: Swift.max(1, n * f))
        try design.withUnsafeMutableBufferPointer { try encoder.encode(source, 0..<n, into: $0.baseAddress!) }
        missing.withUnsafeMutableBufferPointer {
            encoder.missingFlags(source, 0..<n, checks: ranking.missingChecks, featureCount: f, into: $0.baseAddress!)
        }
        var codes = [Int32](repeating: -1, count: k), costs = [Double](repeating: 0, count: k)
        var result: [[[Reason]]] = []
        result.reserveCapacity(n)
        for row in 0..<n {
            var perHead: [[Reason]] = []
            for h in 0..<headCount {
                let found = design.withUnsafeBufferPointer { x in
                    missing.withUnsafeBufferPointer { m in
                        ranking.headWeights.withUnsafeBufferPointer { w in
                            ranking.baselines.withUnsafeBufferPointer { b in
                                ranking.offsets.withUnsafeBufferPointer { o in
                                    ranking.widths.withUnsafeBufferPointer { wd in
                                        codes.withUnsafeMutableBufferPointer { c in
                                            costs.withUnsafeMutableBufferPointer { s in
                                                ranking.rank(design: x.baseAddress! + row * p, missing: m.baseAddress! + row * f,
                                                             head: h, weights: w.baseAddress!, baselines: b.baseAddress!,
                                                             offsets: o.baseAddress!, widths: wd.baseAddress!,
                                                             codes: c.baseAddress!, costs: s.baseAddress!)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                perHead.append((0..<found).map {
                    Reason(code: ranking.codes[Int(codes[$0])], cost: costs[$0] * ranking.costScale[h])
                })
            }
            result.append(perHead)
        }
        return result
    }
}
