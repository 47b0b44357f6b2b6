/// Why one input value could not be encoded. The caller adds file, line and column.
public enum EncodingFailure: Error, Equatable, Sendable {
    case missingNotAllowed
    case nonFinite
    case log1pDomain(Double)
    case unseenLevel(String)
    case notANumber(String)

    /// The expected form, for the error message shown to the user.
    public var expected: String {
        switch self {
        case .missingNotAllowed: return "a value (this feature has no missing-value policy)"
        case .nonFinite: return "a finite number (NaN and Inf are not allowed for this feature)"
        case .log1pDomain: return "a number greater than -1 (the feature is log1p-transformed)"
        case .unseenLevel: return "one of the levels listed in the model"
        case .notANumber: return "a decimal number like 12.5"
        }
    }
}

/// A feature compiled for the hot path: it writes its design values for one row into a buffer.
///
/// Encoders are immutable and `Sendable`, so worker threads share one compiled model.
public enum FeatureEncoder: Sendable {
    case numeric(NumericEncoder)
    case categorical(CategoricalEncoder)
    case binned(BinnedEncoder)

    /// How many design columns this feature writes.
    public var width: Int {
        switch self {
        case let .numeric(e): return e.indicator ? 2 : 1
        case let .categorical(e): return e.width
        case .binned: return 1
        }
    }

    /// Whether the input column is read as a number (else as a level string).
    public var readsNumber: Bool {
        if case .categorical = self { return false }
        return true
    }
}

/// `x → standardise(clip(log1p?(x)))` with a missing-value policy (see ``ScoringModel/NumericTransform``).
public struct NumericEncoder: Sendable {
    let log1p: Bool
    let clipMin: Double
    let clipMax: Double
    let mean: Double
    let inverseStd: Double
    let imputeValue: Double?
    let indicator: Bool
    let nonFiniteAsMissing: Bool

    init(_ t: ScoringModel.NumericTransform) {
        log1p = t.log1p ?? false
        clipMin = t.clipMin ?? -.infinity
        clipMax = t.clipMax ?? .infinity
        mean = t.mean ?? 0
        inverseStd = t.std.map { 1 / $0 } ?? 1
        imputeValue = t.missing == .impute ? t.imputeValue : nil
        indicator = t.indicator ?? false
        nonFiniteAsMissing = t.nonFiniteAsMissing ?? false
    }

    /// Encodes one value (`nil` = missing) into `out[0]` (and `out[1]`, the missing indicator).
    @inline(__always)
    public func encode(_ raw: Double?, into out: UnsafeMutablePointer<Double>) throws(EncodingFailure) {
        var value = raw
        if let v = value, !v.isFinite {
            guard nonFiniteAsMissing else { throw .nonFinite }
            value = nil
        }
        var isMissing = 0.0
        let x: Double
        if let v = value {
            x = v
        } else {
            guard let impute = imputeValue else { throw .missingNotAllowed }
            x = impute
            isMissing = 1
        }
        var v = x
        if log1p {
            guard v > -1 else { throw .log1pDomain(x) }
            v = _log1p(v)
        }
        v = Swift.min(Swift.max(v, clipMin), clipMax)
        out[0] = (v - mean) * inverseStd
        if indicator { out[1] = isMissing }
    }
}

/// One-hot or WOE encoding of a categorical column.
public struct CategoricalEncoder: Sendable {
    enum Mode: Sendable { case oneHot, woe }
    let mode: Mode
    /// Level bytes, compared as bytes (no Unicode normalisation: the files are the contract).
    let levels: [[UInt8]]
    /// One-hot: the design offset of each level (−1 for the reference level). WOE: unused.
    let slot: [Int]
    let woe: [Double]
    /// One-hot with an unseen bin: its design offset; WOE: ``unseenWoe`` is used instead.
    let unseenSlot: Int?
    let unseenWoe: Double?
    let width: Int
    private let index: [[UInt8]: Int]

