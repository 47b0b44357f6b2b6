import Tables

/// Turns rows into design rows with a compiled model's encoders, and checks the scores that come out: the one
/// implementation behind both ``ScoreJob`` and in-memory scoring (``CompiledModel/scores(of:rows:)``).
///
/// Design rows are written `designWidth` apart, row `i` of a range at `design + (i − range.lowerBound) · p`.
struct DesignEncoder {
    let model: CompiledModel
    /// Per feature, its column in the rows.
    let featureColumns: [Int]

    /// Encodes one feature (column) at a time, so that the encoder is chosen, and its parameters loaded, once per
    /// column and range rather than once per value. Returns false at the first value that does not encode — not
    /// necessarily the first in row order — leaving the design incomplete (``encodeByRows(_:_:into:beforeRow:)``
    /// then finds the first in order).
    @inline(__always)
    func encodeByColumns<Rows: ScoringRows>(_ source: Rows, _ range: Range<Int>,
                                            into design: UnsafeMutablePointer<Double>) -> Bool {
        let p = model.designWidth
        let encoders = model.encoders, offsets = model.designOffsets, columns = featureColumns
        let first = range.lowerBound
        for f in 0..<encoders.count {
            let column = columns[f], out = design + offsets[f] - first &* p
            do throws(EncodingFailure) {
                switch encoders[f] {
                case let .numeric(e):
                    for row in range { try e.encode(try Self.number(source, row, column), into: out + row &* p) }
                case let .binned(e):
                    for row in range { try e.encode(try Self.number(source, row, column), into: out + row &* p) }
                case let .categorical(e):
                    for row in range {
                        let failed = source.withFieldBytes(row: row, column: column) { bytes -> Bool in
                            do { try e.encode(bytes, into: out + row &* p); return false } catch { return true }
                        }
                        if failed { return false }
                    }
                }
            } catch {
                return false
            }
        }
        return true
    }

    /// Encodes row by row, features in model order, and throws at the first value that does not encode, as a
    /// `TableError` naming its file, line and column. `beforeRow` runs first for each row (the job checks the id
    /// there), so an error in it comes before the row's features and after the rows before.
    func encodeByRows<Rows: ScoringRows>(_ source: Rows, _ range: Range<Int>, into design: UnsafeMutablePointer<Double>,
                                         beforeRow: (Int) throws -> Void = { _ in }) throws {
        let p = model.designWidth
        let encoders = model.encoders, offsets = model.designOffsets, columns = featureColumns
        for row in range {
            try beforeRow(row)
            let out = design + (row - range.lowerBound) * p
            for f in 0..<encoders.count {
                let column = columns[f], dest = out + offsets[f]
                do {
                    switch encoders[f] {
                    case let .numeric(e):
                        try e.encode(try Self.number(source, row, column), into: dest)
                    case let .binned(e):
                        try e.encode(try Self.number(source, row, column), into: dest)
                    case let .categorical(e):
                        // The closure returns the failure instead of throwing it: the field accessor is
                        // `rethrows` (untyped), and typed throws across it crash the 6.3 compiler.
                        let failure = source.withFieldBytes(row: row, column: column) { bytes -> EncodingFailure? in
                            do { try e.encode(bytes, into: dest); return nil } catch { return error as? EncodingFailure }
                        }
                        if let failure { throw failure }
                    }
                } catch let failure as EncodingFailure {
                    throw tableError(failure, source: source, row: row, column: column, feature: f)
                }
            }
        }
    }

    /// Encodes `range` of `source`: by columns, which nearly always succeeds, else by rows for the first error.
    func encode<Rows: ScoringRows>(_ source: Rows, _ range: Range<Int>, into design: UnsafeMutablePointer<Double>) throws {
        if !encodeByColumns(source, range, into: design) { try encodeByRows(source, range, into: design) }
    }

