/// A dense matrix of `Double` in one contiguous buffer, with an explicit memory layout.
///
/// Element `(i, j)` lives at `i * columns + j` in ``Layout/rowMajor`` storage and at `j * rows + i`
/// in ``Layout/columnMajor`` storage. The leading dimension is always the tight one (no padding), so
/// `storage` can be handed to CBLAS/LAPACKE as is. BLAS and LAPACK wrappers accept either layout and
/// translate it into the corresponding `CblasRowMajor`/`LAPACK_ROW_MAJOR` or column-major call.
///
/// `transposed()` is O(1): it swaps the dimensions and flips the layout without moving elements.
public struct Matrix: Equatable, Sendable {
    /// How elements are laid out in ``storage``.
    public enum Layout: Sendable, Equatable {
        case rowMajor
        case columnMajor

        public var flipped: Layout { self == .rowMajor ? .columnMajor : .rowMajor }
    }

    public private(set) var rows: Int
    public private(set) var columns: Int
    public private(set) var layout: Layout
    /// The elements in ``layout`` order; `storage.count == rows * columns`.
    public var storage: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, layout: Layout = .rowMajor, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.layout = layout
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing storage, which must hold exactly `rows * columns` elements in `layout` order.
    public init(rows: Int, columns: Int, layout: Layout = .rowMajor, storage: [Double]) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        precondition(storage.count == rows * columns,
                     "storage holds \(storage.count) elements, expected \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        self.layout = layout
        self.storage = storage
    }

    /// A row-major matrix from nested rows; all rows must have the same length.
    public init(_ nestedRows: [[Double]]) {
        let columns = nestedRows.first?.count ?? 0
        precondition(nestedRows.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(rows: nestedRows.count, columns: columns, layout: .rowMajor,
                  storage: nestedRows.flatMap { $0 })
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int, layout: Layout = .rowMajor) -> Matrix {
        var m = Matrix(rows: n, columns: n, layout: layout)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// The stride between consecutive rows (row-major) or columns (column-major) in ``storage``.
    @inlinable public var leadingDimension: Int {
        Swift.max(1, layout == .rowMajor ? columns : rows)
    }

    @inlinable func offset(_ i: Int, _ j: Int) -> Int {
        layout == .rowMajor ? i * columns + j : j * rows + i
    }

    public subscript(i: Int, j: Int) -> Double {
        get {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) out of range")
            return storage[offset(i, j)]
        }
        set {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) out of range")
            storage[offset(i, j)] = newValue
        }
    }

    /// The transpose, as a view of the same storage in the opposite layout.
    /// - Complexity: O(1) (the storage buffer is shared copy-on-write).
    public func transposed() -> Matrix {
        Matrix(rows: columns, columns: rows, layout: layout.flipped, storage: storage)
    }

    /// The same matrix with its elements rearranged into `target` layout.
    /// - Complexity: O(rows × columns) when the layout changes, O(1) otherwise.
    public func converted(to target: Layout) -> Matrix {
        if target == layout { return self }
        var out = Matrix(rows: rows, columns: columns, layout: target)
        for i in 0..<rows { for j in 0..<columns { out[i, j] = self[i, j] } }
        return out
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] { (0..<columns).map { self[i, $0] } }
    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] { (0..<rows).map { self[$0, j] } }

    /// Element-wise equality of values regardless of layout.
    public static func == (lhs: Matrix, rhs: Matrix) -> Bool {
        guard lhs.rows == rhs.rows, lhs.columns == rhs.columns else { return false }
        if lhs.layout == rhs.layout { return lhs.storage == rhs.storage }
        for i in 0..<lhs.rows { for j in 0..<lhs.columns where lhs[i, j] != rhs[i, j] { return false } }
        return true
    }

    /// The largest absolute element-wise difference; the matrices must have equal shapes.
    public func maxAbsDifference(_ other: Matrix) -> Double {
        precondition(rows == other.rows && columns == other.columns, "shape mismatch")
        var worst = 0.0
        for i in 0..<rows { for j in 0..<columns { worst = Swift.max(worst, abs(self[i, j] - other[i, j])) } }
        return worst
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        var lines: [String] = []
        for i in 0..<Swift.min(rows, 8) {
            lines.append((0..<Swift.min(columns, 8)).map { "\(self[i, $0])" }.joined(separator: " "))
        }
        return "Matrix \(rows)×\(columns) \(layout)\n" + lines.joined(separator: "\n")
    }
}
