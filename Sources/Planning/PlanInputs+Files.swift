import Foundation
import OneCheckUtilities
import Supervision
import Tables

/// The input files of a plan by role; `nil` for optional files not given. Paths are kept as given (errors name
/// files the way the user typed them).
public struct PlanInputPaths: Sendable, Equatable, Codable {
    public var scores: String
    public var entities: String
    public var quotas: String
    public var inspectors: String
    public var departments: String?
    public var scenarios: String?
    public var items: String?
    public var caps: String?
    /// Checks already recorded in the plan's year (`checks-done.csv`), counted against the yearly caps; only plans
    /// of ``PlanAlgorithm/paretoV3`` read it.
    public var done: String?

    public init(scores: String, entities: String, quotas: String, inspectors: String, departments: String? = nil,
                scenarios: String? = nil, items: String? = nil, caps: String? = nil, done: String? = nil) {
        self.scores = scores
        self.entities = entities
        self.quotas = quotas
        self.inspectors = inspectors
        self.departments = departments
        self.scenarios = scenarios
        self.items = items
        self.caps = caps
        self.done = done
    }

    /// The roles in UTF-8 order — the order of the frame and of the manifest's `inputs`.
    public static let roles = ["caps", "departments", "done", "entities", "inspectors", "items", "quotas", "scenarios", "scores"]

    /// The roles a plan cannot do without.
    public static let requiredRoles: Set<String> = ["entities", "inspectors", "quotas", "scores"]

    /// (role, path) of every file given, roles in UTF-8 order — the names hashed into the frame.
    public var named: [(role: String, path: String)] {
        let all: [(String, String?)] = [
            ("caps", caps), ("departments", departments), ("done", done), ("entities", entities), ("inspectors", inspectors),
            ("items", items), ("quotas", quotas), ("scenarios", scenarios), ("scores", scores),
        ]
        return all.compactMap { role, path in path.map { (role, $0) } }
    }

    /// The paths of `named` (role → path), or nil when a required role is missing.
    public init?(named: [String: String]) {
        guard let scores = named["scores"], let entities = named["entities"], let quotas = named["quotas"],
              let inspectors = named["inspectors"] else { return nil }
        self.init(scores: scores, entities: entities, quotas: quotas, inspectors: inspectors,
                  departments: named["departments"], scenarios: named["scenarios"], items: named["items"],
                  caps: named["caps"], done: named["done"])
    }

    /// The path of `role`, if given.
    public subscript(role role: String) -> String? {
        named.first { $0.role == role }?.path
    }

    /// The frame commitment of these files: SHA-256 of their bytes under their role names, with the version of
    /// `algorithm` (by default the one `plan` draws with).
    /// - Throws: `TableError.cannotOpen` naming a file that cannot be read.
    public func commitment(algorithm: PlanAlgorithm = .current) throws -> FrameCommitment {
        var digests: [String: String] = [:]
        for (role, path) in named { digests[role] = try FileDigest.sha256Hex(path: path) }
        return FrameCommitment(algorithmVersion: algorithm.version, inputs: digests)
    }
}

extension PlanInputs {
    /// Reads and cross-checks every file of `paths` with the city-file readers of `Supervision`.
    ///
    /// The files are read in dependency order — departments, scenarios, quotas, items, caps, entities and scores,
    /// inspectors, checks done — each checked against those before it: a quota, an item, a cap or an inspector of a department
    /// missing from departments.csv is refused at its line, as is an item whose department does not supervise its
    /// scenario. The departments of the plan are those of quotas.csv.
    ///
    /// - Throws: `TableError` (file, line, column, value, expected form) for malformed or inconsistent rows.
    public static func read(_ paths: PlanInputPaths) throws -> PlanInputs {
        try read(paths, digests: nil)
    }

