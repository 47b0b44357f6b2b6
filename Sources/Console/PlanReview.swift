import Foundation
import Planning
import Synchronization
import Registry
import Supervision
import Tables

/// The plan directories under the console's plans folder (`serve --plans DIR`): each sub-folder holding a
/// `manifest.json`. Found by listing the folder; a request names a directory only by a name from that list.
struct PlanLibrary: Sendable {
    let root: String?
    /// Manifests and reviews read before, by directory, with the manifest's size and modification time: a city's
    /// manifest holds every drawn pair's π (megabytes), so it is parsed once, not per request.
    let cache = PlanCache()

    struct Entry: Sendable {
        var name: String
        var path: String
        var manifest: PlanManifest
        var period: Period { manifest.parameters.period }
        var seed: String { manifest.parameters.seed }
        var frame: FrameCommitment { manifest.frame }
        var manifestPath: String { PlanDirectory(path: path).path(of: PlanDirectory.manifestFile) }

        /// The quota report's agreed and realised checks per department and grade.
        func agreedQuotas(scenario: ScenarioCode? = nil) -> [[String: Any]] {
            guard let table = try? CSVTable.read(path: PlanDirectory(path: path).path(of: PlanDirectory.quotaReportFile)),
                  let d = table.columnIndex(named: "department"), let g = table.columnIndex(named: "grade"),
                  let a = table.columnIndex(named: "agreed_checks"),
                  // planned_checks in a fixed-size (v3) plan's report, realised_checks in a Poisson (v2) one
                  let r = table.columnIndex(named: "planned_checks") ?? table.columnIndex(named: "realised_checks")
            else { return [] }
            return table.rows.map { ["department": $0[d], "grade": $0[g], "agreed": $0[a], "realised": $0[r]] }
        }
    }

    /// Every plan directory found, by name.
    func directories() -> [Entry] {
        guard let root else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().compactMap { name in
            guard StaticFiles.isPlainName(name) else { return nil }
            let path = URL(fileURLWithPath: root).appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            let manifestPath = PlanDirectory(path: path).path(of: PlanDirectory.manifestFile)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                  (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil,
                  let stamp = PlanCache.stamp(manifestPath) else { return nil }
            if let cached = cache.entry(path, stamp: stamp) { return cached }
            guard let manifest = try? PlanDirectory.readManifest(at: manifestPath) else { return nil }
            let entry = Entry(name: name, path: path, manifest: manifest)
            cache.store(entry, stamp: stamp)
            return entry
        }
    }
}

/// The plan directories' manifests and reviews, kept while the manifest file is unchanged.
final class PlanCache: Sendable {
    struct Stamp: Equatable, Sendable {
        var size: Int
        var modified: Date
    }

    private let entries = Mutex<[String: (Stamp, PlanLibrary.Entry)]>([:])
    private let reviews = Mutex<[String: (Stamp, PlanReview)]>([:])

    static func stamp(_ path: String) -> Stamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date else { return nil }
        return Stamp(size: size, modified: modified)
    }

    func entry(_ path: String, stamp: Stamp) -> PlanLibrary.Entry? {
        entries.withLock { $0[path].flatMap { $0.0 == stamp ? $0.1 : nil } }
    }

    func store(_ entry: PlanLibrary.Entry, stamp: Stamp) {
        entries.withLock { $0[entry.path] = (stamp, entry) }
    }

    /// The review of the directory at `path`, read once per manifest version.
    func review(_ path: String, read: () throws -> PlanReview) throws -> PlanReview {
        let stamp = Self.stamp(PlanDirectory(path: path).path(of: PlanDirectory.manifestFile))
        if let stamp, let cached = reviews.withLock({ $0[path].flatMap { $0.0 == stamp ? $0.1 : nil } }) { return cached }
        let review = try read()
        if let stamp { reviews.withLock { $0[path] = (stamp, review) } }
        return review
    }
}

/// The review of a drawn plan, as the planner's page and `report plan` show it: agreed vs realised quotas (bars),
/// inspector workload per department (histogram of checks per inspector), visits saved by joint checks, and the
/// entity–inspector pairs.
public struct PlanReview: Sendable {
    public struct Pair: Sendable {
        public var check: String, entity: String, scenario: String, departments: String, inspectors: String, date: String
    }

