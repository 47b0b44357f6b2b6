import Supervision

/// A plan's id: `<period>-<scenario>` for a recorded draw, or the name a plan file gives (`P1`).
///
/// A plan id names a plan *within its period*: the registry keeps one plan per scenario and period, and the same id
/// may name plans of different periods (a department's plan "P1" of every quarter). Compared by UTF-8 bytes.
public struct PlanID: DirectoryKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A check's id: one department's part of one visit (`<planner check id>-<department>` for a recorded draw).
/// Unique in the workspace: findings, disposals and publications are recorded against it.
public struct CheckID: DirectoryKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// How the registry stores a jurisdiction (schema version 6): its code, and `''` for the one implicit jurisdiction
/// of a city without the column — the one rule every write and read of a `jurisdiction` column goes through.
extension Optional where Wrapped == JurisdictionCode {
    /// The stored text: the code, `""` for none.
    var storedText: String { self?.rawValue ?? "" }

    /// The jurisdiction a stored text names: none for `""`.
    init(storedText: String) { self = storedText.isEmpty ? nil : JurisdictionCode(storedText) }
}