    init(_ t: ScoringModel.CategoricalTransform) {
        levels = t.levels.map { Array($0.utf8) }
        switch t.encoding {
        case .oneHot:
            mode = .oneHot
            var s: [Int] = [], next = 0
            for l in t.levels {
                if l == t.reference { s.append(-1) } else { s.append(next); next += 1 }
            }
            slot = s
            unseenSlot = t.unseen == .bin ? next : nil
            width = next + (t.unseen == .bin ? 1 : 0)
            woe = []
            unseenWoe = nil
        case .woe:
            mode = .woe
            slot = []
            woe = t.woe ?? []
            unseenSlot = nil
            unseenWoe = t.unseen == .bin ? (t.unseenWoe ?? 0) : nil
            width = 1
        }
        var idx: [[UInt8]: Int] = [:]
        for (i, l) in levels.enumerated() { idx[l] = i }
        index = idx
    }

    /// The level's position in the model's list, or nil.
    /// - Complexity: O(levels × length) for up to 16 levels (a byte scan beats hashing there), O(length) beyond.
    @inline(__always)
    func lookup(_ bytes: UnsafeRawBufferPointer) -> Int? {
        if levels.count <= 16 {
            for (i, l) in levels.enumerated() where l.count == bytes.count {
                if l.withUnsafeBytes({ $0.elementsEqual(bytes) }) { return i }
            }
            return nil
        }
        return index[Array(bytes)]
    }

    /// Encodes the level in `bytes` (UTF-8, already unquoted) into `out[0..<width]`.
    @inline(__always)
    public func encode(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<Double>) throws(EncodingFailure) {
        let found = lookup(bytes)
        switch mode {
        case .oneHot:
            for j in 0..<width { out[j] = 0 }
            if let i = found {
                let s = slot[i]
                if s >= 0 { out[s] = 1 }
            } else if let u = unseenSlot {
                out[u] = 1
            } else {
                throw .unseenLevel(String(decoding: bytes, as: UTF8.self))
            }
        case .woe:
            if let i = found {
                out[0] = woe[i]
            } else if let u = unseenWoe {
                out[0] = u
            } else {
                throw .unseenLevel(String(decoding: bytes, as: UTF8.self))
            }
        }
    }
}

/// A numeric column cut into bins, each mapped to its WOE (see ``ScoringModel/BinnedTransform``).
public struct BinnedEncoder: Sendable {
    let cuts: [Double]
    let woe: [Double]
    let missingWoe: Double?

    init(_ t: ScoringModel.BinnedTransform) { cuts = t.cuts; woe = t.woe; missingWoe = t.missingWoe }

    /// The bin of `x`: the number of cut points `≤ x` (binary search).
    @inline(__always)
    public func bin(of x: Double) -> Int {
        var lo = 0, hi = cuts.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cuts[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    @inline(__always)
    public func encode(_ raw: Double?, into out: UnsafeMutablePointer<Double>) throws(EncodingFailure) {
        guard let x = raw, !x.isNaN else {
            guard let m = missingWoe else { throw .missingNotAllowed }
            out[0] = m
            return
        }
        out[0] = woe[bin(of: x)]
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// `log1p(x)`, read from a table for the small whole numbers that counts and sizes mostly are.
///
/// The table holds `log1p(k)` computed by the same libm call, so the result is the same bits either way; the
/// table only skips the call, which counts and sizes (whole numbers, mostly small) would otherwise make per value.
@inline(__always) func _log1p(_ x: Double) -> Double {
    // `sign == .plus` keeps −0 (log1p(−0) = −0) on the libm path; NaN fails the comparison.
    if x.sign == .plus && x < Double(Log1pTable.count) {
        let k = Int(x)
        if Double(k) == x { return Log1pTable.values[k] }
    }
    return log1p(x)
}

enum Log1pTable {
    static let count = 4096
    static let values: [Double] = (0..<count).map { log1p(Double($0)) }
}
