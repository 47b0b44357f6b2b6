import Supervision
import Tables

extension PlanManifest {
    /// What to keep of a manifest's large tables while reading it.
    enum Reading {
        /// Only what re-deriving the plan needs: π and reserves are re-derived, not trusted (`verify`, `adjust`).
        case header
        /// The header and π per (department, entity) when the manifest holds them (v1, v2; recording a draw).
        case inclusion
    }

    /// Reads a manifest written by `plan` or `adjust` (any ``Format``).
    ///
    /// The whole text is parsed as JSON (any spacing), with every key checked: an unknown key, a missing key or
    /// a value of the wrong kind is refused at its line and column.
    /// - Parameter file: the name errors use.
    /// - Throws: ``PlanDirectoryError``.
    static func parse(_ bytes: [UInt8], file: String, keeping tables: Reading)
        throws -> (manifest: PlanManifest, inclusion: InclusionTable?) {
        var json = JSONScanner(bytes: bytes, file: file)
        var format: Format?
        var algorithm: String?, period: Period?, seed: String?
        var parameters: (floor: Double, pairing: Double, reserve: Int)?
        var inputs: [String: Input]?, files: [String: String]?, adjustments: [PlanAdjustment]?
        var inclusion: InclusionTable?
        var jurisdiction: JurisdictionSeed?
        var seen = Set<String>()
        try json.object { json, key in
            guard seen.insert(key).inserted else { throw json.failAtKey("key \"\(key)\" appears twice", expected: "each key once") }
            switch key {
            case "format":
                let text = try json.string()
                guard let known = Format(rawValue: text) else {
                    throw PlanDirectoryError.unsupportedFormat(
                        file: file, found: text, expected: Format.allCases.map(\.rawValue).reversed().joined(separator: " or "))
                }
                format = known
            case "algorithm_version": algorithm = try json.string()
            case "period":
                let text = try json.string()
                guard let value = Period(text) else { throw json.failBefore("period \"\(text)\"", expected: Period.expectedForm) }
                period = value
            case "seed": seed = try json.string()
            case "jurisdiction": jurisdiction = try JurisdictionSeed.parse(&json)
            case "parameters":
                var floor: Double?, pairing: Double?, reserve: Int?
                try json.object { json, key in
                    switch key {
                    case "floor_fraction": floor = try json.number()
                    case "max_pairing_probability": pairing = try json.number()
                    case "reserve_size": reserve = try json.integer()
                    default: throw json.failAtKey("unknown parameter \"\(key)\"",
                                                   expected: "floor_fraction, max_pairing_probability, reserve_size")
                    }
                }
                guard let floor, let pairing, let reserve else {
                    throw json.failBefore("incomplete parameters",
                                          expected: "floor_fraction, max_pairing_probability and reserve_size")
                }
                parameters = (floor, pairing, reserve)
            case "inputs":
                var table: [String: Input] = [:]
                try json.object { json, role in
                    guard PlanInputPaths.roles.contains(role) else {
                        throw json.failAtKey("unknown input \"\(role)\"", expected: PlanInputPaths.roles.joined(separator: ", "))
                    }
                    var path: String?, digest: String?
                    try json.object { json, key in
                        switch key {
                        case "path": path = try json.string()
                        case "sha256": digest = try json.sha256()
                        default: throw json.failAtKey("unknown key \"\(key)\"", expected: "path and sha256")
                        }
                    }
                    guard let path, let digest else { throw json.failBefore("input \(role) incomplete", expected: "path and sha256") }
                    table[role] = Input(path: path, sha256: digest)
                }
                inputs = table
            case "files":
                var table: [String: String] = [:]
                try json.object { json, name in
                    guard PlanDirectory.hashedFiles.contains(name) else {
                        throw json.failAtKey("unknown file \"\(name)\"", expected: PlanDirectory.hashedFiles.joined(separator: ", "))
                    }
                    table[name] = try json.sha256()
                }
                files = table
            case "adjustments":
                var list: [PlanAdjustment] = []
                try json.array { json in
                    var entry: PlanAdjustment?
                    var keys = 0
                    try json.object { json, key in
                        keys += 1
                        switch key {
                        case "closed": entry = .closed(entity: EntityID(try json.string()))
                        case "unavailable": entry = .unavailable(inspector: InspectorID(try json.string()))
                        default: throw json.failAtKey("unknown adjustment \"\(key)\"", expected: "{\"closed\": id} or {\"unavailable\": id}")
                        }
                    }
                    guard let entry, keys == 1 else {
                        throw json.failBefore("an adjustment with \(keys) keys", expected: "{\"closed\": id} or {\"unavailable\": id}")
                    }
                    list.append(entry)
                }
                adjustments = list
            case "reserves":
                try json.skipValue()
            case "inclusion":
                if tables == .inclusion { inclusion = try InclusionTable.parse(&json) } else { try json.skipValue() }
            default:
                throw json.failAtKey("unknown key \"\(key)\"", expected: "the keys of a plan manifest (PLAN_FORMATS.md)")
            }
        }
        try json.end()
        guard let format else {
            throw PlanDirectoryError.malformedManifest(file: file, line: 1, column: 1, problem: "no \"format\" key",
                                                       expected: "a plan manifest written by onecheck plan")
        }
        var required = ["algorithm_version", "period", "seed", "parameters", "inputs", "adjustments", "reserves"]
        if format.inclusionInManifest { required.append("inclusion") }
        if format.recordsFiles { required.append("files") }
        if !format.inclusionInManifest && seen.contains("inclusion") {
            throw PlanDirectoryError.malformedManifest(
                file: file, line: 1, column: 1, problem: "an \"inclusion\" key in a \(format.rawValue) manifest",
                expected: "π in \(PlanDirectory.inclusionFile), named in \"files\"")
        }
        if let files, let name = files.keys.first(where: { !PlanDirectory.hashedFiles(format).contains($0) }) {
            throw PlanDirectoryError.malformedManifest(
                file: file, line: 1, column: 1, problem: "file \"\(name)\" in a \(format.rawValue) manifest",
                expected: PlanDirectory.hashedFiles(format).joined(separator: ", "))
        }
        if let missing = required.first(where: { !seen.contains($0) }) {
            throw PlanDirectoryError.malformedManifest(file: file, line: 1, column: 1, problem: "no \"\(missing)\" key",
                                                       expected: "every key of a \(format.rawValue) manifest")
        }
        if let jurisdiction, jurisdiction.seedText != seed! {
            throw PlanDirectoryError.malformedManifest(
                file: file, line: 1, column: 1,
                problem: "seed \"\(seed!)\" is not the seed of jurisdiction \(jurisdiction.jurisdiction) derived from its public seed",
                expected: "seed \(jurisdiction.seedText) (\(JurisdictionSeed.derivation))")
        }
        let manifest = PlanManifest(
            format: format, algorithmVersion: algorithm!,
            parameters: PlanParameters(period: period!, seed: seed!, floorFraction: parameters!.floor,
                                       maxPairingProbability: parameters!.pairing, reserveSize: parameters!.reserve,
                                       algorithm: PlanAlgorithm(version: algorithm!) ?? .current,
                                       jurisdiction: jurisdiction),
            inputs: inputs!, files: files ?? [:], adjustments: adjustments!)
        return (manifest, inclusion)
    }
}

