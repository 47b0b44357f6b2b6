/// A LAPACK routine's non-zero `info`, turned into a case a caller can match on.
///
/// LAPACK reports `info < 0` for an illegal argument (the |info|-th), and `info > 0` for a numerical failure
/// whose meaning depends on the routine. LAPACKE adds −1010 (work memory) and −1011 (transpose memory).
public enum LAPACKError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Argument number `position` (1-based, LAPACK's numbering) was illegal: a bug in the caller.
    case illegalArgument(routine: String, position: Int)
    /// Cholesky failed: the leading minor of order `order` is not positive definite.
    case notPositiveDefinite(routine: String, order: Int)
    /// A triangular factor has an exact zero at diagonal position `index` (1-based): the matrix is singular.
    case singular(routine: String, index: Int)
    /// Least squares: the triangular factor of A has a zero at `index`, so A does not have full rank.
    case rankDeficient(routine: String, index: Int)
    /// LAPACKE could not allocate working memory.
    case outOfMemory(routine: String)
    /// Operand shapes do not fit the routine.
    case dimensionMismatch(String)

    public var description: String {
        switch self {
        case let .illegalArgument(routine, position):
            return "\(routine): argument \(position) is illegal"
        case let .notPositiveDefinite(routine, order):
            return "\(routine): matrix is not positive definite (leading minor of order \(order))"
        case let .singular(routine, index):
            return "\(routine): matrix is singular (zero pivot at \(index))"
        case let .rankDeficient(routine, index):
            return "\(routine): matrix does not have full rank (zero diagonal at \(index))"
        case let .outOfMemory(routine):
            return "\(routine): out of memory"
        case let .dimensionMismatch(message):
            return message
        }
    }

    /// Maps `info` from `routine` to an error, or nil when `info == 0`.
    /// - Parameter positive: how the routine's `info > 0` is to be read.
    static func check(_ info: Int32, routine: String,
                      positive: (String, Int) -> LAPACKError) throws {
        if info == 0 { return }
        if info == -1010 || info == -1011 { throw LAPACKError.outOfMemory(routine: routine) }
        if info < 0 { throw LAPACKError.illegalArgument(routine: routine, position: Int(-info)) }
        throw positive(routine, Int(info))
    }
}
