/// How many units of a stratum a department agreed to check in a period.
///
/// JSON form: `{"ratio": 0.05}`, `{"count": 12}` or `{"census": true}` — exactly one key.
public enum Quota: Sendable, Equatable, Hashable, Codable {
    /// A sampling ratio in `[0, 1]` of the stratum's units.
    case ratio(Double)
    /// A fixed number of units.
    case count(Int)
    /// Every unit, with certainty (e.g. "grade D is always checked").
    case census

    private enum CodingKeys: String, CodingKey { case ratio, count, census }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a quota has exactly one of the keys ratio, count, census"))
        }
        switch key {
        case .ratio: self = .ratio(try container.decode(Double.self, forKey: .ratio))
        case .count: self = .count(try container.decode(Int.self, forKey: .count))
        case .census:
            guard try container.decode(Bool.self, forKey: .census) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .census, in: container, debugDescription: "census must be true when present")
            }
            self = .census
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .ratio(ratio): try container.encode(ratio, forKey: .ratio)
        case let .count(count): try container.encode(count, forKey: .count)
        case .census: try container.encode(true, forKey: .census)
        }
    }

    /// The integer sample size for a stratum of `population` units: a ratio is rounded to the nearest
    /// integer, halves away from zero (`0.05 · 30 = 1.5 → 2`), so the realised ratio can differ from the
    /// agreed one by at most `1 / (2N)`; the quota report shows both.
    ///
    /// - Throws: ``QuotaError`` for a ratio outside `[0, 1]` or a negative count.
    public func sampleSize(population: Int) throws -> Int {
        switch self {
        case let .ratio(ratio):
            guard ratio.isFinite, ratio >= 0, ratio <= 1 else { throw QuotaError.invalidRatio(ratio) }
            return Int((ratio * Double(population)).rounded(.toNearestOrAwayFromZero))
        case let .count(count):
            guard count >= 0 else { throw QuotaError.negativeCount(count) }
            return count
        case .census:
            return population
        }
    }
}

/// A stratum: one department's units of one credit grade.
public struct Stratum: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let department: String
    public let grade: String

    public init(department: String, grade: String) {
        self.department = department
        self.grade = grade
    }

    /// Byte-wise UTF-8 order of department, then grade: the same on every machine and locale.
    public static func < (lhs: Stratum, rhs: Stratum) -> Bool {
        if lhs.department != rhs.department {
            return lhs.department.utf8.lexicographicallyPrecedes(rhs.department.utf8)
        }
        return lhs.grade.utf8.lexicographicallyPrecedes(rhs.grade.utf8)
    }

    public var description: String { "\(department)/\(grade)" }
}

/// Bad quota values.
public enum QuotaError: Error, Equatable, CustomStringConvertible {
    case invalidRatio(Double)
    case negativeCount(Int)

    public var description: String {
        switch self {
        case let .invalidRatio(ratio): return "sampling ratio \(ratio); expected a number in [0, 1]"
        case let .negativeCount(count): return "quota count \(count); expected an integer ≥ 0"
        }
    }
}
