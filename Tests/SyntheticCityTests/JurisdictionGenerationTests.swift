import Foundation
import Supervision
import Testing
import TestSupport
@testable import SyntheticCity

/// `generate --jurisdictions N [--jurisdiction J]`: the split, the columns, and one jurisdiction generated alone.
@Suite("City generation by jurisdiction")
struct JurisdictionGenerationTests {
    static func generate(_ configuration: CityConfiguration, into dir: URL) throws {
        try CityGenerator(configuration).write(to: dir)
    }

    @Test("jurisdiction ranges are contiguous, cover every entity once and are found back from an entity")
    func ranges() {
        for (count, entities) in [(1, 1), (3, 10), (10, 1_000), (7, 7), (4, 1_001)] {
            let layout = CityJurisdictions(count: count, entities: entities)
            var next = 0
            for k in 0..<count {
                let range = layout.range(k)
                #expect(range.lowerBound == next && !range.isEmpty)
                for i in range { #expect(layout.jurisdiction(ofEntity: i) == k) }
                next = range.upperBound
            }
            #expect(next == entities)
        }
        #expect(CityJurisdictions(count: 10, entities: 100).code(9) == "J10")
        #expect(CityJurisdictions(count: 120, entities: 1_000).code(4) == "J005")
    }

    @Test("with --jurisdictions: the column in entities, roster and quotas; the same entities as without")
    func columns() throws {
        let tmp = try TemporaryDirectory("city-jurisdictions")
        defer { tmp.remove() }
        let plain = tmp.url.appendingPathComponent("plain"), split = tmp.url.appendingPathComponent("split")
        try Self.generate(CityConfiguration(entities: 900, seed: 11), into: plain)
        try Self.generate(CityConfiguration(entities: 900, seed: 11, jurisdictions: 3), into: split)

        let a = try CSVFixture(plain.appendingPathComponent("entities.csv"))
        let b = try CSVFixture(split.appendingPathComponent("entities.csv"))
        let j = try #require(b.column("jurisdiction"))
        #expect(b.header == Array(a.header[..<3]) + ["jurisdiction"] + Array(a.header[3...]))
        // Every entity keeps its row, with its jurisdiction inserted: J01 the first third, and so on.
        for (i, (x, y)) in zip(a.rows, b.rows).enumerated() {
            var without = y
            let code = without.remove(at: j)
            #expect(without == x)
            #expect(code == ["J01", "J02", "J03"][i / 300])
        }
        #expect(a.rows.count == b.rows.count)
        for name in ["history.csv", "credit_events.csv", "departments.csv", "items.csv", "caps.csv"] {
            #expect(try Data(contentsOf: plain.appendingPathComponent(name)) == Data(contentsOf: split.appendingPathComponent(name)),
                    "\(name) differs")
        }
        let context = DirectoryContext()
        let quotas = try QuotasFile.read(split.appendingPathComponent("quotas.csv"), context: context)
        let plainQuotas = try QuotasFile.read(plain.appendingPathComponent("quotas.csv"), context: context)
        #expect(quotas.count == 3 * plainQuotas.count)
        #expect(Set(quotas.map(\.jurisdiction)) == ["J01", "J02", "J03"])
        #expect(plainQuotas.allSatisfy { $0.jurisdiction == nil })
        let roster = try InspectorsFile.read(split.appendingPathComponent("inspectors.csv"))
        #expect(Set(roster.map(\.jurisdiction)) == ["J01", "J02", "J03"])
        #expect(roster.allSatisfy { $0.id.rawValue.hasPrefix($0.jurisdiction!.rawValue + "-") })
        // A roster's conflicts and last checks name only its own jurisdiction's entities.
        let jurisdictionOf = Dictionary(uniqueKeysWithValues: b.rows.map { ($0[0], $0[j]) })
        for inspector in roster {
            for entity in inspector.conflicts + inspector.checkedLastPeriod {
                #expect(jurisdictionOf[entity.rawValue] == inspector.jurisdiction?.rawValue)
            }
        }
    }

    @Test("one jurisdiction generated alone gives exactly its rows of the whole city's files")
    func oneJurisdictionAlone() throws {
        let tmp = try TemporaryDirectory("city-one-jurisdiction")
        defer { tmp.remove() }
        let whole = tmp.url.appendingPathComponent("whole"), alone = tmp.url.appendingPathComponent("alone")
        try Self.generate(CityConfiguration(entities: 1_000, seed: 3, chunkSize: 128, jurisdictions: 4), into: whole)
        try Self.generate(CityConfiguration(entities: 1_000, seed: 3, chunkSize: 77, jurisdictions: 4,
                                            onlyJurisdiction: "J03"), into: alone)
        func text(_ dir: URL, _ name: String) throws -> [Substring] {
            try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
        }
        let entities = try CSVFixture(whole.appendingPathComponent("entities.csv"))
        let j = try #require(entities.column("jurisdiction"))
        let ids = Set(entities.rows.filter { $0[j] == "J03" }.map { $0[0] })
        #expect(ids.count == 250)
        for name in ["entities.csv", "history.csv", "credit_events.csv"] {
            let all = try text(whole, name), part = try text(alone, name)
            let expected = [all[0]] + all.dropFirst().filter { ids.contains(String($0.prefix { $0 != "," })) }
            #expect(part == expected, "\(name)")
        }
        for name in ["inspectors.csv", "quotas.csv"] {
            let all = try text(whole, name), part = try text(alone, name)
            #expect(part == [all[0]] + all.dropFirst().filter { $0.hasSuffix(",J03") }, "\(name)")
            #expect(part.count > 1)
        }
    }

    @Test("a jurisdiction count or code that does not fit the city is refused")
    func refusals() {
        #expect(throws: SyntheticCityError.self) { try CityConfiguration(entities: 5, seed: 1, jurisdictions: 6).validate() }
        #expect(throws: SyntheticCityError.self) { try CityConfiguration(entities: 5, seed: 1, jurisdictions: 0).validate() }
        #expect(throws: SyntheticCityError.self) {
            try CityConfiguration(entities: 50, seed: 1, jurisdictions: 3, onlyJurisdiction: "J04").validate()
        }
        #expect(throws: SyntheticCityError.self) {
            try CityConfiguration(entities: 50, seed: 1, onlyJurisdiction: "J01").validate()
        }
    }
}
