extension StringProtocol {
    /// Whether `self` sorts before `other` by their UTF-8 bytes: the order every output of the project uses, the
    /// same on every machine and locale (unlike `<` on `String`, which compares Unicode canonical equivalents).
    @inline(__always)
    package func utf8Precedes<S: StringProtocol>(_ other: S) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }
}
