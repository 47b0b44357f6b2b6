import OneCheckUtilities
import Supervision

extension JurisdictionSeed {
    /// The manifest's `jurisdiction` entry, written after `seed` in a jurisdiction's plan only (a plan of the whole
    /// input has no such line, so its manifest keeps its bytes):
    /// `"jurisdiction": {"code": "J01", "public_seed": "…", "derivation": "onecheck.jurisdiction-seed.v1"},`.
    var manifestLine: String {
        let json = JSONText.string
        return "  \"jurisdiction\": {\"code\": \(json(jurisdiction.rawValue)), \"public_seed\": \(json(publicSeed)), "
            + "\"derivation\": \(json(Self.derivation))},"
    }

    /// Reads the manifest's `jurisdiction` entry and derives the seed again from it. The manifest reader then
    /// refuses a manifest whose `seed` is not this derived seed.
    /// - Throws: ``PlanDirectoryError`` for an unknown or missing key, a malformed code, an empty public seed or a
    ///   derivation this build does not implement.
    static func parse(_ json: inout JSONScanner) throws -> JurisdictionSeed {
        var code: String?, publicSeed: String?, derivation: String?
        try json.object { json, key in
            switch key {
            case "code":
                let text = try json.string()
                guard Jurisdiction.isWellFormed(text) else {
                    throw json.failBefore("code \"\(text.prefix(80))\"", expected: Jurisdiction.expectedForm)
                }
                code = text
            case "public_seed":
                let text = try json.string()
                guard !text.isEmpty else { throw json.failBefore("an empty public seed", expected: "the announced seed") }
                publicSeed = text
            case "derivation":
                let text = try json.string()
                guard text == Self.derivation else {
                    throw json.failBefore("derivation \"\(text.prefix(80))\"", expected: Self.derivation)
                }
                derivation = text
            default:
                throw json.failAtKey("unknown key \"\(key)\"", expected: "code, public_seed and derivation")
            }
        }
        guard let code, let publicSeed, derivation != nil else {
            throw json.failBefore("incomplete jurisdiction", expected: "code, public_seed and derivation")
        }
        return JurisdictionSeed(publicSeed: publicSeed, jurisdiction: JurisdictionCode(code))
    }
}
