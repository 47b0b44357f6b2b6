#if canImport(Glibc)
import Glibc
#endif
@_spi(Fuzzing) import Tables

/// What the documented grammar says about `bytes`, with `strtod` for the value of an accepted number:
///
///     number   = [sign] (digits ["." [digits]] | "." digits) [exponent]
///     exponent = ("e" | "E") [sign] digits
///     special  = [sign] ("nan" | "inf" | "infinity")        (case-insensitive)
func reference(_ bytes: [UInt8]) -> ParsedDouble {
    if bytes.isEmpty { return .missing }
    var i = 0
    let negative = bytes[0] == UInt8(ascii: "-")
    if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { i = 1 }
    let word = String(decoding: bytes[i...].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    if word == "nan" { return .nonFinite(.nan) }
    if word == "inf" || word == "infinity" { return .nonFinite(negative ? -.infinity : .infinity) }
    func digits() -> Int {
        let start = i
        while i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 { i += 1 }
        return i - start
    }
    var count = digits()
    if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
        i += 1
        count += digits()
    }
    if count == 0 { return .invalid }
    if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
        i += 1
        if i < bytes.count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) { i += 1 }
        if digits() == 0 { return .invalid }
    }
    if i != bytes.count { return .invalid }
    let value = (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
    return value.isFinite ? .finite(value) : .nonFinite(value)
}

/// Equal results, finite values compared bit for bit (so -0 and 0 differ), NaNs equal to NaNs.
func same(_ a: ParsedDouble, _ b: ParsedDouble) -> Bool {
    switch (a, b) {
    case let (.finite(x), .finite(y)): return x.bitPattern == y.bitPattern
    case let (.nonFinite(x), .nonFinite(y)): return x.isNaN ? y.isNaN : x == y
    case (.missing, .missing), (.invalid, .invalid): return true
    default: return false
    }
}

/// libFuzzer entry: the input is one field. Invariant: the plain parser and the padded (SWAR) path both give
/// what the grammar and `strtod` give, whatever bytes follow the field in the block (here digits, a point and
/// the input's own bytes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecimal(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let expected = reference(bytes)
    let plain = DecimalParsing.parseDouble(UnsafeRawBufferPointer(start: data, count: size))
    guard same(plain, expected) else {
        fatalError("parseDouble(\(bytes)) = \(plain), the grammar and strtod give \(expected)")
    }
    for padding in [Array("9999999999999999".utf8), Array(".999999999999999".utf8), Array((bytes + bytes).prefix(16))] {
        let padded = bytes + padding + [UInt8](repeating: 0x39, count: 16)
        let got = padded.withUnsafeBufferPointer { DecimalParsing.parseDoubleAssumingPadding($0.baseAddress!, count: size) }
        guard same(got, expected) else {
            fatalError("padded parse of \(bytes) followed by \(padding) = \(got), the grammar and strtod give \(expected)")
        }
    }
    return 0
}
