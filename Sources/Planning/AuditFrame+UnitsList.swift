import Tables

extension AuditFrame {
    /// The frame of a units list file: a header `id,size` (π proportional to size, capped at 1, Σπ = `sampleSize`)
    /// or `id,pi` (π given; their sum must be a whole number, and `sampleSize` when given); ids unique and not
    /// empty, sizes ≥ 0, π in [0, 1]. Rows in any order.
    /// - Throws: `TableError` naming file, line, column, value and expected form for a bad row;
    ///   ``AuditInputError`` for a list that parses but cannot be sampled (an infeasible n, Σπ not a whole number).
    public init(unitsList path: String, sampleSize: Int?) throws {
        let table = try CSVTable.read(path: path, displayName: path)
        let measure: Measure
        if table.columnIndex(named: "size") != nil {
            measure = .size
        } else if table.columnIndex(named: "pi") != nil {
            measure = .pi
        } else {
            throw TableError(.missingColumns(["size"]), file: table.fileName, line: table.headerLine,
                             expected: "a header id,size or id,pi")
        }
        let columns = try table.requireColumns(["id", measure.rawValue])
        let ids = try table.strings(named: "id")
        let values = try table.doubles(named: measure.rawValue)
        var firstLine: [String: Int] = [:]
        for row in 0..<table.rowCount {
            let id = ids[row]
            guard !id.isEmpty else {
                throw table.error(.missingValue, row: row, column: columns[0], expected: "a unit id")
            }
            if let line = firstLine[id] {
                throw table.error(.duplicateKey(firstLine: line), row: row, column: columns[0], expected: "unique unit ids")
            }
            firstLine[id] = table.lineNumbers[row]
            switch measure {
            case .size where values[row] < 0:
                throw table.error(.invalidValue, row: row, column: columns[1], expected: "a size ≥ 0")
            case .pi where values[row] < 0 || values[row] > 1:
                throw table.error(.invalidValue, row: row, column: columns[1], expected: "an inclusion probability in [0, 1]")
            default:
                continue
            }
        }
        do {
            try self.init(ids: ids, values: values, measure: measure, sampleSize: sampleSize)
        } catch {
            throw AuditInputError(file: path, reason: error)
        }
    }

    /// How well selection counts over `replicates` seeded draws match π: Pearson's X² of the counts against
    /// `replicates · π` over the units with 0 < π < 1, its degrees of freedom (cells − 1), the upper-tail p-value
    /// and the largest |z| of a unit; nil when fewer than two units are uncertain (every draw is then the same).
    public func goodnessOfFit(counts: [Int], replicates: Int) -> GoodnessOfFit? {
        let r = Double(replicates)
        var pearson = 0.0, maxZ = 0.0, cells = 0
        for (count, pi) in zip(counts, design.probabilities) where pi > 0 && pi < 1 {
            let expected = r * pi, deviation = Double(count) - expected
            pearson += deviation * deviation / expected
            maxZ = max(maxZ, abs(deviation) / (expected * (1 - pi)).squareRoot())
            cells += 1
        }
        guard cells > 1 else { return nil }
        let df = cells - 1
        return GoodnessOfFit(replicates: replicates, pearson: pearson, degreesOfFreedom: df,
                             pValue: ChiSquaredDistribution(degreesOfFreedom: Double(df)).survivalProbability(pearson),
                             maxZ: maxZ)
    }

    /// Selection counts against π (``goodnessOfFit(counts:replicates:)``).
    public struct GoodnessOfFit: Sendable, Equatable {
        public let replicates: Int
        /// Pearson's X².
        public let pearson: Double
        public let degreesOfFreedom: Int
        /// P(X² ≥ `pearson`) under the design.
        public let pValue: Double
        /// The largest |count − R·π| / √(R·π·(1 − π)) over the uncertain units.
        public let maxZ: Double
    }
}

/// A units list that parses but cannot be sampled (an infeasible n, Σπ not a whole number, …), with its file.
public struct AuditInputError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: any Error
    public var description: String { "\(file): \(reason)" }
}