    /// Sets `flags[(row − range.lowerBound) · featureCount + f]` to 1 where feature `f`'s value is missing — its
    /// encoder took the missing path — and to 0 elsewhere, for the rows of `range` (already encoded without error).
    /// Only the features of `checks` can be missing without an error; the others are 0.
    func missingFlags<Rows: ScoringRows>(_ source: Rows, _ range: Range<Int>, checks: [ReasonRanking.MissingCheck],
                                         featureCount: Int, into flags: UnsafeMutablePointer<UInt8>) {
        let first = range.lowerBound
        flags.update(repeating: 0, count: range.count * featureCount)
        for check in checks {
            let column = featureColumns[check.feature]
            for row in range {
                let missing: Bool
                switch check.kind {
                case .emptyField:
                    missing = source.withFieldBytes(row: row, column: column) { $0.isEmpty }
                case .number(let nonFinite, let nan):
                    switch source.parseDouble(row: row, column: column) {
                    case .missing: missing = true
                    case let .nonFinite(x): missing = nonFinite || (nan && x.isNaN)
                    default: missing = false
                    }
                }
                flags[(row - first) * featureCount + check.feature] = missing ? 1 : 0
            }
        }
    }

    /// The field as a number for an encoder: `nil` when empty; NaN/Inf passed on for the encoder's policy.
    @inline(__always)
    static func number<Rows: ScoringRows>(_ source: Rows, _ row: Int, _ column: Int) throws(EncodingFailure) -> Double? {
        switch source.parseDouble(row: row, column: column) {
        case let .finite(x): return x
        case let .nonFinite(x): return x
        case .missing: return nil
        case .invalid: throw .notANumber(source.withFieldBytes(row: row, column: column) { String(decoding: $0, as: UTF8.self) })
        }
    }

    private func tableError<Rows: ScoringRows>(_ failure: EncodingFailure, source: Rows, row: Int, column: Int,
                                               feature: Int) -> TableError {
        switch failure {
        case .missingNotAllowed: return source.error(.missingValue, row: row, column: column, expected: failure.expected)
        case .nonFinite: return source.error(.nonFiniteNotAllowed, row: row, column: column, expected: failure.expected)
        case .notANumber: return source.error(.notANumber, row: row, column: column, expected: failure.expected)
        case .log1pDomain: return source.error(.invalidValue, row: row, column: column, expected: failure.expected)
        case .unseenLevel:
            let levels = model.model.features[feature].categorical?.levels ?? []
            return source.error(.unknownCategory, row: row, column: column, expected: TableError.expectedOneOf(levels))
        }
    }

    // MARK: Scores that overflow

    /// The row refused because a head's score or points is not finite, as an error about the feature that
    /// contributes most to that head (a non-finite contribution first), so the message quotes the value to look at.
    /// - Parameters:
    ///   - row: the row in `source`; `designRow` its design values; `head` the head found non-finite.
    func overflowError<Rows: ScoringRows>(_ source: Rows, row: Int, designRow: UnsafePointer<Double>, head: Int,
                                          points: Bool) -> TableError {
        let compiled = model
        var blamed = 0, largest = -1.0
        for f in 0..<compiled.encoders.count {
            var contribution = 0.0
            for c in compiled.designOffsets[f]..<(compiled.designOffsets[f] + compiled.encoders[f].width) {
                contribution += designRow[c] * compiled.weights[c, head]
            }
            let size = contribution.isFinite ? Swift.abs(contribution) : .infinity
            if size > largest { largest = size; blamed = f }
        }
        let name = compiled.heads[head].name
        return source.error(.invalidValue, row: row, column: featureColumns[blamed],
                            expected: "a value for which head \"\(name)\" has \(points ? "finite points" : "a finite score") "
                                + "(here it overflows a double)")
    }
}

extension CompiledModel {
    /// The first of `rows` score rows (`linear[i·H + h]`) whose score or points (for heads with points) is not
    /// finite: its row, head, and whether only the points overflow. Nil when all are finite, which a single pass
    /// of multiplications by zero tells without a branch per value (a non-finite value times 0 is NaN).
    /// - Complexity: O(rows · H).
    func firstNonFinite(_ linear: UnsafePointer<Double>, rows: Int) -> (row: Int, head: Int, points: Bool)? {
        let h = headCount
        var flag = 0.0
        pointsOffsets.withUnsafeBufferPointer { offsets in
            pointsFactors.withUnsafeBufferPointer { factors in
                for i in 0..<rows {
                    let s = linear + i &* h
                    for j in 0..<h { flag += s[j] * 0 + (offsets[j] - factors[j] * s[j]) * 0 }
                }
            }
        }
        if flag == 0 { return nil }
        for i in 0..<rows {
            for j in 0..<h {
                let s = linear[i * h + j]
                if !s.isFinite { return (i, j, false) }
                if !(pointsOffsets[j] - pointsFactors[j] * s).isFinite { return (i, j, true) }
            }
        }
        return nil
    }
}
