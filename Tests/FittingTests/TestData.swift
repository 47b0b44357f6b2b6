import Foundation
import LinearAlgebra
import Fitting
import TestSupport

/// A reader for the headerless, purely numeric reference files (`X_nohdr.csv`): `CSVTable` needs a header row.
enum NumericCSV {
    /// Rows of comma-separated doubles.
    static func read(_ relativePath: String) throws -> [[Double]] {
        let text = try String(contentsOf: try SharedData.url(relativePath), encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).enumerated().map { line, row in
            try row.split(separator: ",").enumerated().map { column, field in
                guard let value = Double(field.trimmingCharacters(in: .whitespaces)) else {
                    throw Bad(description: "\(relativePath):\(line + 1):\(column + 1): '\(field)' is not a number")
                }
                return value
            }
        }
    }

    static func matrix(_ relativePath: String) throws -> Matrix { Matrix(try read(relativePath)) }
    static func vector(_ relativePath: String) throws -> [Double] { try read(relativePath).map { $0[0] } }

    struct Bad: Error, CustomStringConvertible { let description: String }
}

/// The German credit reference design (1000 × 49, intercept first) and outcome.
enum GermanCreditReference {
    static let directory = "german-credit/reference/"
    static func design() throws -> Matrix { try NumericCSV.matrix(directory + "X_nohdr.csv") }
    static func outcome() throws -> [Double] { try NumericCSV.vector(directory + "y_nohdr.csv") }
    static func columnNames() throws -> [String] {
        try String(contentsOf: try SharedData.url(directory + "columns.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
    }
    /// 0-based rows of the train and test sets of `split_seed186.csv`.
    static func split() throws -> (train: [Int], test: [Int]) {
        let path = try SharedData.url("german-credit/split_seed186.csv").path
        return (try TrainingSplit.rows(path: path, set: "train", dataRows: 1000),
                try TrainingSplit.rows(path: path, set: "test", dataRows: 1000))
    }
}

extension Matrix {
    /// The given rows, row-major.
    func selecting(rows indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        for (r, i) in indices.enumerated() { for j in 0..<columns { out[r, j] = self[i, j] } }
        return out
    }
}
