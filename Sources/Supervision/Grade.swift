/// A credit-risk grade (信用风险分类), A (lowest risk) to D (highest): the strata of the sampling quotas and the
/// classes of differentiated supervision.
///
/// Ordered by risk, so `max` of two grades is the riskier one; never compare the labels as strings.
/// `Codable` as its one-letter label.
public enum Grade: Int, CaseIterable, Comparable, Hashable, Sendable, CustomStringConvertible, Codable {
    case a = 0, b, c, d

    /// The grade labelled `label` (`"A"` … `"D"`), or nil.
    public init?(label: some StringProtocol) {
        guard label.utf8.count == 1, let byte = label.utf8.first, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "D")
        else { return nil }
        self.init(rawValue: Int(byte - UInt8(ascii: "A")))
    }

    /// `"A"` … `"D"`.
    public var label: String { Self.labels[rawValue] }

    /// The labels in risk order, as written in files.
    public static let labels = ["A", "B", "C", "D"]

    /// The expected form, phrased to follow "expected" in error messages.
    public static let expectedForm = "a grade A, B, C or D"

    /// The grade `steps` classes riskier, stopping at D (joint sanctions raise an entity one class; D stays D).
    /// - Precondition: `steps >= 0`.
    public func raised(by steps: Int = 1) -> Grade {
        precondition(steps >= 0, "a grade is raised by a non-negative number of classes")
        return Grade(rawValue: Swift.min(rawValue + steps, Grade.d.rawValue))!
    }

    public static func < (a: Grade, b: Grade) -> Bool { a.rawValue < b.rawValue }

    public var description: String { label }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let grade = Grade(label: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not \(Self.expectedForm)")
        }
        self = grade
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(label)
    }
}