/// π per (department, entity) as a manifest records it: per department, entity ids in UTF-8 order with their π.
public struct InclusionTable: Sendable, Equatable {
    public struct Department: Sendable, Equatable {
        public let department: DepartmentCode
        /// Entities in scope, strictly ascending in UTF-8 order.
        public let entities: [EntityID]
        /// π of each entity (same positions).
        public let probabilities: [Double]
    }

    /// Departments in the order of the manifest (UTF-8 order).
    public let departments: [Department]
    private let position: [DepartmentCode: Int]

    init(departments: [Department]) {
        self.departments = departments
        position = Dictionary(departments.enumerated().map { ($1.department, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// π of `entity` for `department`, or nil when the entity is not in the department's scope.
    /// - Complexity: O(log n) for a department of n entities.
    public func probability(department: DepartmentCode, entity: EntityID) -> Double? {
        guard let d = position[department] else { return nil }
        let table = departments[d]
        let k = table.entities.partitionPoint { $0 < entity }
        return k < table.entities.count && table.entities[k] == entity ? table.probabilities[k] : nil
    }

    /// `"inclusion": {department: [[entity, π], …], …}`, each list strictly ascending, each π in [0, 1].
    static func parse(_ json: inout JSONScanner) throws -> InclusionTable {
        var departments: [Department] = []
        try json.object { json, name in
            let department = DepartmentCode(name)
            guard !departments.contains(where: { $0.department == department }) else {
                throw json.failAtKey("department \(name) twice", expected: "one list per department")
            }
            var entities: [EntityID] = [], probabilities: [Double] = []
            try json.array { json in
                var field = 0
                try json.array { json in
                    switch field {
                    case 0:
                        let entity = EntityID(try json.string())
                        if let last = entities.last, !(last < entity) {
                            throw json.failBefore("entity \(entity) after \(last)",
                                                  expected: "the entities of a department once each, in UTF-8 order")
                        }
                        entities.append(entity)
                    case 1:
                        let pi = try json.number()
                        guard pi >= 0, pi <= 1 else { throw json.failBefore("π = \(pi)", expected: "a probability in [0, 1]") }
                        probabilities.append(pi)
                    default:
                        throw json.fail("a third element", expected: "[entity id, π]")
                    }
                    field += 1
                }
                guard field == 2 else { throw json.failBefore("\(field) elements", expected: "[entity id, π]") }
            }
            departments.append(Department(department: department, entities: entities, probabilities: probabilities))
        }
        return InclusionTable(departments: departments)
    }
}
