import Foundation
import Testing
@testable import Planning

@Suite("Frame commitment")
struct FrameCommitmentTests {
    /// Digests from Python's hashlib (independent reference).
    @Test("input digests are SHA-256 in lower-case hex")
    func digests() {
        #expect(FrameCommitment.sha256Hex(Array("id,size\nA,1\n".utf8))
                == "eb6907529dc61ab6ea0cb808a3c7fd157b466a6de61a3d5748e2561aeb6988c2")
        #expect(FrameCommitment.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("the first difference is named; identical frames have none")
    func differences() throws {
        let committed = FrameCommitment(files: [("units.csv", Array("id,size\nA,1\n".utf8)), ("quotas.json", Array("{}".utf8))])
        #expect(committed.firstDifference(from: committed) == nil)
        let edited = FrameCommitment(files: [("units.csv", Array("id,size\nA,2\n".utf8)), ("quotas.json", Array("{}".utf8))])
        guard case let .inputChanged(name, _, _)? = committed.firstDifference(from: edited) else {
            Issue.record("expected a changed input")
            return
        }
        #expect(name == "units.csv")
        let fewer = FrameCommitment(files: [("units.csv", Array("id,size\nA,1\n".utf8))])
        #expect(committed.firstDifference(from: fewer) == .inputMissing(name: "quotas.json"))
        let other = FrameCommitment(algorithmVersion: "onecheck.plan.v0", inputs: committed.inputs)
        #expect(committed.firstDifference(from: other)
                == .algorithmVersion(committed: FrameCommitment.currentAlgorithmVersion, found: "onecheck.plan.v0"))
        // Round-trips through JSON for the manifest.
        let data = try JSONEncoder().encode(committed)
        #expect(try JSONDecoder().decode(FrameCommitment.self, from: data) == committed)
    }
}
