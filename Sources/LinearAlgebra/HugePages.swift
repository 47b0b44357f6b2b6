#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for large buffers.
///
/// A product that streams a large matrix from memory (the tall scoring product, a Newton step's `Xᵀ W X`) is
/// bound by memory bandwidth, and with 4 KiB pages part of that bandwidth goes to page-table walks: a 1.5 GB
/// design spans 375,000 pages, far more than the TLB holds. Linux backs memory with 2 MiB pages when the
/// system's policy (`/sys/kernel/mm/transparent_hugepage/enabled`) is `always`, or when it is `madvise` (the
/// Debian default) and the program asks for them with `madvise(MADV_HUGEPAGE)`. numpy asks the same way for its
/// large arrays.
///
/// The advice must come before the memory is first touched: pages already there stay small until the kernel's
/// background daemon merges them, if it ever does. Reading the same 1.5 GB on two cores, a C probe on this
/// project's 2-core machine measured 2–11 % more bandwidth with the advice (medians of 15, six runs).
///
/// Elsewhere than Linux, or when the kernel has no transparent huge pages, the advice does nothing.
public enum HugePages {
    /// Buffers smaller than this are not advised: they gain little, and the smallest huge page already holds
    /// 2 MiB. (numpy's threshold is the same.)
    public static let minimumByteCount = 4 << 20

    /// The size of a transparent huge page on this system (`hpage_pmd_size`), or 2 MiB when it cannot be read.
    public static let pageSize: Int = {
        #if os(Linux)
        if let file = fopen("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "r") {
            defer { fclose(file) }
            var line = [CChar](repeating: 0, count: 32)
            if fgets(&line, Int32(line.count), file) != nil,
               let size = Int(String(cString: line).filter { $0.isASCII && $0.isNumber }), size > 0 {
                return size
            }
        }
        #endif
        return 2 << 20
    }()

    /// Asks the kernel to back the whole huge pages inside `buffer` with huge pages on their first touch.
    ///
    /// Only the part of `buffer` that covers whole, aligned huge pages is advised; the bytes at either end stay
    /// on small pages, and no memory outside `buffer` is affected. Buffers under ``minimumByteCount`` are left
    /// alone.
    /// - Returns: whether any range was advised (false when the buffer is too small or the call failed).
    @discardableResult
    public static func advise(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        #if os(Linux)
        guard buffer.count >= minimumByteCount, let base = buffer.baseAddress else { return false }
        let start = UInt(bitPattern: base), end = start + UInt(buffer.count), page = UInt(pageSize)
        let first = (start + page - 1) & ~(page - 1), last = end & ~(page - 1)
        guard last > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return false }
        return madvise(pointer, Int(last - first), MADV_HUGEPAGE) == 0
        #else
        return false
        #endif
    }

    /// `count` copies of `value`, in storage advised for huge pages before it is written (when it is large enough).
    /// - Complexity: O(count).
    public static func array(repeating value: Double, count: Int) -> [Double] {
        precondition(count >= 0, "negative count")
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            buffer.initialize(repeating: value)
            initialized = count
        }
    }
}
