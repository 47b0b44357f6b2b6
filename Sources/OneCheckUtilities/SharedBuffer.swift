/// Raw memory shared by the tasks of one parallel computation: the one place OneCheck hands an unsafe pointer
/// across threads.
///
/// Contract, which every user must keep (it is what makes the `Sendable` claim true):
/// - While tasks run, each element is written by at most one task, and an element that some task writes is
///   read by no other task (disjoint writes; shared reads only of memory nobody writes).
/// - The memory outlives every task that uses it, and the tasks' writes are read only after they have all
///   ended (`concurrentMap` and `DispatchQueue.concurrentPerform` return only then, which orders the accesses).
/// - Memory published read-only (a block of a CSV file after its scan, a design matrix during a fit) is not
///   written again while any holder of the buffer may read it.
///
/// It is deliberately nothing more than a pointer: no ownership, no bounds. The owner allocates and frees.
// Invariant: the contract above; every use states which part it relies on.
@usableFromInline
package struct SharedBuffer<Element>: @unchecked Sendable {
    /// The first element.
    @usableFromInline package let base: UnsafeMutablePointer<Element>

    /// Shares `base` under the contract above.
    @inlinable package init(_ base: UnsafeMutablePointer<Element>) { self.base = base }

    /// Shares memory the tasks only read.
    @inlinable package init(readOnly base: UnsafePointer<Element>) { self.base = UnsafeMutablePointer(mutating: base) }

    /// Shares a buffer's memory; an empty buffer without storage is refused.
    @inlinable package init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        guard let base = buffer.baseAddress else { preconditionFailure("SharedBuffer of a buffer without storage") }
        self.base = base
    }

    /// Shares a read-only buffer's memory; an empty buffer without storage is refused.
    @inlinable package init(readOnly buffer: UnsafeBufferPointer<Element>) {
        guard let base = buffer.baseAddress else { preconditionFailure("SharedBuffer of a buffer without storage") }
        self.base = UnsafeMutablePointer(mutating: base)
    }

    /// The element at `offset` from `base`; the caller keeps it inside the allocation.
    @inlinable package subscript(offset: Int) -> Element {
        get { base[offset] }
        nonmutating set { base[offset] = newValue }
    }
}