    public var period: Period
    public var seed: String
    /// (department/grade, agreed Σπ, realised).
    public var quotas: [(label: String, agreed: Double, realised: Double)]
    /// Per department, how many inspectors have 0, 1, 2, … checks.
    public var workload: [(department: String, histogram: [Int])]
    public var visits: Int
    public var selections: Int
    public var visitsSaved: Int { selections - visits }
    public var pairs: [Pair]

    /// Reads the plan directory at `path` (its files checked against the manifest by `readDraw`).
    /// - Parameter inspectorDepartments: each inspector's department (the roster); inspectors not in it are
    ///   counted under the department of a single-department visit, else under "joint".
    public static func read(path: String, inspectorDepartments: [InspectorID: DepartmentCode] = [:]) throws -> PlanReview {
        let directory = PlanDirectory(path: path)
        let draw = try directory.readDraw()
        var quotas: [(String, Double, Double)] = []
        let report = try CSVTable.read(path: directory.path(of: PlanDirectory.quotaReportFile))
        // The checks drawn: planned_checks in a fixed-size (v3) plan's report, realised_checks in a Poisson (v2) one.
        let drawn = report.columnIndex(named: "planned_checks") == nil ? "realised_checks" : "planned_checks"
        let d = try report.requireColumns(["department", "grade", "agreed_checks", drawn])
        for row in report.rows {
            quotas.append(("\(row[d[0]]) \(row[d[1]])", Double(row[d[2]]) ?? 0, Double(row[d[3]]) ?? 0))
        }
        var load: [InspectorID: Int] = [:]
        var department: [InspectorID: String] = [:]
        var pairs: [Pair] = []
        var selections = 0
        for visit in draw.visits {
            selections += visit.departments.count
            for inspector in visit.inspectors {
                load[inspector, default: 0] += 1
                if department[inspector] == nil {
                    department[inspector] = inspectorDepartments[inspector]?.rawValue
                        ?? (visit.departments.count == 1 ? visit.departments[0].rawValue : "joint")
                }
            }
            pairs.append(Pair(check: visit.checkID, entity: visit.entity.rawValue, scenario: visit.scenario.rawValue,
                              departments: visit.departments.map(\.rawValue).joined(separator: "; "),
                              inspectors: visit.inspectors.map(\.rawValue).joined(separator: "; "),
                              date: visit.date.description))
        }
        // Inspectors of the roster with no check count in bin 0.
        for (inspector, code) in inspectorDepartments where load[inspector] == nil {
            load[inspector] = 0
            department[inspector] = code.rawValue
        }
        var byDepartment: [String: [Int]] = [:]
        for (inspector, checks) in load {
            let key = department[inspector] ?? "joint"
            var bins = byDepartment[key] ?? []
            if bins.count <= checks { bins += Array(repeating: 0, count: checks + 1 - bins.count) }
            bins[checks] += 1
            byDepartment[key] = bins
        }
        return PlanReview(period: draw.period, seed: draw.seed, quotas: quotas,
                          workload: byDepartment.keys.sorted().map { ($0, byDepartment[$0]!) },
                          visits: draw.visits.count, selections: selections, pairs: pairs)
    }

    /// The charts: quotas as bars, one workload histogram per department.
    public func charts(_ language: Language) -> [Chart] {
        var charts = [Chart(.bars, title: Strings.text("plan_quotas", language), labels: quotas.map(\.label),
                            series: [Chart.Series(name: Strings.text("col_agreed", language), values: quotas.map(\.agreed)),
                                     Chart.Series(name: Strings.text("col_realised", language), values: quotas.map(\.realised))],
                            format: { HTML.number($0, decimals: 1) })]
        for (department, histogram) in workload {
            charts.append(Chart(.histogram, title: "\(Strings.text("plan_workload", language)) · \(department)",
                                labels: histogram.indices.map(String.init),
                                series: [Chart.Series(name: Strings.text("col_inspectors", language),
                                                      values: histogram.map(Double.init))]))
        }
        return charts
    }

    /// The template data of `plan_review`, with at most `maxPairs` pairs.
    public func templateData(_ language: Language, maxPairs: Int) -> [String: Any] {
        [
            "period": period.description, "seed": seed, "visitsSaved": visitsSaved,
            "charts": charts(language).map { ["html": $0.html] },
            "pairs": pairs.prefix(maxPairs).map { ["check": $0.check, "entity": $0.entity, "scenario": $0.scenario,
                                                    "departments": $0.departments, "inspectors": $0.inspectors, "date": $0.date] },
            "morePairs": pairs.count > maxPairs, "shownPairs": min(maxPairs, pairs.count), "totalPairs": pairs.count,
        ]
    }
}
