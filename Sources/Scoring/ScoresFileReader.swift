import Foundation
import Tables

/// Reads a scores file (``ScoresFileSchema``) block by block: per row the entity id and, per requested head,
/// the probability and the grade as an index into the labels the caller allows.
///
/// Built for files of millions of rows: it streams ``CSVBlock``s, resolves the columns once, and reads a field
/// only when asked, comparing grade bytes with the labels' bytes (no strings, no dictionaries per row). A value
/// is checked when it is read, so a caller that skips a head for some rows (a department that does not supervise
/// the entity) never trips over that field.
///
///     var reader = try ScoresFileReader(url: scores, requests: [.init(head: "risk_fire", labels: ["A", "B", "C", "D"])])
///     while let block = try reader.nextBlock() {
///         for row in 0..<block.rowCount {
///             let id = block.id(row: row)
///             let p = try block.probability(row: row, request: 0), grade = try block.gradeIndex(row: row, request: 0)
///         }
///     }
public struct ScoresFileReader {
    /// What to read for one head (or the supervision class).
    public struct Request: Sendable, Equatable {
        public enum Source: Sendable, Equatable {
            case head(String)
            /// The `supervision_class` column (no probability).
            case supervisionClass
        }
        public enum Need: Sendable, Equatable {
            /// The column must exist.
            case required
            /// Read when the file has the column.
            case ifPresent
            case ignored
        }
        public var source: Source
        public var probability: Need
        /// The grade labels allowed, lowest risk first; nil: the grade is not read.
        public var labels: [String]?
        /// How many of the head's reasons to read (`<head>_reason_<k>` and its cost, k = 1…reasons; required).
        public var reasons: Int

        /// A head's probability (required unless said otherwise), with `labels` its grade, and its first
        /// `reasons` reasons.
        public init(head: String, probability: Need = .required, labels: [String]? = nil, reasons: Int = 0) {
            source = .head(head); self.probability = probability; self.labels = labels; self.reasons = reasons
        }

        /// The supervision class, with the labels allowed.
        public static func supervisionClass(labels: [String]) -> Request {
            var r = Request(head: "", probability: .ignored, labels: labels)
            r.source = .supervisionClass
            return r
        }

        var probabilityColumn: String? {
            if case let .head(h) = source { return ScoresFileSchema.probabilityColumn(head: h) }
            return nil
        }
        var reasonColumns: [(code: String, cost: String)] {
            guard case let .head(h) = source else { return [] }
            return (0..<reasons).map {
                (ScoresFileSchema.reasonColumn(head: h, rank: $0 + 1), ScoresFileSchema.reasonCostColumn(head: h, rank: $0 + 1))
            }
        }
        var gradeColumn: String {
            if case let .head(h) = source { return ScoresFileSchema.gradeColumn(head: h) }
            return ScoresFileSchema.supervisionClassColumn
        }
    }

    public let fileName: String
    public let header: [String]
    public let requests: [Request]
    private var reader: CSVReader
    private let layout: Layout

    struct Layout: Sendable {
        let id: Int
        /// Per request, the probability column (nil when not read) and the grade column (nil when not read).
        let probability: [Int?]
        let grade: [Int?]
        /// Per request, the allowed labels' UTF-8 bytes.
        let labels: [[[UInt8]]]
        let labelText: [[String]]
        /// Per request, per rank, the reason code column and its cost column.
        let reasons: [[(code: Int, cost: Int)]]
    }

    /// Opens `url` and resolves the columns of `requests`.
    /// - Parameters:
    ///   - idColumn: the id column (the model's; `entity_id` for the city).
    /// - Throws: `TableError` for an unreadable file or missing columns (all listed at once).
    ///   - displayName: the file as errors name it (its last path component by default).
    ///   - byteObserver: sees the file's bytes as they are read (``CSVReader/Options/byteObserver``).
    public init(url: URL, displayName: String? = nil, idColumn: String = "entity_id", requests: [Request],
                blockSize: Int = 8 << 20, byteObserver: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil) throws {
        reader = try CSVReader(path: url.path, displayName: displayName ?? url.lastPathComponent,
                               options: .init(blockSize: blockSize, byteObserver: byteObserver))
        fileName = reader.fileName
        header = reader.header
        self.requests = requests
        var required = [idColumn]
        for r in requests {
            if r.probability == .required, let c = r.probabilityColumn { required.append(c) }
            if r.labels != nil { required.append(r.gradeColumn) }
            for (code, cost) in r.reasonColumns { required += [code, cost] }
        }
        let found = try reader.requireColumns(required)
        let index = Dictionary(zip(required, found), uniquingKeysWith: { first, _ in first })
        let header = reader.header
        layout = Layout(
            id: index[idColumn]!,
            probability: requests.map { r in
                guard r.probability != .ignored, let c = r.probabilityColumn else { return nil }
                return index[c] ?? header.firstIndex(of: c)
            },
            grade: requests.map { $0.labels == nil ? nil : index[$0.gradeColumn] },
            labels: requests.map { ($0.labels ?? []).map { Array($0.utf8) } },
            labelText: requests.map { $0.labels ?? [] },
            reasons: requests.map { r in r.reasonColumns.map { (index[$0.code]!, index[$0.cost]!) } })
    }

