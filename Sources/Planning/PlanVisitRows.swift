import Foundation
import Supervision
import Tables

/// The rows of a plan.csv parsed without π, so that the file can be parsed while inclusion.csv is read on another
/// thread; ``checked(against:manifest:)`` then applies the π rule and reports errors in the order one pass
/// over the rows with π at hand would.
struct PlanVisitRows: Sendable {
    var visits: [RecordedDraw.Visit] = []
    /// Each visit's departments field as written (same positions as `visits`), for the π rule's error.
    var departmentFields: [String] = []
    var header: [String] = []
    /// The first malformed row's error; the visits before it are kept (their π is still to be checked).
    var failure: TableError?
    /// The malformed row's visit as far as it was read, when its error came after its departments (whose π rule
    /// comes first in that row).
    var failedVisit: (entity: EntityID, departments: [DepartmentCode], field: String, line: Int)?
    let displayName: String

    /// Parses plan.csv at `source` (named `displayName` in errors); a malformed row ends the parse and is kept in
    /// ``failure``, not thrown.
    ///
    /// Department and item lists repeat across a plan's visits (one list per scenario and set of departments),
    /// so each distinct field text is split once and its codes shared by the visits that name it.
    /// - Throws: only what is not a row's error (the file cannot be opened, its header lacks a column).
    init(source: String, displayName: String, period: Period) throws {
        self.displayName = displayName
        var keys = KeyLines<String>()
        var departmentLists: [String: [DepartmentCode]] = [:]
        var itemLists: [String: [ItemCode]] = [:]
        var visits: [RecordedDraw.Visit] = [], fields: [String] = []
        var header: [String] = []
        var current: (entity: EntityID, departments: [DepartmentCode], field: String, line: Int)?
        do {
            _ = try CityTableFile(url: URL(fileURLWithPath: source), displayName: displayName,
                                  required: PlanDirectory.planColumns)
                .forEachRow(header: { header = $0 }) { r in
                    current = nil
                    let checkID = try r.required("check_id", expected: "a check id <period>-<entity id>")
                    try keys.claim(checkID, row: r, column: "check_id")
                    let entity = EntityID(try r.required("entity_id", expected: "an entity id"))
                    guard checkID == PlannedCheck.id(period: period, entity: entity) else {
                        throw r.fail("check_id", .invalidValue, expected: PlannedCheck.id(period: period, entity: entity))
                    }
                    let scenario = ScenarioCode(try r.required("scenario", expected: "a scenario code"))
                    let departmentField = r.text("departments")
                    let departments = Self.codes(departmentField, cache: &departmentLists, DepartmentCode.init)
                    guard !departments.isEmpty else {
                        throw r.fail("departments", .missingValue, expected: "department codes separated by ';'")
                    }
                    current = (entity, departments, departmentField, r.line)
                    let date = try r.date("date")!
                    guard period.contains(date) else { throw r.fail("date", .invalidValue, expected: "a date in \(period)") }
                    visits.append(RecordedDraw.Visit(
                        checkID: checkID, entity: entity, scenario: scenario, departments: departments,
                        items: Self.codes(r.text("items"), cache: &itemLists, ItemCode.init),
                        inspectors: r.list("inspectors").map(InspectorID.init), date: date, line: r.line))
                    fields.append(departmentField)
                }
        } catch let error as TableError where !header.isEmpty {
            failure = error
            failedVisit = current
        }
        (self.visits, departmentFields, self.header) = (visits, fields, header)
    }

    /// The codes of a `;`-separated field (empty parts dropped, as ``CityRow/list(_:)``), split once per distinct text.
    private static func codes<Code>(_ field: String, cache: inout [String: [Code]], _ make: (String) -> Code) -> [Code] {
        if let known = cache[field] { return known }
        let codes = field.split(separator: ";").map { make(String($0)) }
        cache[field] = codes
        return codes
    }

    /// The draw these rows make with `inclusion`: every visit's departments must have 0 < π ≤ 1 for its entity.
    /// - Throws: the first visit (in file order) that breaks the π rule, else the parse's ``failure``.
    func checked(against inclusion: InclusionTable, manifest: PlanManifest) throws -> RecordedDraw {
        let inclusionSource = manifest.format.inclusionInManifest ? PlanDirectory.manifestFile : PlanDirectory.inclusionFile
        let column = header.firstIndex(of: "departments")
        func check(_ entity: EntityID, _ departments: [DepartmentCode], field: String, line: Int) throws {
            for department in departments {
                guard let pi = inclusion.probability(department: department, entity: entity), pi > 0 else {
                    throw TableError(.unknownCategory, file: displayName, line: line, columnIndex: column,
                                     columnName: "departments", value: field,
                                     expected: "departments with 0 < π ≤ 1 for \(entity) in \(inclusionSource) (not \(department))")
                }
            }
        }
        for (visit, field) in zip(visits, departmentFields) {
            try check(visit.entity, visit.departments, field: field, line: visit.line)
        }
        if let failedVisit {
            try check(failedVisit.entity, failedVisit.departments, field: failedVisit.field, line: failedVisit.line)
        }
        if let failure { throw failure }
        return RecordedDraw(manifest: manifest, visits: visits, inclusion: inclusion, planFile: displayName,
                            planHeader: header)
    }
}
