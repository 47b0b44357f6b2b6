import Foundation
import Supervision
import Tables

/// The text of the plan's output files. Every number is written with a fixed rule (shortest round-trip
/// form, or a fixed number of decimals) so the bytes are the same on every machine.
public enum PlanOutputs {
    /// `plan.csv`: `check_id,entity_id,scenario,departments,items,inspectors,date`, lists `;`-separated.
    public static func planCSV(_ plan: Plan) -> String {
        var bytes: [UInt8] = []
        forEachPlanChunk(plan) { rows in rows.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes of ``planCSV(_:)`` in pieces of about `chunkBytes`, for writers and comparers that stream the
    /// file (a city's plan.csv is tens of MB): `body` receives a buffer of whole rows (the first piece starts with
    /// the header) and must consume it before returning.
    /// - Complexity: O(checks); memory O(`chunkBytes`).
    static func forEachPlanChunk(_ plan: Plan, chunkBytes: Int = 1 << 20, _ body: (CSVRowBuffer) throws -> Void) rethrows {
        let rows = CSVRowBuffer(capacity: chunkBytes + 4096)
        rows.appendRow(PlanDirectory.planColumns)
        for check in plan.checks {
            rows.appendField(check.checkID)
            rows.appendField(check.entity.rawValue)
            rows.appendField(check.scenario.rawValue)
            rows.appendField(list(check.departments))
            rows.appendField(list(check.items))
            rows.appendField(list(check.inspectors))
            rows.appendField(check.date.description)
            rows.endRow()
            if rows.count >= chunkBytes {
                try body(rows)
                rows.removeAll()
            }
        }
        if rows.count > 0 { try body(rows) }
    }

    /// `targets.csv`, the public target list: `period,check_id,entity_id,scenario,departments` — no
    /// inspector and no date before the check, no personal data.
    public static func targetsCSV(_ plan: Plan) -> String {
        let period = plan.parameters.period.description
        return csvText(header: ["period", "check_id", "entity_id", "scenario", "departments"],
                       capacity: plan.checks.count * 96) { rows in
            for check in plan.checks {
                rows.appendField(period)
                rows.appendField(check.checkID)
                rows.appendField(check.entity.rawValue)
                rows.appendField(check.scenario.rawValue)
                rows.appendField(list(check.departments))
                rows.endRow()
            }
        }
    }

    /// `quota-report.csv`: agreed versus planned per department × grade, as drawn (before adjustments).
    ///
    /// - ``PlanAlgorithm/poissonV2``: `department,grade,quota,entities,agreed_checks,realised_checks,agreed_ratio,
    ///   realised_ratio,certainty,floored`, `agreed_checks` being `Σ π` (the draw is Poisson).
    /// - ``PlanAlgorithm/paretoV3``: `department,grade,quota,entities,agreed_checks,planned_checks,agreed_ratio,
    ///   planned_ratio,certainty,floored,capped,largest_pi_deviation,shortfall`: the agreed number (`ratio · N`, the
    ///   count or `N`), the checks planned, entities kept out by a yearly cap this quarter, the largest
    ///   `|π − target|` of the stratum, and why fewer checks are planned than agreed (empty when met).
    ///
    /// With `completed` (checks with results per stratum, ``completedChecks(_:inputs:withResults:)``) a
    /// `completed_checks` column follows `planned_checks` (v3) or ends the row (v2): the report `verify
    /// --completed-report` writes once results are in. The plan directory's own report never has it.
    public static func quotaReportCSV(_ plan: Plan, completed: [Stratum: Int]? = nil) -> String {
        guard plan.parameters.algorithm.drawsFixedSizes else { return poissonQuotaReportCSV(plan, completed: completed) }
        let header = ["department", "grade", "quota", "entities", "agreed_checks", "planned_checks"]
            + (completed == nil ? [] : ["completed_checks"])
            + ["agreed_ratio", "planned_ratio", "certainty", "floored", "capped", "largest_pi_deviation", "shortfall"]
        return csvText(header: header) { rows in
            for line in plan.quotaReport {
                let a = line.allocation
                let plannedRatio = a.populationSize == 0 ? 0 : Double(line.realised) / Double(a.populationSize)
                let exact = line.exactness
                rows.appendRow([a.stratum.department.rawValue, a.stratum.grade.label, a.quota.description,
                                "\(a.populationSize)", fixed(a.expectedSampleSize, 4), "\(line.realised)"]
                               + (completed.map { ["\($0[a.stratum] ?? 0)"] } ?? [])
                               + [fixed(a.agreedRatio, 4), fixed(plannedRatio, 4), "\(a.certaintyCount)",
                                  "\(a.flooredCount)", "\(exact?.capped ?? 0)", scientific(exact?.largestDeviation ?? 0),
                                  exact?.shortfall?.description ?? ""])
            }
        }
    }

    /// The checks of `plan` (adjustments applied) whose (department, entity) is in `withResults`, counted per
    /// department × grade stratum of the plan's inputs.
    public static func completedChecks(_ plan: Plan, inputs: PlanInputs, withResults: Set<DirectoryMembership>)
        -> [Stratum: Int] {
        var counts: [Stratum: Int] = [:]
        for check in plan.checks {
            for department in check.departments
            where withResults.contains(DirectoryMembership(department: department, entity: check.entity)) {
                guard let grade = inputs.grade(of: check.entity, department: department) else { continue }
                counts[Stratum(department: department, grade: grade), default: 0] += 1
            }
        }
        return counts
    }

    /// The v2 quota report, byte for byte as plans of ``PlanAlgorithm/poissonV2`` were written.
    static func poissonQuotaReportCSV(_ plan: Plan, completed: [Stratum: Int]? = nil) -> String {
        let header = ["department", "grade", "quota", "entities", "agreed_checks", "realised_checks", "agreed_ratio",
                      "realised_ratio", "certainty", "floored"] + (completed == nil ? [] : ["completed_checks"])
        return csvText(header: header) { rows in
            for line in plan.quotaReport {
                let a = line.allocation
                let realisedRatio = a.populationSize == 0 ? 0 : Double(line.realised) / Double(a.populationSize)
                rows.appendRow([a.stratum.department.rawValue, a.stratum.grade.label, a.quota.description,
                                "\(a.populationSize)", fixed(a.expectedSampleSize, 4), "\(line.realised)",
                                fixed(a.agreedRatio, 4), fixed(realisedRatio, 4), "\(a.certaintyCount)",
                                "\(a.flooredCount)"]
                               + (completed.map { ["\($0[a.stratum] ?? 0)"] } ?? []))
            }
        }
    }

    /// Checks per inspector of each department, from the (possibly adjusted) plan.
    public static func workload(_ plan: Plan, roster: [Inspector]) -> [WorkloadSummary] {
        var load: [InspectorID: Int] = [:]
        for check in plan.checks { for inspector in check.inspectors { load[inspector, default: 0] += 1 } }
        var byDepartment: [DepartmentCode: [Int]] = [:]
        for inspector in roster { byDepartment[inspector.department, default: []].append(load[inspector.id] ?? 0) }
        return byDepartment.keys.sorted().map { department in
            let loads = byDepartment[department]!
            let total = loads.reduce(0, +)
            let mean = Double(total) / Double(loads.count)
            let variance = loads.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(loads.count)
            return WorkloadSummary(department: department, inspectors: loads.count, checks: total,
                                   minimum: loads.min()!, maximum: loads.max()!,
                                   coefficientOfVariation: mean > 0 ? variance.squareRoot() / mean : 0)
        }
    }

    /// `workload.csv`: `department,inspectors,checks,minimum,maximum,mean,cv`.
    public static func workloadCSV(_ plan: Plan, roster: [Inspector]) -> String {
        csvText(header: ["department", "inspectors", "checks", "minimum", "maximum", "mean", "cv"]) { rows in
            for w in workload(plan, roster: roster) {
                rows.appendRow([w.department.rawValue, "\(w.inspectors)", "\(w.checks)", "\(w.minimum)", "\(w.maximum)",
                                fixed(Double(w.checks) / Double(w.inspectors), 2), fixed(w.coefficientOfVariation, 3)])
            }
        }
    }

    /// The short summary printed by `onecheck plan`.
    ///
    /// For a fixed-size plan (``PlanAlgorithm/paretoV3``) it compares the visits with the expected number under
    /// independent draws, gives the largest `|π − target|`, and lists every stratum planned below its agreed size
    /// with the reason.
    public static func summary(_ plan: Plan, roster: [Inspector]) -> String {
        let joint = plan.checks.filter { $0.departments.count > 1 }.count
        let selections = plan.checks.reduce(0) { $0 + $1.departments.count }
        let report = plan.coordination
        let loads = workload(plan, roster: roster)
        let worst = loads.map(\.coefficientOfVariation).max() ?? 0
        let workloadLine = "workload: \(loads.reduce(0) { $0 + $1.inspectors }) inspectors, largest coefficient of "
            + "variation \(fixed(worst, 3))\n"
        guard plan.parameters.algorithm.drawsFixedSizes else {
            return """
                period \(plan.parameters.period): \(plan.checks.count) checks (\(joint) joint) for \(selections) department selections
                visits saved by joint checks: \(selections - plan.checks.count); expected visits \(fixed(report.expectedVisits, 1)) \
                coordinated vs \(fixed(report.expectedIndependentVisits, 1)) with independent draws \
                (\(fixed(report.expectedVisitsSavedVersusIndependent, 1)) saved)

                """ + workloadLine
        }
        let short = plan.quotaReport.filter { $0.exactness?.shortfall != nil }
        var text = "period \(plan.parameters.period): \(plan.checks.count) checks (\(joint) joint) for \(selections) "
            + "department selections; "
            + (short.isEmpty ? "every stratum at its agreed size\n"
                             : "\(plan.quotaReport.count - short.count) of \(plan.quotaReport.count) strata at their agreed size\n")
        text += "visits saved by joint checks: \(selections - plan.checks.count); independent draws would need "
            + "\(fixed(report.expectedIndependentVisits, 1)) visits on average "
            + "(\(fixed(report.expectedIndependentVisits - Double(plan.checks.count), 1)) more)\n"
        if let worstLine = plan.quotaReport.max(by: {
            ($0.exactness?.largestDeviation ?? 0) < ($1.exactness?.largestDeviation ?? 0)
        }) {
            text += "inclusion probabilities: the design's exact π recorded; largest |π − target| "
                + "\(scientific(worstLine.exactness?.largestDeviation ?? 0)) (\(worstLine.allocation.stratum))\n"
        }
        text += workloadLine
        for line in short {
            text += "below the agreed size: \(line.allocation.stratum) (\(line.allocation.quota)): \(line.realised) planned; "
                + "\(line.exactness!.shortfall!)\n"
        }
        return text
    }

    /// `x ≥ 0` in scientific notation with three significant digits (`2.54e-09`, `0` for zero), as C's `%.2e`
    /// in the POSIX locale writes it: the same bytes on every machine.
    public static func scientific(_ x: Double) -> String {
        x == 0 ? "0" : String(format: "%.2e", locale: nil, x)
    }

    /// `x` with `decimals` digits after the point, rounded half away from zero; locale-independent.
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var digits = String(fraction)
        while digits.count < decimals { digits = "0" + digits }
        let sign = x < 0 && scaled > 0 ? "-" : ""
        return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(digits)"
    }

    /// A CSV file's text: `header`, then the rows `fill` appends, each field quoted by ``Tables/CSVRowBuffer``'s
    /// rule (when its UTF-8 bytes hold a comma, quote, CR or LF).
    /// - Parameter capacity: the bytes to reserve (the buffer grows past it when needed).
    static func csvText(header: [String], capacity: Int = 4096, _ fill: (CSVRowBuffer) -> Void) -> String {
        let rows = CSVRowBuffer(capacity: capacity)
        rows.appendRow(header)
        fill(rows)
        return rows.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// A `;`-separated list of keys.
    static func list<Key: DirectoryKey>(_ keys: [Key]) -> String { keys.map(\.rawValue).joined(separator: ";") }
}