    /// Whether request `k`'s probability is read (required, or optional and present).
    public func readsProbability(request k: Int) -> Bool { layout.probability[k] != nil }

    /// The next block of rows, nil at the end of the file.
    /// - Throws: `TableError` for malformed CSV (ragged rows, bad quoting) with file and line.
    public mutating func nextBlock() throws -> ScoresBlock? {
        guard let block = try reader.nextBlock() else { return nil }
        return ScoresBlock(block: block, layout: layout)
    }
}

/// One block of a scores file (``ScoresFileReader``); rows are numbered from 0 within the block.
public struct ScoresBlock: Sendable {
    /// The underlying rows, for a caller's own checks on them (`block.error(…)`).
    public let block: CSVBlock
    let layout: ScoresFileReader.Layout

    public var rowCount: Int { block.rowCount }
    /// The 0-based index, among all rows of the file, of this block's first row.
    public var firstRowIndex: Int { block.firstRowIndex }
    public func lineNumber(ofRow row: Int) -> Int { block.lineNumber(ofRow: row) }
    /// The id column's index, for errors about the id (`block.error(…, column: idColumn, …)`).
    public var idColumn: Int { layout.id }

    /// Calls `body` with the id's UTF-8 bytes (empty when missing); the buffer must not escape.
    @inlinable
    public func withID<R>(row: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try block.withFieldBytes(row: row, column: idColumn, body)
    }

    /// The id as a string.
    public func id(row: Int) -> String { block.string(row: row, column: layout.id) }

    /// Request `k`'s probability on `row`: nil when the request does not read it.
    /// - Throws: `TableError` naming file, line and column when the field is empty or not a number in [0, 1].
    public func probability(row: Int, request k: Int) throws -> Double? {
        guard let column = layout.probability[k] else { return nil }
        if case let .finite(p) = block.parseDouble(row: row, column: column), p >= 0, p <= 1 { return p }
        let kind: TableError.Kind = block.isMissing(row: row, column: column) ? .missingValue : .invalidValue
        throw block.error(kind, row: row, column: column, expected: "a probability in [0, 1]")
    }

    /// Request `k`'s reasons on `row`, in rank order, up to the first empty code (a head with fewer reasons).
    /// - Throws: `TableError` naming file, line and column for a cost that is not a number ≥ 0, or a cost without
    ///   a code (or a code without a cost).
    public func reasons(row: Int, request k: Int) throws -> [Reason] {
        var found: [Reason] = []
        for (code, cost) in layout.reasons[k] {
            let empty = block.isMissing(row: row, column: code)
            if empty {
                if !block.isMissing(row: row, column: cost) {
                    throw block.error(.invalidValue, row: row, column: cost, expected: "an empty cost after an empty reason code")
                }
                break
            }
            guard case let .finite(c) = block.parseDouble(row: row, column: cost), c >= 0 else {
                let kind: TableError.Kind = block.isMissing(row: row, column: cost) ? .missingValue : .invalidValue
                throw block.error(kind, row: row, column: cost, expected: "a reason's cost, a number ≥ 0")
            }
            found.append(Reason(code: block.string(row: row, column: code), cost: c))
        }
        return found
    }

    /// Request `k`'s grade on `row`, as an index into its labels (0 = lowest risk).
    /// - Precondition: request `k` reads the grade (it has labels).
    /// - Throws: `TableError` naming file, line and column, and the labels expected, for an empty field or a label
    ///   outside them.
    public func gradeIndex(row: Int, request k: Int) throws -> Int {
        guard let column = layout.grade[k] else { preconditionFailure("request \(k) does not read a grade") }
        let labels = layout.labels[k]
        let found = block.withFieldBytes(row: row, column: column) { bytes -> Int? in
            for (g, label) in labels.enumerated() where label.count == bytes.count {
                if label.withUnsafeBytes({ $0.elementsEqual(bytes) }) { return g }
            }
            return nil
        }
        if let found { return found }
        let kind: TableError.Kind = block.isMissing(row: row, column: column) ? .missingValue : .unknownCategory
        throw block.error(kind, row: row, column: column,
                          expected: "a grade label, " + TableError.expectedOneOf(layout.labelText[k]))
    }
}
