/// Why the city could not be generated.
public enum SyntheticCityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The entity count is outside ``CityConfiguration/entityRange``.
    case entityCountOutOfRange(Int)
    /// An output file or directory could not be created, written or renamed.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .entityCountOutOfRange(n):
            return "entity count \(n) is out of range: expected 1…\(CityConfiguration.maximumEntities)"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write: \(reason)"
        }
    }
}
