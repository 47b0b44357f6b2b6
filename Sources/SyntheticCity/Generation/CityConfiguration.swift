import Supervision

/// What to generate: the number of entities and the seed. Everything else about the city is fixed by the
/// catalogue (``CityCatalogue``, ``FeatureSpec``) and the ``TrueModel``.
public struct CityConfiguration: Sendable, Equatable {
    /// Number of entities (rows of `entities.csv`), in ``entityRange``.
    public var entities: Int
    /// The city seed: same seed and entity count ⇒ byte-identical files.
    public var seed: UInt64
    /// Entities per parallel work unit (at least 1). Changes speed and memory only, never the output.
    public var chunkSize: Int
    /// The number of jurisdictions the city is split into (``CityJurisdictions``), 1…min(entities, 9,999); nil
    /// writes no `jurisdiction` column (the files of earlier builds, byte for byte).
    public var jurisdictions: Int?
    /// With ``jurisdictions``: write only this jurisdiction's rows (its entities, their history and credit events,
    /// its roster and quotas) — the rows of the whole city's files that carry its code.
    public var onlyJurisdiction: JurisdictionCode?

    /// Organisation-code bodies are a permutation of eight decimal digits, so at most 10⁸ distinct codes exist.
    public static let maximumEntities = 100_000_000

    /// The entity counts the generator accepts.
    public static let entityRange = 1...maximumEntities

    /// A `chunkSize` below 1 is taken as 1.
    public init(entities: Int, seed: UInt64, chunkSize: Int = 8192, jurisdictions: Int? = nil,
                onlyJurisdiction: JurisdictionCode? = nil) {
        self.entities = entities
        self.seed = seed
        self.chunkSize = Swift.max(1, chunkSize)
        self.jurisdictions = jurisdictions
        self.onlyJurisdiction = onlyJurisdiction
    }

    /// The city's jurisdictions, when it is split.
    public var layout: CityJurisdictions? {
        jurisdictions.map { CityJurisdictions(count: $0, entities: entities) }
    }

    /// - Throws: ``SyntheticCityError/entityCountOutOfRange(_:)`` when ``entities`` is outside ``entityRange``;
    ///   ``SyntheticCityError/invalidJurisdictions(_:)`` for a jurisdiction count outside 1…min(entities, 9,999),
    ///   or a single jurisdiction asked for without a count or not among the city's codes.
    public func validate() throws {
        guard Self.entityRange.contains(entities) else { throw SyntheticCityError.entityCountOutOfRange(entities) }
        if let count = jurisdictions {
            guard count >= 1, count <= Swift.min(entities, CityJurisdictions.maximumCount) else {
                throw SyntheticCityError.invalidJurisdictions(
                    "\(count) jurisdictions: expected 1…\(Swift.min(entities, CityJurisdictions.maximumCount)) (at most one per entity)")
            }
            if let only = onlyJurisdiction, layout?.index(of: only) == nil {
                throw SyntheticCityError.invalidJurisdictions(
                    "jurisdiction \(only.rawValue.prefix(80)) is not one of the city's: expected \(layout!.code(0))…\(layout!.code(count - 1))")
            }
        } else if onlyJurisdiction != nil {
            throw SyntheticCityError.invalidJurisdictions("a single jurisdiction needs the number of jurisdictions")
        }
    }
}

/// The dates and periods the city's files refer to.
public enum CityCalendar {
    /// Features in `entities.csv` describe each entity at the start of the history window.
    public static let snapshotDate = CalendarDate(year: 2025, month: 1, day: 1)!
    /// The quarters covered by `history.csv` (outcomes of checks after the snapshot), in order.
    public static let historyPeriods: [Period] = (1...4).map { Period(year: 2025, quarter: $0)! }
    /// The period the roster's `last_checked` lists refer to (the last history period).
    public static var lastPeriod: Period { historyPeriods[historyPeriods.count - 1] }
}
