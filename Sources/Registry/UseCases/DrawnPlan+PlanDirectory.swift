import Foundation
import Planning
import Supervision

extension Workspace {
    /// Records the output directory of `onecheck plan` as the period's draw; see ``recordDraw(_:auditTime:)``.
    ///
    /// The directory is read by its producer's contract (`Planning.PlanDirectory`): the manifest's format, and every
    /// other file against the SHA-256 digest the manifest records, so a hand-edited plan.csv is refused before
    /// anything is written (and cannot lock out the real draw by being recorded first).
    /// - Throws: `PlanDirectoryError` (missing, changed or unrecorded files, an old manifest format), `TableError`
    ///   (plan.csv, manifest.json, inclusion.csv), and what `recordDraw` throws.
    /// - Parameter user: the console account locking the draw, for the audit log ("" for the command line).
    @discardableResult
    public func importDraw(planDirectory directory: URL, auditTime: String? = nil, user: String = "") throws
        -> DrawImportSummary {
        let draw = try PlanDirectory(path: directory.path).readDraw()
        return try recordDraw(DrawnPlan(draw, source: directory.lastPathComponent), auditTime: auditTime, user: user)
    }
}

extension DrawnPlan {
    /// The draw a plan directory holds, with the located errors of its plan.csv.
    public init(_ draw: RecordedDraw, source: String) {
        var inclusion: [DirectoryMembership: Double] = [:]
        for visit in draw.visits {
            for department in visit.departments {
                if let pi = draw.inclusion.probability(department: department, entity: visit.entity) {
                    inclusion[DirectoryMembership(department: department, entity: visit.entity)] = pi
                }
            }
        }
        self.init(period: draw.period, seed: draw.seed, jurisdiction: draw.jurisdiction, visits: draw.visits.map {
                      Visit(checkID: $0.checkID, entity: $0.entity, scenario: $0.scenario, departments: $0.departments,
                            inspectors: $0.inspectors, date: $0.date, line: $0.line)
                  }, inclusion: inclusion, source: source, file: draw.planFile,
                  columns: Dictionary(uniqueKeysWithValues: Field.allCases.compactMap { field in
                      draw.planHeader.firstIndex(of: field.rawValue).map { (field, $0) } }),
                  inclusionSource: draw.manifest.format.inclusionInManifest ? PlanDirectory.manifestFile
                      : PlanDirectory.inclusionFile)
    }
}
