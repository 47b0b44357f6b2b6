import Foundation
import Supervision
import Testing
import TestSupport
@testable import SyntheticCity

@Suite("City generation: determinism, codes, atomic output")
struct GenerationTests {
    static func generate(_ n: Int, seed: UInt64, chunk: Int, into dir: URL) throws {
        try CityGenerator(CityConfiguration(entities: n, seed: seed, chunkSize: chunk)).write(to: dir)
    }

    static func bytes(_ dir: URL, _ name: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(name)) }

    @Test("two runs and three chunkings give byte-identical files")
    func determinismAcrossChunkings() throws {
        let tmp = try TemporaryDirectory("city-determinism")
        defer { tmp.remove() }
        let dirs = ["a", "b", "c", "d"].map { tmp.url.appendingPathComponent($0) }
        try Self.generate(3_001, seed: 99, chunk: 8192, into: dirs[0])
        try Self.generate(3_001, seed: 99, chunk: 8192, into: dirs[1])
        try Self.generate(3_001, seed: 99, chunk: 257, into: dirs[2])
        try Self.generate(3_001, seed: 99, chunk: 1, into: dirs[3])
        for name in CityGenerator.fileNames {
            let reference = try Self.bytes(dirs[0], name)
            #expect(!reference.isEmpty, "\(name) is empty")
            for d in dirs.dropFirst() { #expect(try Self.bytes(d, name) == reference, "\(name) differs in \(d.lastPathComponent)") }
        }
    }

    @Test("a different seed gives a different city; a prefix city is a prefix of a larger one")
    func seedsAndPrefixes() throws {
        let tmp = try TemporaryDirectory("city-seeds")
        defer { tmp.remove() }
        let small = tmp.url.appendingPathComponent("small"), large = tmp.url.appendingPathComponent("large")
        let other = tmp.url.appendingPathComponent("other")
        try Self.generate(500, seed: 5, chunk: 64, into: small)
        try Self.generate(1_500, seed: 5, chunk: 100, into: large)
        try Self.generate(500, seed: 6, chunk: 64, into: other)
        // Entity i depends only on (seed, i): the small city's rows are the large city's first rows.
        let s = try Self.bytes(small, "entities.csv"), l = try Self.bytes(large, "entities.csv")
        #expect(l.starts(with: s))
        #expect(try Self.bytes(other, "entities.csv") != s)
        // The models do not depend on the city at all.
        #expect(try Self.bytes(other, "true-model.json") == Self.bytes(small, "true-model.json"))
    }

    @Test("every entity id is a valid, unique credit code of its district")
    func codes() throws {
        let tmp = try TemporaryDirectory("city-codes")
        defer { tmp.remove() }
        try Self.generate(5_000, seed: 11, chunk: 700, into: tmp.url)
        let table = try CSVFixture(tmp.file("entities.csv"))
        let id = try #require(table.column("entity_id")), district = try #require(table.column("district"))
        var seen = Set<String>()
        for row in table.rows {
            let code = row[id]
            #expect(CreditCode.isValid(code), "\(code)")
            #expect(CreditCode.organisationCodeIsValid(code), "\(code)")
            #expect(code.dropFirst(2).prefix(6) == Substring(row[district]))
            #expect(seen.insert(code).inserted, "duplicate \(code)")
        }
        #expect(seen.count == 5_000)
    }

    @Test("an entity count out of range is refused")
    func badCount() {
        #expect(throws: SyntheticCityError.entityCountOutOfRange(0)) {
            try CityGenerator(CityConfiguration(entities: 0, seed: 1))
        }
        #expect(throws: SyntheticCityError.entityCountOutOfRange(CityConfiguration.maximumEntities + 1)) {
            try CityGenerator(CityConfiguration(entities: CityConfiguration.maximumEntities + 1, seed: 1))
        }
    }

    @Test("a failed run leaves neither outputs nor temporary files")
    func atomicFailure() throws {
        let tmp = try TemporaryDirectory("city-atomic")
        defer { tmp.remove() }
        // A directory where history.csv must go makes the final rename impossible.
        let blocker = tmp.file("history.csv")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        try Data("x".utf8).write(to: blocker.appendingPathComponent("keep"))
        #expect(throws: SyntheticCityError.self) {
            try Self.generate(200, seed: 1, chunk: 64, into: tmp.url)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp.url.path)
        #expect(left == ["history.csv"], "left behind: \(left)")

        // An output path under a regular file cannot be created at all.
        let file = tmp.file("plain")
        try Data("x".utf8).write(to: file)
        let target = file.appendingPathComponent("city")
        #expect(throws: SyntheticCityError.cannotWrite(
            path: target.path, reason: "cannot create the directory: '\(file.path)' is a file, expected a directory")) {
            try Self.generate(10, seed: 1, chunk: 64, into: target)
        }
    }
}
