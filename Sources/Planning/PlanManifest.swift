import Foundation

/// The plan's manifest (`manifest.json`): everything needed to re-derive the plan — seed, algorithm
/// version, parameters, the SHA-256 of every input, π per (entity, department), the reserve order
/// per department and the adjustments applied since planning.
///
/// The JSON is written by hand with one entry per line and a fixed key order, so the same plan gives
/// byte-identical manifests and `verify` can name the first differing line.
public struct PlanManifest: Sendable, Equatable {
    public static let format = "onecheck.plan.manifest.v1"

    public struct Input: Sendable, Equatable, Codable {
        public var path: String
        public var sha256: String
    }

    public var algorithmVersion: String
    public var parameters: PlanParameters
    /// Role (`entities`, `scores`, …) → file path as given and its digest.
    public var inputs: [String: Input]
    public var adjustments: [PlanAdjustment]

    /// The input paths recorded at planning time.
    public var inputPaths: PlanInputPaths? {
        guard let scores = inputs["scores"]?.path, let entities = inputs["entities"]?.path,
              let quotas = inputs["quotas"]?.path, let inspectors = inputs["inspectors"]?.path else { return nil }
        return PlanInputPaths(scores: scores, entities: entities, quotas: quotas, inspectors: inspectors,
                              departments: inputs["departments"]?.path, scenarios: inputs["scenarios"]?.path,
                              items: inputs["items"]?.path, caps: inputs["caps"]?.path)
    }

    /// The committed-frame view of the recorded inputs.
    public var frame: FrameCommitment {
        FrameCommitment(algorithmVersion: algorithmVersion, inputs: inputs.mapValues(\.sha256))
    }

    /// The manifest text of `plan` built from files `paths` whose digests are `frame`.
    public static func render(_ plan: Plan, paths: PlanInputPaths, frame: FrameCommitment) -> String {
        let p = plan.parameters
        var lines: [String] = ["{"]
        lines.append("  \"format\": \(json(format)),")
        lines.append("  \"algorithm_version\": \(json(frame.algorithmVersion)),")
        lines.append("  \"period\": \(json(p.period)),")
        lines.append("  \"seed\": \(json(p.seed)),")
        lines.append("  \"parameters\": {\"floor_fraction\": \(p.floorFraction), "
            + "\"max_pairing_probability\": \(p.maxPairingProbability), \"reserve_size\": \(p.reserveSize)},")
        lines.append("  \"inputs\": {")
        let named = paths.named
        for (position, (role, path)) in named.enumerated() {
            lines.append("    \(json(role)): {\"path\": \(json(path)), \"sha256\": \(json(frame.inputs[role] ?? ""))}"
                + (position + 1 < named.count ? "," : ""))
        }
        lines.append("  },")
        lines.append("  \"adjustments\": [")
        for (position, adjustment) in plan.adjustments.enumerated() {
            let entry: String
            switch adjustment {
            case let .closed(entity): entry = "{\"closed\": \(json(entity))}"
            case let .unavailable(inspector): entry = "{\"unavailable\": \(json(inspector))}"
            }
            lines.append("    " + entry + (position + 1 < plan.adjustments.count ? "," : ""))
        }
        lines.append("  ],")
        lines.append("  \"reserves\": {")
        let departments = plan.inclusion.map(\.department)
        for (position, department) in departments.enumerated() {
            let list = (plan.reserves[department] ?? []).map(json).joined(separator: ", ")
            lines.append("    \(json(department)): [\(list)]" + (position + 1 < departments.count ? "," : ""))
        }
        lines.append("  },")
        lines.append("  \"inclusion\": {")
        // One line per (entity, department): millions for a city, so appended to one buffer, not kept as lines.
        var text = lines.joined(separator: "\n") + "\n"
        text.reserveCapacity(text.utf8.count + plan.inclusion.reduce(0) { $0 + 48 * $1.entityIndices.count })
        for (position, design) in plan.inclusion.enumerated() {
            text += "    " + json(design.department) + ": [\n"
            for (index, entity) in design.entityIndices.enumerated() {
                text += "      ["
                text += json(design.ids[entity])
                text += ", "
                text += design.probabilities[index].description
                text += index + 1 < design.entityIndices.count ? "],\n" : "]\n"
            }
            text += "    ]" + (position + 1 < plan.inclusion.count ? ",\n" : "\n")
        }
        text += "  }\n}\n"
        return text
    }

    /// Reads the fields needed to re-derive the plan; π and reserves are re-derived, not trusted.
    public static func read(path: String) throws -> PlanManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanError.manifestMismatch("\(path) cannot be read")
        }
        let raw: Raw
        do { raw = try JSONDecoder().decode(Raw.self, from: data) } catch {
            throw PlanError.manifestMismatch("\(path) is not a plan manifest (\(error))")
        }
        guard raw.format == format else {
            throw PlanError.manifestMismatch("\(path) has format \(raw.format), expected \(format)")
        }
        let adjustments = try raw.adjustments.map { entry -> PlanAdjustment in
            if let entity = entry["closed"], entry.count == 1 { return .closed(entity: entity) }
            if let inspector = entry["unavailable"], entry.count == 1 { return .unavailable(inspector: inspector) }
            throw PlanError.manifestMismatch("\(path): adjustment \(entry) is neither {\"closed\": id} nor {\"unavailable\": id}")
        }
        return PlanManifest(
            algorithmVersion: raw.algorithm_version,
            parameters: PlanParameters(period: raw.period, seed: raw.seed, floorFraction: raw.parameters.floor_fraction,
                                       maxPairingProbability: raw.parameters.max_pairing_probability,
                                       reserveSize: raw.parameters.reserve_size),
            inputs: raw.inputs, adjustments: adjustments)
    }

    private struct Raw: Decodable {
        struct Parameters: Decodable {
            var floor_fraction: Double
            var max_pairing_probability: Double
            var reserve_size: Int
        }
        var format: String
        var algorithm_version: String
        var period: String
        var seed: String
        var parameters: Parameters
        var inputs: [String: Input]
        var adjustments: [[String: String]]
    }

    /// A JSON string literal.
    static func json(_ text: String) -> String {
        // Ids and codes are plain: nothing to escape, one concatenation.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
