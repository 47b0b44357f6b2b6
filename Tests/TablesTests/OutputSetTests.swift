import Foundation
import Tables
import Testing
import TestSupport

/// `OutputSet`: a directory's files replaced as a whole, or not at all.
@Suite("Output sets")
struct OutputSetTests {
    static func write(_ text: String, _ path: String) throws { try text.write(toFile: path, atomically: false, encoding: .utf8) }
    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
    static func listing(_ path: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    @Test func createsReplacesAndLeavesNothingBehind() throws {
        let d = try TemporaryDirectory("output-set")
        defer { d.remove() }
        let target = d.file("out/plan").path
        let first = try OutputSet(directory: target, members: ["a.csv", "b.json"])
        try Self.write("a1", first.path(of: "a.csv"))
        try Self.write("b1", first.path(of: "b.json"))
        #expect(Self.listing(d.file("out").path).count == 1)  // only the staging directory so far
        #expect(TemporaryFiles.paths.contains(first.stagingPath))
        try first.commit()
        #expect(Self.listing(target) == ["a.csv", "b.json"] && Self.read(target + "/a.csv") == "a1")
        #expect(!TemporaryFiles.paths.contains(first.stagingPath))

        let second = try OutputSet(directory: target, members: ["a.csv", "b.json"])
        try Self.write("a2", second.path(of: "a.csv"))
        try Self.write("b2", second.path(of: "b.json"))
        try second.commit()
        #expect(Self.read(target + "/a.csv") == "a2" && Self.read(target + "/b.json") == "b2")
        #expect(Self.listing(d.file("out").path) == ["plan"])  // the previous set and the staging directory are gone
    }

    @Test func anAbandonedSetLeavesThePreviousOneWhole() throws {
        let d = try TemporaryDirectory("output-set")
        defer { d.remove() }
        let target = d.file("plan").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try Self.write("old a", target + "/a.csv")
        try Self.write("old b", target + "/b.json")
        do {
            let set = try OutputSet(directory: target, members: ["a.csv", "b.json"])
            try Self.write("new a", set.path(of: "a.csv"))
            // A late error: the set is dropped without a commit.
        }
        #expect(Self.read(target + "/a.csv") == "old a" && Self.read(target + "/b.json") == "old b")
        #expect(Self.listing(d.url.path) == ["plan"])
    }

    @Test func refusesADirectoryWithOtherFilesAndANonDirectory() throws {
        let d = try TemporaryDirectory("output-set")
        defer { d.remove() }
        let target = d.file("plan").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try Self.write("mine", target + "/notes.txt")
        #expect(throws: OutputError.foreignFiles(directory: target, names: ["notes.txt"])) {
            _ = try OutputSet(directory: target, members: ["a.csv"])
        }
        try Self.write("x", d.file("file").path)
        #expect(throws: OutputError.notADirectory(path: d.file("file").path)) {
            _ = try OutputSet(directory: d.file("file").path, members: ["a.csv"])
        }
        #expect(Self.read(target + "/notes.txt") == "mine" && Self.listing(d.url.path) == ["file", "plan"])
    }

    @Test func aLinkToADirectoryIsFollowed() throws {
        let d = try TemporaryDirectory("output-set")
        defer { d.remove() }
        let real = d.file("real").path
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: d.file("link").path, withDestinationPath: "real")
        let set = try OutputSet(directory: d.file("link").path, members: ["a.csv"])
        try Self.write("via link", set.path(of: "a.csv"))
        try set.commit()
        #expect(Self.read(real + "/a.csv") == "via link")
        let attributes = try FileManager.default.attributesOfItem(atPath: d.file("link").path)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
    }
}
