import Foundation
import GRDB
import Tables

/// What `exportScoringEntities` wrote.
public struct ScoringEntitiesSummary: Equatable, Sendable {
    public var period: String
    public var entities: Int
    /// Entities whose history-derived columns differ from the stored snapshot because the registry holds checks
    /// of theirs before the period.
    public var entitiesWithRegistryHistory: Int
}

extension Workspace {
    /// Days of the `findings_<element>_3y` window.
    public static let findingsWindowDays = 3 * 365
    /// Days of the `credit_penalties_5y` window.
    public static let penaltiesWindowDays = 5 * 365

    /// Writes next period's entities file — `entity_id,district,scenario,<feature columns as imported>` — that
    /// `onecheck score` scores unchanged with the model the city was scored with (e.g. `models/default.json`).
    ///
    /// Static features are the stored text of the imported entities.csv. The history-derived columns, when the
    /// file has them, are brought forward to the first day *s* of `period` from the registry's checks before *s*:
    ///
    /// | column | value |
    /// |---|---|
    /// | `findings_<element>_3y` | stored count + minor or serious findings of that element on checks in [s − 3·365 d, s) |
    /// | `history_days_since_last_check` | s − the last check before s; with no check in the registry, the stored value + (s − the features' snapshot day); empty (never checked) stays empty |
    /// | `credit_penalties_5y` | stored count + findings with a penalty > 0 on checks in [s − 5·365 d, s) |
    ///
    /// Why add to the stored counts instead of recounting: the snapshot's counts come from before the registry
    /// existed; the registry only knows what happened since. (The snapshot's own 3- and 5-year windows are not aged
    /// out — a limit written in the README.) Open disposals and penalties in yuan have no column in the city's
    /// models; they are in `exportFeatures` and drive grades through joint sanctions instead.
    ///
    /// Rows are in credit-code order; the file is written atomically.
    /// - Throws: `RegistryError.invalidArgument` for a period that is not a quarter; `.unknownReference` when no
    ///   entities file with features was imported.
    @discardableResult
    public func exportScoringEntities(period: String, to url: URL) throws -> ScoringEntitiesSummary {
        guard let start = CalendarDate(periodStart: period) else {
            throw RegistryError.invalidArgument(name: "period", value: period, expected: CalendarDate.expectedPeriod)
        }
        return try database.read { db in
            let columns = try String.fetchAll(db, sql: "SELECT name FROM feature_columns ORDER BY position")
            guard !columns.isEmpty else {
                throw RegistryError.unknownReference(table: "feature_columns",
                                                     key: "none: import a city (`onecheck import city DIR`) first")
            }
            let snapshot = try String.fetchOne(db, sql: "SELECT value FROM workspace_settings WHERE key = 'features_as_of'")
                .flatMap { CalendarDate($0) } ?? start
            let history = try RegistryHistory(db: db, start: start)
            let findingsColumn = Dictionary(uniqueKeysWithValues: Element.allCases.compactMap { element in
                columns.firstIndex(of: "findings_\(element.rawValue)_3y").map { ($0, element) }
            })
            let daysColumn = columns.firstIndex(of: "history_days_since_last_check")
            let penaltiesColumn = columns.firstIndex(of: "credit_penalties_5y")

            let writer = try CSVWriterBox(url: url)
            try writer.row(["entity_id", "district", "scenario"] + columns)
            var summary = ScoringEntitiesSummary(period: period, entities: 0, entitiesWithRegistryHistory: 0)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT e.credit_code, e.district, e.scenario, f.feature_values FROM entities e
                JOIN entity_features f ON f.entity = e.credit_code ORDER BY e.credit_code
                """)
            while let row = try rows.next() {
                let code: String = row[0]
                let stored: String = row[3]
                var values = stored.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if let lastCheck = history.lastCheck[code] {
                    summary.entitiesWithRegistryHistory += 1
                    for (column, element) in findingsColumn {
                        values[column] = Self.adding(history.findings[code]?[element] ?? 0, to: values[column])
                    }
                    if let daysColumn { values[daysColumn] = String(start.dayNumber - lastCheck.dayNumber) }
                    if let penaltiesColumn {
                        values[penaltiesColumn] = Self.adding(history.penalties[code] ?? 0, to: values[penaltiesColumn])
                    }
                } else if let daysColumn, let days = Int(values[daysColumn]) {
                    values[daysColumn] = String(days + start.dayNumber - snapshot.dayNumber)
                }
                try writer.row([code, row[1], row[2]] + values)
                summary.entities += 1
            }
            try writer.commit()
            return summary
        }
    }

    /// `count` added to a stored count field (an empty field counts as 0).
    static func adding(_ count: Int, to field: String) -> String {
        if count == 0 { return field }
        if let stored = Int(field) { return String(stored + count) }
        if let stored = Double(field) { return DecimalText.shortest(stored + Double(count)) }
        return String(count)
    }
}

/// The registry's history before a period start, per entity, for `exportScoringEntities`.
private struct RegistryHistory {
    var lastCheck: [String: CalendarDate] = [:]
    var findings: [String: [Element: Int]] = [:]
    var penalties: [String: Int] = [:]

    init(db: Database, start: CalendarDate) throws {
        for row in try Row.fetchAll(db, sql: "SELECT entity, MAX(checked_on) FROM checks WHERE checked_on < ? GROUP BY entity",
                                    arguments: [start.description]) {
            lastCheck[row[0]] = CalendarDate(row[1] as String)
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT c.entity, i.element, COUNT(*) FROM findings f JOIN checks c ON c.id = f.check_id
            JOIN items i ON i.code = f.item
            WHERE f.outcome != 'compliant' AND c.checked_on >= ? AND c.checked_on < ? GROUP BY c.entity, i.element
            """, arguments: [start.adding(days: -Workspace.findingsWindowDays).description, start.description]) {
            findings[row[0], default: [:]][row[1] as Element] = row[2]
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT c.entity, COUNT(*) FROM findings f JOIN checks c ON c.id = f.check_id
            WHERE f.penalty > 0 AND c.checked_on >= ? AND c.checked_on < ? GROUP BY c.entity
            """, arguments: [start.adding(days: -Workspace.penaltiesWindowDays).description, start.description]) {
            penalties[row[0]] = row[1]
        }
    }
}
