/// Why the city could not be generated.
public enum SyntheticCityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The entity count is outside ``CityConfiguration/entityRange``.
    case entityCountOutOfRange(Int)
    /// The jurisdictions asked for do not fit the city (the reason says how).
    case invalidJurisdictions(String)
    /// An output file or directory could not be created, written or renamed.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .entityCountOutOfRange(n):
            return "entity count \(n) is out of range: expected 1…\(CityConfiguration.maximumEntities)"
        case let .invalidJurisdictions(reason):
            return reason
        case let .cannotWrite(path, reason):
            return "\(path): cannot write: \(reason)"
        }
    }
}
