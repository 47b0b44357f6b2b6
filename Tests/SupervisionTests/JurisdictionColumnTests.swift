import Foundation
import Supervision
import Tables
import Testing
import TestSupport

/// The optional `jurisdiction` column of entities.csv, inspectors.csv and quotas.csv.
@Suite("Jurisdiction column")
struct JurisdictionColumnTests {
    static func write(_ text: String, _ name: String, in directory: TemporaryDirectory) throws -> URL {
        let url = directory.file(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func failure(_ body: () throws -> Void) -> TableError? {
        do { try body() } catch let error as TableError { return error } catch { Issue.record("\(error)") }
        return nil
    }

    @Test func codesAreCheckedAndGeneratedCodesSortAsNumbered() {
        #expect(Jurisdiction.isWellFormed("J01") && Jurisdiction.isWellFormed("310104") && Jurisdiction.isWellFormed("sh.pd-1_a"))
        #expect(!Jurisdiction.isWellFormed("") && !Jurisdiction.isWellFormed("J 1") && !Jurisdiction.isWellFormed("浦东"))
        #expect(!Jurisdiction.isWellFormed(String(repeating: "a", count: 65)))
        let codes = (0..<12).map { Jurisdiction.generatedCode($0, of: 12) }
        #expect(codes.first == "J01" && codes.last == "J12" && codes == codes.sorted())
        #expect(Jurisdiction.generatedCode(0, of: 100) == "J001")
    }

    @Test func quotasWithTheColumnRoundTripAndKeyEachStratumPerJurisdiction() throws {
        let d = try TemporaryDirectory("jurisdiction-quotas")
        defer { d.remove() }
        let text = "department,grade,ratio,count,certain,jurisdiction\nmarket,A,0.010,,0,J01\nmarket,A,0.020,,0,J02\nmarket,D,,,1,J02\n"
        let quotas = try QuotasFile.read(try Self.write(text, "quotas.csv", in: d))
        #expect(quotas.map(\.jurisdiction) == ["J01", "J02", "J02"])
        let buffer = CSVRowBuffer()
        QuotasFile.write(quotas, to: buffer)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == text)

        let twice = "department,grade,ratio,jurisdiction\nmarket,A,0.01,J01\nmarket,A,0.02,J01\n"
        let error = try #require(Self.failure { _ = try QuotasFile.read(try Self.write(twice, "twice.csv", in: d)) })
        #expect(error.line == 3 && error.kind == .duplicateKey(firstLine: 2))
        let empty = "department,grade,ratio,jurisdiction\nmarket,A,0.01,\n"
        let missing = try #require(Self.failure { _ = try QuotasFile.read(try Self.write(empty, "empty.csv", in: d)) })
        #expect(missing.line == 2 && missing.columnName == "jurisdiction" && missing.kind == .missingValue)
        let bad = "department,grade,ratio,jurisdiction\nmarket,A,0.01,J 1\n"
        let malformed = try #require(Self.failure { _ = try QuotasFile.read(try Self.write(bad, "bad.csv", in: d)) })
        #expect(malformed.line == 2 && malformed.columnName == "jurisdiction" && malformed.kind == .invalidValue)
    }

    @Test func aFileWithoutTheColumnIsOneImplicitJurisdictionAndKeepsItsBytes() throws {
        let d = try TemporaryDirectory("jurisdiction-implicit")
        defer { d.remove() }
        let text = "department,grade,ratio,count,certain\nmarket,A,0.010,,0\n"
        let quotas = try QuotasFile.read(try Self.write(text, "quotas.csv", in: d))
        #expect(quotas.allSatisfy { $0.jurisdiction == Jurisdiction.implicit })
        let buffer = CSVRowBuffer()
        QuotasFile.write(quotas, to: buffer)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == text)

        let roster = "inspector_id,department,district,qualified_items,cap_per_period,cap_per_day,conflicts,last_checked\n"
            + "a,market,310104,m.1,40,2,,\n"
        let inspectors = try InspectorsFile.read(try Self.write(roster, "inspectors.csv", in: d))
        #expect(inspectors[0].jurisdiction == nil)
        let out = CSVRowBuffer()
        InspectorsFile.write(inspectors, to: out)
        #expect(String(decoding: out.bytes, as: UTF8.self) == roster)
    }

    @Test func rosterWithTheColumnRoundTrips() throws {
        let d = try TemporaryDirectory("jurisdiction-roster")
        defer { d.remove() }
        let roster = "inspector_id,department,district,qualified_items,cap_per_period,cap_per_day,conflicts,last_checked,jurisdiction\n"
            + "J01-a,market,310104,m.1;m.2,40,2,e1,,J01\nJ02-a,market,310104,m.1,41,3,,e2,J02\n"
        let inspectors = try InspectorsFile.read(try Self.write(roster, "inspectors.csv", in: d))
        #expect(inspectors.map(\.jurisdiction) == ["J01", "J02"])
        let out = CSVRowBuffer()
        InspectorsFile.write(inspectors, to: out, withJurisdiction: true)
        #expect(String(decoding: out.bytes, as: UTF8.self) == roster)
    }

    @Test func entitiesReaderGivesTheJurisdictionAndDoesNotTakeItForAFeature() throws {
        let d = try TemporaryDirectory("jurisdiction-entities")
        defer { d.remove() }
        let url = try Self.write("entity_id,district,scenario,jurisdiction,age\ne1,310104,restaurant,J01,3\ne2,310104,restaurant,,4\n",
                                 "entities.csv", in: d)
        var reader = try EntitiesFile.Reader(url)
        #expect(reader.jurisdictionColumn == 3 && reader.featureColumns == [4])
        #expect(!EntitiesFile.isFeature("jurisdiction"))
        let block = try #require(try reader.nextBlock())
        #expect(try reader.jurisdiction(block, row: 0) == "J01")
        let error = try #require(Self.failure { _ = try reader.jurisdiction(block, row: 1) })
        #expect(error.line == 3 && error.columnName == "jurisdiction")

        let plain = try Self.write("entity_id,scenario,age\ne1,restaurant,3\n", "plain.csv", in: d)
        var without = try EntitiesFile.Reader(plain)
        let rows = try #require(try without.nextBlock())
        #expect(try without.jurisdiction(rows, row: 0) == nil)
    }
}
