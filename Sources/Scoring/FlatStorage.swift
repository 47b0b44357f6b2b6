/// The plain memory behind the scoring hot path's plans (``HeadFormatPlan``, ``ReasonFormatPlan``): arrays copied
/// once into buffers that the per-row code reads without reference counting. The plans own the buffers and
/// deallocate them in `deinit`.
enum FlatStorage {
    /// A buffer holding a copy of `values` (allocated with room for at least one element, so its base address is
    /// never nil); the caller deallocates it.
    static func copy<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
        _ = buffer.initialize(from: values)
        return UnsafeMutableBufferPointer(rebasing: buffer[..<values.count])
    }
}