    /// ``read(_:)``, each file hashed by `digests` in the same pass when given.
    static func read(_ paths: PlanInputPaths, digests: InputDigests?) throws -> PlanInputs {
        func url(_ path: String) -> URL { URL(fileURLWithPath: path) }
        func options(_ role: String) -> CSVReader.Options { digests?.options(role) ?? CSVReader.Options() }
        let departmentList = try paths.departments.map {
            try DepartmentsFile.read(url($0), displayName: $0, options: options("departments"))
        }
        var context = DirectoryContext(departments: departmentList, scenarios: nil)
        let scenarioList = try paths.scenarios.map {
            try ScenariosFile.read(url($0), displayName: $0, context: context, options: options("scenarios"))
        }
        context = DirectoryContext(departments: departmentList, scenarios: scenarioList)
        let quotas = try QuotasFile.read(url(paths.quotas), displayName: paths.quotas, context: context,
                                         options: options("quotas"))
        try JurisdictionFrame.requireOneJurisdiction(quotas, file: paths.quotas)
        let departments = Set(quotas.map(\.department)).sorted()
        var heads: [DepartmentCode: String] = [:]
        for department in departmentList ?? [] { heads[department.code] = department.riskHead }
        let items = try paths.items.map {
            try ItemsFile.read(url($0), displayName: $0, context: context, options: options("items"))
        } ?? []
        let caps = try paths.caps.map {
            Caps(try CapsFile.read(url($0), displayName: $0, context: context, options: options("caps")))
        } ?? Caps()
        let scopes = scenarioList.map(Self.scopes)
        let riskHeads = departments.map { heads[$0] ?? Department.defaultRiskHead($0) }
        // The two large reads, at the same time: entities with their scores, and the roster. Errors come as if read
        // one after the other (the entities' first).
        let (entities, roster) = try concurrently({
            var entityReader = EntityColumnReader(departments: departments, heads: riskHeads, scopes: scopes)
            return try entityReader.read(entities: paths.entities, scores: paths.scores, digests: digests)
        }, { [context, inspectorOptions = options("inspectors")] in
            try InspectorsFile.read(URL(fileURLWithPath: paths.inspectors), displayName: paths.inspectors,
                                    context: context, requiring: ["qualified_items", "cap_per_period"],
                                    options: inspectorOptions)
        })
        var sizes: [Stratum: SampleSize] = [:]
        for quota in quotas { sizes[quota.stratum] = quota.size }
        var inputs = PlanInputs(entityIDs: entities.ids, entityScenarios: entities.entityScenarios,
                                scenarios: entities.scenarios, departments: departments, scores: entities.scores,
                                scenarioDepartments: scopes, items: items, quotas: sizes, caps: caps, roster: roster)
        if let done = paths.done {
            inputs.checksDone = try ChecksDone.read(url(done), displayName: done, options: options("done"))
            // A check of an entity missing from the directory cannot be counted against its caps: refused.
            if let unknown = inputs.checksDone.checks.first(where: { inputs.entityIndex(of: $0.entity) == nil }) {
                throw TableError(.unknownCategory, file: done, line: unknown.line,
                                 columnIndex: ChecksDone.columns.firstIndex(of: "entity_id"), columnName: "entity_id",
                                 value: String(unknown.entity.rawValue.prefix(80)),
                                 expected: "an entity id listed in \(paths.entities)")
            }
        }
        return inputs
    }
}

/// SHA-256 of files, streamed (an entities file runs to hundreds of megabytes).
enum FileDigest {
    /// Lower-case hexadecimal SHA-256 of the file at `path`.
    /// - Throws: `TableError.cannotOpen` or `.ioFailure` naming `path`.
    static func sha256Hex(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TableError(.cannotOpen(reason: "no such file or not readable"), file: path)
        }
        defer { try? handle.close() }
        var hasher = FrameCommitment.Hasher()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw TableError(.ioFailure(reason: "\(error)"), file: path)
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(chunk)
        }
        return hasher.finalizeHex()
    }
}
