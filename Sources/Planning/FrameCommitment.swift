import Crypto
import Foundation

/// What `onecheck commit` fixes before the seed exists (issue 4, item 6): the algorithm version and
/// the SHA-256 of every input, so that nobody can change the frame after seeing the seed.
///
/// Inputs are named (e.g. `entities.csv`); names are compared by their UTF-8 bytes and the digests are
/// lower-case hexadecimal SHA-256 of the file bytes exactly as stored.
public struct FrameCommitment: Sendable, Equatable, Codable {
    /// The algorithm version of the plan (sampling and randomness together).
    public static let currentAlgorithmVersion = PlanAlgorithm.current.version

    public let algorithmVersion: String
    /// Input name → SHA-256 hex digest.
    public let inputs: [String: String]

    public init(algorithmVersion: String = Self.currentAlgorithmVersion, inputs: [String: String]) {
        self.algorithmVersion = algorithmVersion
        self.inputs = inputs
    }

    /// Hashes named inputs.
    public init(algorithmVersion: String = Self.currentAlgorithmVersion, files: [(name: String, bytes: [UInt8])]) {
        var digests: [String: String] = [:]
        for file in files { digests[file.name] = Self.sha256Hex(file.bytes) }
        self.init(algorithmVersion: algorithmVersion, inputs: digests)
    }

    /// Lower-case hexadecimal SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// Lower-case hexadecimal SHA-256 of the UTF-8 bytes of `text`, read in place (an output file's text runs to
    /// tens of megabytes).
    static func sha256Hex(utf8 text: String) -> String {
        var hasher = Hasher()
        var copy = text
        copy.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
        return hasher.finalizeHex()
    }

    /// SHA-256 over bytes given piece by piece, written as lower-case hexadecimal.
    struct Hasher {
        private var state = SHA256()

        mutating func update(_ bytes: some DataProtocol) { state.update(data: bytes) }

        func finalizeHex() -> String {
            let hex: [Character] = Array("0123456789abcdef")
            var text = ""
            text.reserveCapacity(64)
            for byte in state.finalize() {
                text.append(hex[Int(byte >> 4)])
                text.append(hex[Int(byte & 0x0f)])
            }
            return text
        }
    }

    /// The first difference between the committed frame and `other` (e.g. re-hashed inputs), or `nil`
    /// when they are identical. Inputs are compared in UTF-8 byte order of their names.
    public func firstDifference(from other: FrameCommitment) -> CommitmentDifference? {
        if algorithmVersion != other.algorithmVersion {
            return .algorithmVersion(committed: algorithmVersion, found: other.algorithmVersion)
        }
        let names = Set(inputs.keys).union(other.inputs.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            switch (inputs[name], other.inputs[name]) {
            case let (committed?, found?) where committed != found:
                return .inputChanged(name: name, committed: committed, found: found)
            case (nil, _?): return .inputAdded(name: name)
            case (_?, nil): return .inputMissing(name: name)
            default: continue
            }
        }
        return nil
    }
}

/// How a frame differs from its commitment.
public enum CommitmentDifference: Sendable, Equatable, CustomStringConvertible {
    case algorithmVersion(committed: String, found: String)
    case inputChanged(name: String, committed: String, found: String)
    case inputAdded(name: String)
    case inputMissing(name: String)

    public var description: String {
        switch self {
        case let .algorithmVersion(committed, found):
            return "algorithm version \(found) differs from the committed \(committed)"
        case let .inputChanged(name, committed, found):
            return "input \(name) has SHA-256 \(found), committed \(committed)"
        case let .inputAdded(name): return "input \(name) was not in the commitment"
        case let .inputMissing(name): return "committed input \(name) is missing"
        }
    }
}
