/// What to generate: the number of entities and the seed. Everything else about the city is fixed by the
/// catalogue (``Department``, ``Scenario``, ``District``, ``FeatureSpec``) and the ``TrueModel``.
public struct CityConfiguration: Sendable, Equatable {
    /// Number of entities (rows of `entities.csv`), `1…maximumEntities`.
    public var entities: Int
    /// The city seed: same seed and entity count ⇒ byte-identical files.
    public var seed: UInt64
    /// Entities per parallel work unit. Changes speed and memory only, never the output.
    public var chunkSize: Int

    /// Organisation-code bodies are a permutation of eight decimal digits, so at most 10⁸ distinct codes exist.
    public static let maximumEntities = 100_000_000

    public init(entities: Int, seed: UInt64, chunkSize: Int = 8192) {
        self.entities = entities
        self.seed = seed
        self.chunkSize = Swift.max(1, chunkSize)
    }
}

/// The periods the city's files refer to.
public enum CityCalendar {
    /// Features in `entities.csv` describe each entity at the start of the history window.
    public static let snapshotDate = "2025-01-01"
    /// The quarters covered by `history.csv` (outcomes of checks after the snapshot).
    public static let historyPeriods = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    /// The period the roster's `last_checked` lists refer to (the last history period).
    public static var lastPeriod: String { historyPeriods[historyPeriods.count - 1] }
}
