import Supervision

// The console's reads: pages and small aggregates, each from one snapshot. Lists are pages; nothing here loads a
// whole table.

/// An entity's record as the planner's entity page shows it.
public struct EntityRecord: Sendable {
    public var entity: Entity
    /// Department grades over periods, by period, then department.
    public var grades: [DepartmentGrade]
    /// The entity's checks (most recent page), with what they found.
    public var checks: [CheckListing]
    /// Findings and disposals of those checks, by check.
    public var findings: [CheckID: [Finding]]
    public var disposals: [CheckID: [Disposal]]
    /// The stored feature fields, with the workspace's feature columns.
    public var featureColumns: [String]
    public var features: StoredFeatures?
}

/// The model as its grades and the recorded findings show it, for one period.
public struct ModelFigures: Sendable {
    public var period: Period
    public var gradeCounts: [GradeCount]
    /// Per department, probabilities counted in ``bins`` bins of [0, 1].
    public var histogram: [DepartmentCode: [Int]]
    public var bins: Int
    /// Deciles of the checked entities by probability: mean probability against the observed problem rate.
    public var calibration: [CalibrationDecile]
}

/// One decile of the calibration: checks ranked by the model's probability.
public struct CalibrationDecile: Sendable, Equatable {
    public var decile: Int
    public var checks: Int
    public var meanProbability: Double
    public var problemRate: Double
}

/// A page of published results as the public sees them on a day (``Workspace/publishedCheckPage(_:asOf:)``).
public struct PublishedCheckPage: Sendable {
    /// The results shown, in check-id order: each with only its penalty records in force.
    public var listings: [CheckListing]
    /// Where the next page starts (the last check of this page, shown or not), nil on the last page.
    public var next: CheckID?
}

extension Workspace {
    /// A page of checks; see ``CheckPageQuery``.
    public func checkPage(_ query: CheckPageQuery) throws -> [CheckListing] {
        try store.read { try $0.checkPage(query) }
    }

    /// A page of published results as the public may see them on `day`, by the disclosure file's rule
    /// (``CheckOutcomes/publicView(records:on:)``): a penalty record repaired or past its maximum publication window
    /// by `day` is left out with its finding, fine and disposal, and a check none of whose records is still in force
    /// is left out altogether. A page may so hold fewer than `query.limit` results while more follow (``next``).
    /// - Complexity: one page query, and for each listed check with a problem or a fine, its findings and their
    ///   records by key (index lookups; never a scan of the period).
    public func publishedCheckPage(_ query: CheckPageQuery, asOf day: CalendarDate) throws -> PublishedCheckPage {
        var query = query
        query.publishedOnly = true
        return try store.read { tx in
            let page = try tx.checkPage(query)
            var shown: [CheckListing] = []
            for var listing in page {
                let outcomes = listing.outcomes
                if outcomes.findings.minor + outcomes.findings.serious > 0 || outcomes.penalties > 0 {
                    let keys = try tx.findings(ofCheck: listing.check.id).map { FindingKey(check: $0.checkId, item: $0.item) }
                    let records = try tx.penaltyRecords(of: keys).values.sorted { $0.key.item.rawValue < $1.key.item.rawValue }
                    guard let visible = outcomes.publicView(records: records, on: day) else { continue }
                    listing.outcomes = visible
                }
                shown.append(listing)
            }
            return PublishedCheckPage(listings: shown, next: page.count == query.limit ? page.last?.check.id : nil)
        }
    }

    /// Every plan, by period, then scenario.
    public func plans() throws -> [ScenarioPlan] { try store.read { try $0.plans() } }

    /// The directory's departments, scenarios and items (small tables), from one snapshot.
    public func catalogue() throws -> (departments: [Department], scenarios: [Scenario], items: [Item]) {
        try store.read { (try $0.departments(), try $0.scenarios(), try $0.items()) }
    }

    /// The check `id` with what it found, or nil.
    public func checkRecord(_ id: CheckID) throws -> (listing: CheckListing, findings: [Finding], disposals: [Disposal])? {
        try store.read { tx in
            guard let recorded = try tx.checks([id])[id] else { return nil }
            let page = try tx.checkPage(CheckPageQuery(period: recorded.period, entity: recorded.check.entity, limit: 500))
            guard let listing = page.first(where: { $0.check.id == id }) else { return nil }
            return (listing, try tx.findings(ofCheck: id), try tx.disposals(ofCheck: id))
        }
    }

    /// The entity page's record; nil for an entity not in the directory.
    /// - Parameter checks: at most this many of the entity's checks, by check id.
    public func entityRecord(_ code: CreditCode, checks limit: Int = 100) throws -> EntityRecord? {
        try store.read { tx in
            guard let entity = try tx.entity(code) else { return nil }
            let checks = try tx.checkPage(CheckPageQuery(entity: code, limit: limit))
            var findings: [CheckID: [Finding]] = [:], disposals: [CheckID: [Disposal]] = [:]
            for listing in checks {
                findings[listing.check.id] = try tx.findings(ofCheck: listing.check.id)
                disposals[listing.check.id] = try tx.disposals(ofCheck: listing.check.id)
            }
            return EntityRecord(entity: entity, grades: try tx.departmentGrades(of: code), checks: checks,
                                findings: findings, disposals: disposals, featureColumns: try tx.featureColumns(),
                                features: try tx.storedFeatures(of: code))
        }
    }

    /// The periods with department grades, oldest first.
    public func gradedPeriods() throws -> [Period] { try store.read { try $0.gradedPeriods() } }

    /// The model page's figures for `period`: grade distribution and probability histogram (from the grade
    /// summaries), and calibration by decile — `calibration` when given (kept by the caller from
    /// ``calibrationDeciles(period:)``), else read now.
    public func modelFigures(period: Period, bins: Int = 20, calibration: [CalibrationDecile]? = nil) throws -> ModelFigures {
        try store.read { tx in
            ModelFigures(period: period, gradeCounts: try tx.gradeCounts(period: period),
                         histogram: try tx.probabilityHistogram(period: period, bins: bins), bins: bins,
                         calibration: try calibration ?? Self.calibrationDeciles(tx, period: period))
        }
    }

    /// Calibration by decile of `period`: its checks with findings recorded, ordered by the department grade's
    /// probability, cut in ten; per decile the mean probability and the share of checks that found a problem.
    /// Reads every such check of the period (a join at city scale); it changes only when checks, findings or
    /// grades are written.
    public func calibrationDeciles(period: Period) throws -> [CalibrationDecile] {
        try store.read { try Self.calibrationDeciles($0, period: period) }
    }

    static func calibrationDeciles(_ tx: any RegistryReader, period: Period) throws -> [CalibrationDecile] {
        let points = try tx.calibrationPoints(period: period).sorted { $0.probability < $1.probability }
        var deciles: [CalibrationDecile] = []
        if !points.isEmpty {
            for d in 0..<10 {
                let lower = points.count * d / 10, upper = points.count * (d + 1) / 10
                guard upper > lower else { continue }
                let slice = points[lower..<upper]
                deciles.append(CalibrationDecile(
                    decile: d + 1, checks: slice.count,
                    meanProbability: slice.reduce(0) { $0 + $1.probability } / Double(slice.count),
                    problemRate: Double(slice.filter(\.foundProblem).count) / Double(slice.count)))
            }
        }
        return deciles
    }

    /// The latest audit sequence number: a cache of derived figures (indicators) keyed by it is current.
    public func latestAuditSeq() throws -> Int64 { try store.read { try $0.latestAuditSeq() } }
}
