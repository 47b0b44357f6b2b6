import Foundation
import Supervision
import Tables

/// What `exportScoringEntities` wrote.
public struct ScoringEntitiesSummary: Equatable, Sendable {
    public var period: Period
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
    /// | `findings_<element>_3y` | stored count + minor or serious findings of that element on checks in [s − 3·365 d, s) whose penalty record is in force on s |
    /// | `history_days_since_last_check` | s − the last check before s; with no check in the registry, the stored value + (s − the features' snapshot day); empty (never checked) stays empty |
    /// | `credit_penalties_5y` | stored count + findings with a penalty > 0 on checks in [s − 5·365 d, s) whose penalty record is in force on s |
    ///
    /// A record is in force on s when decided by then, not repaired by then and within its maximum publication
    /// window (CREDIT_REPAIR.md): a repaired or expired record no longer raises the next score.
    ///
    /// Why add to the stored counts instead of recounting: the snapshot's counts come from before the registry
    /// existed; the registry only knows what happened since. (The snapshot's own 3- and 5-year windows are not aged
    /// out — a limit written in the README.) Open disposals and penalties in yuan have no column in the city's
    /// models; they are in `exportFeatures` and drive grades through joint sanctions instead.
    ///
    /// Rows are in credit-code order; the file is written atomically.
    /// - Throws: `RegistryError.unknownReference` when no entities file with features was imported.
    @discardableResult
    public func exportScoringEntities(period: Period, to url: URL) throws -> ScoringEntitiesSummary {
        let start = period.firstDay
        return try store.read { tx in
            let columns = try tx.featureColumns()
            guard !columns.isEmpty else {
                throw RegistryError.unknownReference(table: "feature_columns",
                                                     key: "none: import a city (`onecheck import city DIR`) first")
            }
            let snapshot = try tx.setting(.featuresAsOf).flatMap { CalendarDate($0) } ?? start
            let lastCheck = try tx.checkHistory(before: start).mapValues(\.lastCheckedOn)
            // Both counts come from penalty records in force on s (CREDIT_REPAIR.md): minor and serious findings
            // and fined ones are all records.
            var findings: [CreditCode: [Element: Int]] = [:]
            var penalties: [CreditCode: Int] = [:]
            for record in try tx.penaltyRecords(PenaltyRecordSelection(checkedIn: DayRange(
                from: start.adding(days: -max(Self.findingsWindowDays, Self.penaltiesWindowDays)), before: start)))
            where record.isInForce(on: start) {
                let counts = Self.featureCounts(record, periodStart: start)
                if counts.finding { findings[record.entity, default: [:]][record.element, default: 0] += 1 }
                if counts.penalty { penalties[record.entity, default: 0] += 1 }
            }
            let findingsColumn = Element.allCases.compactMap { element in
                columns.firstIndex(of: "findings_\(element.rawValue)_3y").map { ($0, element) }
            }
            let daysColumn = columns.firstIndex(of: "history_days_since_last_check")
            let penaltiesColumn = columns.firstIndex(of: "credit_penalties_5y")

            let writer = try CSVWriter(url: url)
            do {
                try writer.appendRow([EntitiesFile.idColumn, EntitiesFile.districtColumn, EntitiesFile.scenarioColumn]
                                     + columns)
                var summary = ScoringEntitiesSummary(period: period, entities: 0, entitiesWithRegistryHistory: 0)
                let aging = snapshot.days(to: start)
                try tx.forEachStoredFeatures { stored in
                    let code = stored.entity
                    writer.appendField(code.rawValue)
                    writer.appendField(stored.district?.rawValue ?? "")
                    writer.appendField(stored.scenario.rawValue)
                    if let last = lastCheck[code] {
                        summary.entitiesWithRegistryHistory += 1
                        var values = stored.values.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                        for (column, element) in findingsColumn {
                            values[column] = Self.adding(findings[code]?[element] ?? 0, to: values[column])
                        }
                        if let daysColumn { values[daysColumn] = String(last.days(to: start)) }
                        if let penaltiesColumn {
                            values[penaltiesColumn] = Self.adding(penalties[code] ?? 0, to: values[penaltiesColumn])
                        }
                        for value in values { writer.appendField(value) }
                    } else {
                        var values = stored.values
                        if let daysColumn, let range = Self.field(daysColumn, of: values), let days = Int(values[range]) {
                            values.replaceSubrange(range, with: String(days + aging))
                        }
                        // The stored fields, numeric or empty (checked at import), need no quoting: written as they are.
                        values.withUTF8 { writer.appendRawField(UnsafeRawBufferPointer($0)) }
                    }
                    try writer.endRow()
                    summary.entities += 1
                }
                try writer.commit()
                return summary
            } catch {
                writer.abandon()
                throw error
            }
        }
    }

    /// Which of the period's history counts a penalty record checked before the period's first day `start` adds
    /// to, when it is in force on `start`: `findings_<element>_3y` (a minor or serious finding checked in
    /// [start − 3·365 d, start)) and `credit_penalties_5y` (a fine, checked in [start − 5·365 d, start)).
    public static func featureCounts(_ record: PenaltyRecord, periodStart start: CalendarDate) -> (finding: Bool, penalty: Bool) {
        guard record.checkedOn < start else { return (false, false) }
        return (record.outcome.isProblem && record.checkedOn >= start.adding(days: -findingsWindowDays),
                record.penalty > 0 && record.checkedOn >= start.adding(days: -penaltiesWindowDays))
    }

    /// The range of the `index`-th comma-separated field of `text`, or nil when it has fewer fields.
    /// - Complexity: O(length of `text`).
    static func field(_ index: Int, of text: String) -> Range<String.Index>? {
        var start = text.utf8.startIndex, field = 0
        var position = start
        while position < text.utf8.endIndex {
            if text.utf8[position] == UInt8(ascii: ",") {
                if field == index { return start..<position }
                field += 1
                start = text.utf8.index(after: position)
            }
            position = text.utf8.index(after: position)
        }
        return field == index ? start..<position : nil
    }

    /// `count` added to a stored count field (an empty field counts as 0).
    static func adding(_ count: Int, to field: String) -> String {
        if count == 0 { return field }
        if let stored = Int(field) { return String(stored + count) }
        if let stored = Double(field) { return DecimalText.shortest(stored + Double(count)) }
        return String(count)
    }
}
