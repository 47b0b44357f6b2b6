extension EntityUpsert {
    /// The positions of `entities` in credit-code order, stable (equal codes keep their order, so a repeated
    /// code's last row is written last). Codes are compared as their first 18 bytes packed into integers, the
    /// byte order of the text (`CreditCode` is 18 ASCII characters); any other length falls back to comparing text.
    /// - Complexity: O(n log n) integer comparisons, no allocation per comparison.
    static func keyOrder(_ entities: [EntityUpsert]) -> [Int] {
        var keys: [(UInt64, UInt64, UInt64)] = []
        keys.reserveCapacity(entities.count)
        for (position, upsert) in entities.enumerated() {
            var code = upsert.entity.creditCode.rawValue
            let packed: (UInt64, UInt64, UInt64)? = code.withUTF8 { bytes in
                guard bytes.count == 18 else { return nil }
                var high: UInt64 = 0, low: UInt64 = 0
                for i in 0..<8 { high = high << 8 | UInt64(bytes[i]) }
                for i in 8..<16 { low = low << 8 | UInt64(bytes[i]) }
                let tail = UInt64(bytes[16]) << 8 | UInt64(bytes[17])
                return (high, low, tail << 40 | UInt64(position))
            }
            guard let packed, position < 1 << 40 else {
                return entities.indices.sorted {
                    entities[$0].entity.creditCode < entities[$1].entity.creditCode
                        || (entities[$0].entity.creditCode == entities[$1].entity.creditCode && $0 < $1)
                }
            }
            keys.append(packed)
        }
        keys.sort { $0 < $1 }
        return keys.map { Int($0.2 & (1 << 40 - 1)) }
    }

    /// The positions of the last row of each credit code in `entities`, in credit-code order: what a call writes
    /// when it keeps the last row of a repeated code (PostgreSQL's upserts, where `ON CONFLICT DO UPDATE` may not
    /// touch a row twice in one statement).
    /// - Complexity: that of ``keyOrder(_:)``, then O(n).
    static func lastOfEachKeyInKeyOrder(_ entities: [EntityUpsert]) -> [Int] {
        let order = keyOrder(entities)
        return order.indices.compactMap { i in
            i + 1 < order.count && entities[order[i + 1]].entity.creditCode == entities[order[i]].entity.creditCode
                ? nil : order[i]
        }
    }
}
