import OneCheckUtilities
import Supervision

/// The plan's manifest (`manifest.json`): everything needed to re-derive the plan — seed, algorithm version,
/// parameters, the SHA-256 of every input — and, from format v2 on, the SHA-256 of every other file of the plan
/// directory, so that a file changed after planning is detected before it is used (``PlanDirectory``).
///
/// The JSON is written by hand with one entry per line and a fixed key order, so the same plan gives
/// byte-identical manifests and `verify` can name the first differing line. Layout and the meaning of each key:
/// `PLAN_FORMATS.md`.
public struct PlanManifest: Sendable, Equatable {
    /// The manifest formats this build reads; it writes ``current``.
    public enum Format: String, Sendable, CaseIterable {
        /// Inputs named by the paths given to `plan` (relative to the directory `plan` ran in); no file hashes.
        case v1 = "onecheck.plan.manifest.v1"
        /// Inputs named relative to the manifest's own directory; a `files` table with the SHA-256 of plan.csv,
        /// targets.csv, quota-report.csv and workload.csv.
        case v2 = "onecheck.plan.manifest.v2"
        /// As v2, without the `inclusion` table: π is in the plan directory's `inclusion.csv`, whose SHA-256 the
        /// `files` table records with the others.
        case v3 = "onecheck.plan.manifest.v3"

        /// The format `plan` and `adjust` write.
        public static let current = Format.v3

        /// Whether the manifest records the SHA-256 of the directory's other files (and can be read as a draw).
        public var recordsFiles: Bool { self != .v1 }
        /// Whether π is in the manifest's own `inclusion` table (v1, v2) rather than in `inclusion.csv` (v3).
        public var inclusionInManifest: Bool { self != .v3 }
    }

    /// One recorded input: its path and the SHA-256 of its bytes at planning time.
    public struct Input: Sendable, Equatable, Codable {
        /// As recorded: relative to the manifest's directory (v2), or as given to `plan` (v1).
        public var path: String
        public var sha256: String

        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    public var format: Format
    public var algorithmVersion: String
    public var parameters: PlanParameters
    /// Role (`entities`, `scores`, …) → recorded path and digest.
    public var inputs: [String: Input]
    /// File name (`plan.csv`, …) → SHA-256 of its bytes; empty in a v1 manifest.
    public var files: [String: String]
    public var adjustments: [PlanAdjustment]

    public init(format: Format = .current, algorithmVersion: String, parameters: PlanParameters,
                inputs: [String: Input], files: [String: String], adjustments: [PlanAdjustment]) {
        self.format = format
        self.algorithmVersion = algorithmVersion
        self.parameters = parameters
        self.inputs = inputs
        self.files = files
        self.adjustments = adjustments
    }

    /// The committed-frame view of the recorded inputs.
    public var frame: FrameCommitment {
        FrameCommitment(algorithmVersion: algorithmVersion, inputs: inputs.mapValues(\.sha256))
    }

    /// The manifest text of `plan`.
    ///
    /// - Parameters:
    ///   - inputs: role → recorded path and digest, for every input of the plan.
    ///   - files: file name → SHA-256 of the plan directory's other files (ignored for ``Format/v1``; with
    ///     `inclusion.csv` in ``Format/v3``).
    ///   - format: ``Format/v1`` renders the layout of earlier builds, so that `verify` can compare an old
    ///     manifest line by line.
    /// - Complexity: v3: O(departments × reserves); v1 and v2: O(Σ_d N_d), one line per (department, entity in
    ///   scope), appended to one buffer.
    public static func render(_ plan: Plan, algorithmVersion: String, inputs: [String: Input], files: [String: String],
                              format: Format = .current) -> String {
        let p = plan.parameters
        let json = JSONText.string
        var lines: [String] = ["{"]
        lines.append("  \"format\": \(json(format.rawValue)),")
        lines.append("  \"algorithm_version\": \(json(algorithmVersion)),")
        lines.append("  \"period\": \(json(p.period.description)),")
        lines.append("  \"seed\": \(json(p.seed)),")
        if let jurisdiction = p.jurisdiction { lines.append(jurisdiction.manifestLine) }
        lines.append("  \"parameters\": {\"floor_fraction\": \(p.floorFraction), "
            + "\"max_pairing_probability\": \(p.maxPairingProbability), \"reserve_size\": \(p.reserveSize)},")
        lines.append("  \"inputs\": {")
        let roles = inputs.keys.sorted { $0.utf8Precedes($1) }
        for (position, role) in roles.enumerated() {
            let input = inputs[role]!
            lines.append("    \(json(role)): {\"path\": \(json(input.path)), \"sha256\": \(json(input.sha256))}"
                + (position + 1 < roles.count ? "," : ""))
        }
        lines.append("  },")
        if format.recordsFiles {
            lines.append("  \"files\": {")
            let names = files.keys.sorted { $0.utf8Precedes($1) }
            for (position, name) in names.enumerated() {
                lines.append("    \(json(name)): \(json(files[name]!))" + (position + 1 < names.count ? "," : ""))
            }
            lines.append("  },")
        }
        lines.append("  \"adjustments\": [")
        for (position, adjustment) in plan.adjustments.enumerated() {
            let entry: String
            switch adjustment {
            case let .closed(entity): entry = "{\"closed\": \(json(entity.rawValue))}"
            case let .unavailable(inspector): entry = "{\"unavailable\": \(json(inspector.rawValue))}"
            }
            lines.append("    " + entry + (position + 1 < plan.adjustments.count ? "," : ""))
        }
        lines.append("  ],")
        lines.append("  \"reserves\": {")
        let departments = plan.inclusion.map(\.department)
        for (position, department) in departments.enumerated() {
            let list = (plan.reserves[department] ?? []).map { json($0.rawValue) }.joined(separator: ", ")
            lines.append("    \(json(department.rawValue)): [\(list)]" + (position + 1 < departments.count ? "," : ""))
        }
        guard format.inclusionInManifest else { return lines.joined(separator: "\n") + "\n  }\n}\n" }
        lines.append("  },")
        lines.append("  \"inclusion\": {")
        // One line per (entity, department): millions for a city, so appended to one buffer, not kept as lines.
        var text = lines.joined(separator: "\n") + "\n"
        text.reserveCapacity(text.utf8.count + plan.inclusion.reduce(0) { $0 + 48 * $1.entityIndices.count })
        for (position, design) in plan.inclusion.enumerated() {
            text += "    " + json(design.department.rawValue) + ": [\n"
            for (index, entity) in design.entityIndices.enumerated() {
                text += "      ["
                text += json(design.ids[entity].rawValue)
                text += ", "
                text += design.probabilities[index].description
                text += index + 1 < design.entityIndices.count ? "],\n" : "]\n"
            }
            text += "    ]" + (position + 1 < plan.inclusion.count ? ",\n" : "\n")
        }
        text += "  }\n}\n"
        return text
    }
}
