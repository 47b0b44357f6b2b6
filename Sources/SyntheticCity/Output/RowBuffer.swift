/// Formats the city's CSV rows straight into bytes.
///
/// Why not a general CSV writer here: the city only writes integers, fixed-decimal numbers it has already rounded
/// to integer units, and identifiers it chose itself, so formatting is a few digit loops. Doing it per chunk, in
/// parallel, is what makes a million entities a matter of seconds. Free text (item names) goes through
/// ``appendText(_:)``, which quotes per RFC 4180 when needed.
struct RowBuffer {
    var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func comma() { bytes.append(UInt8(ascii: ",")) }
    @inline(__always) mutating func newline() { bytes.append(UInt8(ascii: "\n")) }

    /// A decimal integer (optional minus sign, no leading zeros).
    mutating func appendInt(_ value: Int64) {
        // Most counts in the city are single digits.
        if value >= 0 && value < 10 { bytes.append(UInt8(ascii: "0") + UInt8(value)); return }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                n += 1
            } while v > 0
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }

    @inline(__always) mutating func appendInt(_ value: Int) { appendInt(Int64(value)) }

    /// `units / 10^decimals` written with exactly `decimals` places (`1234`, 2 → `12.34`; `-5`, 3 → `-0.005`).
    mutating func appendFixed(_ units: Int64, decimals: Int) {
        if decimals == 0 { appendInt(units); return }
        if units < 0 { bytes.append(UInt8(ascii: "-")) }
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let m = units.magnitude
        appendInt(Int64(m / divisor))
        bytes.append(UInt8(ascii: "."))
        var fraction = m % divisor
        var place = divisor / 10
        while place > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / place))
            fraction %= place
            place /= 10
        }
    }

    /// An identifier or number already known to need no quoting (no comma, quote or line break).
    @inline(__always) mutating func appendPlain(_ s: String) { bytes.append(contentsOf: s.utf8) }
    @inline(__always) mutating func appendPlain(_ s: [UInt8]) { bytes.append(contentsOf: s) }

    /// Free text, quoted per RFC 4180 when it contains a comma, a quote or a line break.
    mutating func appendText(_ s: String) {
        let needsQuotes = s.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"")
            || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        guard needsQuotes else { appendPlain(s); return }
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b == UInt8(ascii: "\"") { bytes.append(b) }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A header line from column names.
    mutating func appendHeader(_ names: [String]) {
        for (i, n) in names.enumerated() {
            if i > 0 { comma() }
            appendText(n)
        }
        newline()
    }
}
