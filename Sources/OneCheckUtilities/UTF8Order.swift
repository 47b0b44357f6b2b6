#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StringProtocol {
    /// Whether `self` sorts before `other` by their UTF-8 bytes: the order every output of the project uses, the
    /// same on every machine and locale (unlike `<` on `String`, which compares Unicode canonical equivalents).
    ///
    /// Contiguous UTF-8 (native strings and their substrings) is compared with `memcmp` — unsigned bytes, then the
    /// shorter first, exactly the order of `utf8.lexicographicallyPrecedes`, which is the fallback (bridged or
    /// other non-contiguous storage) and which a sort of millions of ids spent most of its time in, byte by byte.
    @inline(__always)
    package func utf8Precedes<S: StringProtocol>(_ other: S) -> Bool {
        let compared: Bool?? = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in
                let common = Swift.min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order != 0 ? order < 0 : a.count < b.count
            }
        }
        if let compared, let result = compared { return result }
        return utf8.lexicographicallyPrecedes(other.utf8)
    }
}
