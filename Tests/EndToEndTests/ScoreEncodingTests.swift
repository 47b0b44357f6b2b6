import Foundation
import Testing
import TestSupport

/// `onecheck score --encoding`: legacy exports are transcoded while reading, invalid UTF-8 is refused by place.
@Suite struct ScoreEncodingTests {
    /// The entities of `ScoreCommandTests.scoresEveryRowInOrder`, with a name column holding `name` for E1.
    static func entities(name: [UInt8]) -> [UInt8] {
        Array("entity_id,scenario,complaints,name\nE1,hotel,4,".utf8) + name + Array("\nE2,restaurant,0,Bo\n".utf8)
    }

    func score(_ input: [UInt8], _ extra: [String]) throws -> (CommandResult, String?, TemporaryDirectory) {
        let dir = try TemporaryDirectory("score-encoding")
        try ScoreCommandTests.modelJSON.write(to: dir.file("model.json"), atomically: true, encoding: .utf8)
        try Data(input).write(to: dir.file("entities.csv"))
        let r = try OneCheckBinary.run(["score", "--model", dir.file("model.json").path, "--input",
                                        dir.file("entities.csv").path, "--output", dir.file("scores.csv").path,
                                        "--pass-through", "name"] + extra)
        return (r, try? String(contentsOf: dir.file("scores.csv"), encoding: .utf8), dir)
    }

    @Test func transcodesGB18030AndLatin1() throws {
        // 企业 in GB18030; "Café" in Latin-1: the output is UTF-8.
        for (bytes, encoding, name) in [([0xC6, 0xF3, 0xD2, 0xB5] as [UInt8], "gb18030", "企业"),
                                        (Array("Caf".utf8) + [0xE9], "latin1", "Café")] {
            let (r, output, dir) = try score(Self.entities(name: bytes), ["--encoding", encoding])
            defer { dir.remove() }
            #expect(r.status == 0, "\(r.stderr)")
            #expect(output?.split(separator: "\n").dropFirst().first == "E1,\(name),0.500000,0.62245933,D,D")
        }
    }

    @Test func invalidUTF8IsRefusedWithItsPlace() throws {
        let (r, output, dir) = try score(Self.entities(name: [0x41, 0xC3, 0x28]), [])
        defer { dir.remove() }
        #expect(r.status != 0)
        #expect(r.stderr.contains("entities.csv:2:4 (column \"name\"): invalid UTF-8 (bytes C3 28); expected UTF-8 text"
                                  + " — if the file is GB18030 or Latin-1, pass --encoding gb18030|latin1"), "\(r.stderr)")
        #expect(output == nil)
    }

    @Test func unknownEncodingIsAUsageError() throws {
        let (r, _, dir) = try score(Self.entities(name: Array("x".utf8)), ["--encoding", "utf16"])
        defer { dir.remove() }
        #expect(r.status == 64)
        #expect(r.stderr.contains("utf8") && r.stderr.contains("gb18030") && r.stderr.contains("latin1"), "\(r.stderr)")
    }
}
