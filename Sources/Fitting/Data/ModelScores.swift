import LinearAlgebra
import Scoring
import Tables

/// The linear scores of one head of a model file for every row of a table, computed in memory with the same
/// compiled encoders as `onecheck score` (so the numbers agree), but without needing the id column: evaluation data
/// (say German credit) often has none.
public enum ModelScores {
    /// The head's linear score (event log-odds for a logistic head) per row of `table`.
    /// - Parameter head: the head's name; nil chooses the first head.
    /// - Throws: `ModelError.inputMismatch` for an unknown head, `TableError` for missing columns and for values the
    ///   model cannot encode (not a number, missing, an unseen level), naming file, line and column.
    /// - Complexity: O(rows × design width).
    public static func linearScores(model compiled: CompiledModel, table: CSVTable, head: String? = nil,
                                    modelFile: String = "model") throws -> (head: HeadOutput, scores: [Double]) {
        let model = compiled.model
        let h: Int
        if let head {
            guard let found = compiled.heads.firstIndex(where: { $0.name == head }) else {
                throw ModelError.inputMismatch(file: modelFile, problem: "no head named \(head) (heads: "
                    + compiled.heads.map(\.name).joined(separator: ", ") + ")")
            }
            h = found
        } else {
            h = 0
        }
        let columns = try table.requireColumns(model.features.map(\.inputColumn).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        })
        let columnOf = Dictionary(zip(model.features.map(\.inputColumn), columns), uniquingKeysWith: { a, _ in a })
        let p = compiled.designWidth
        let weights = (0..<p).map { compiled.weights[$0, h] }
        var design = [Double](repeating: 0, count: p)
        var scores: [Double] = []
        scores.reserveCapacity(table.rowCount)
        for (i, row) in table.rows.enumerated() {
            for (f, encoder) in compiled.encoders.enumerated() {
                let column = columnOf[model.features[f].inputColumn]!
                let text = row[column]
                do {
                    try design.withUnsafeMutableBufferPointer { buffer in
                        let dest = buffer.baseAddress! + compiled.designOffsets[f]
                        switch encoder {
                        case let .numeric(e): try e.encode(try number(text), into: dest)
                        case let .binned(e): try e.encode(try number(text), into: dest)
                        case let .categorical(e):
                            var copy = text
                            let failure = copy.withUTF8 { bytes -> EncodingFailure? in
                                do { try e.encode(UnsafeRawBufferPointer(bytes), into: dest); return nil }
                                catch { return error as? EncodingFailure }
                            }
                            if let failure { throw failure }
                        }
                    }
                } catch let failure as EncodingFailure {
                    throw tableError(failure, table: table, row: i, column: column, feature: model.features[f])
                }
            }
            var s = compiled.intercepts[h]
            for c in 0..<p { s += design[c] * weights[c] }
            scores.append(s)
        }
        return (compiled.heads[h], scores)
    }

    private static func number(_ text: String) throws -> Double? {
        switch DecimalParsing.parseDouble(text) {
        case let .finite(x), let .nonFinite(x): return x
        case .missing: return nil
        case .invalid: throw EncodingFailure.notANumber(text)
        }
    }

    private static func tableError(_ failure: EncodingFailure, table: CSVTable, row: Int, column: Int,
                                   feature: ScoringModel.Feature) -> TableError {
        switch failure {
        case .missingNotAllowed: return table.error(.missingValue, row: row, column: column, expected: failure.expected)
        case .nonFinite: return table.error(.nonFiniteNotAllowed, row: row, column: column, expected: failure.expected)
        case .notANumber: return table.error(.notANumber, row: row, column: column, expected: failure.expected)
        case .log1pDomain: return table.error(.invalidValue, row: row, column: column, expected: failure.expected)
        case .unseenLevel:
            return table.error(.unknownCategory, row: row, column: column,
                               expected: TableError.expectedOneOf(feature.categorical?.levels ?? []))
        }
    }
}
