import Foundation
import Registry
import Supervision
import Testing

/// The target list's search: credit codes by prefix, names by any part of them, served by indexes whichever way
/// the page is read (few matches drive the page; texts under three characters are found by scanning the period).
@Suite("console search")
struct SearchTests {
    @Test func namesAreFoundByAnyPartAndCodesByPrefix() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let count = { (q: String) in
            try fixture.workspace.checkPage(CheckPageQuery(period: ConsoleFixture.period, search: q, limit: 500)).count
        }
        // 15 checks: market 0–9 and fire 0, 2, 4, 6, 8; entity 1 is named like a script, the others "餐馆 i 有限公司".
        #expect(try count("有限公司") == 14, "a substring at the end, through the trigram index")
        #expect(try count("公司") == 14, "two characters: no trigram, the period is scanned")
        #expect(try count("3 有限") == 1, "a substring in the middle")
        #expect(try count("餐馆 4") == 2, "market and fire checks of entity 4")
        #expect(try count("alert(") == 1, "the script-named entity, by part of its name")
        #expect(try count("ALERT(") == 0, "names compare case-sensitively")
        #expect(try count("\"") == 1 && (try count("\"x\"")) == 1, "a double quote matches itself, not FTS syntax")
        #expect(try count("a\"\u{301}x") == 0, "a quote a combining mark joins is doubled in the FTS phrase too")
        #expect(try count(fixture.codes[4].rawValue.prefix(12).description.lowercased()) >= 2, "codes by prefix, upper-cased")
        #expect(try count("no such name") == 0)
        // Pages after a key, in check-id order.
        let first = try fixture.workspace.checkPage(CheckPageQuery(period: ConsoleFixture.period, search: "有限公司", limit: 5))
        let rest = try fixture.workspace.checkPage(CheckPageQuery(period: ConsoleFixture.period, search: "有限公司",
                                                                   after: first.last!.check.id, limit: 500))
        #expect(first.count == 5 && rest.count == 9 && first.last!.check.id < rest.first!.check.id)
        #expect((first + rest).map(\.check.id) == (first + rest).map(\.check.id).sorted())
    }

    @Test func aRenamedEntityIsFoundByItsNewNameOnly() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let count = { (q: String) in
            try fixture.workspace.checkPage(CheckPageQuery(period: ConsoleFixture.period, search: q, limit: 500)).count
        }
        let file = fixture.directory.file("renamed.csv")
        try "credit_code,name,scenario,district,legal_representative,credit_grade,departments\n\(fixture.codes[4].rawValue),新名字餐厅,restaurant,310101,某人,A,market;fire\n"
            .write(to: file, atomically: true, encoding: .utf8)
        try fixture.workspace.importCSV(.entities, from: file, options: ImportOptions(auditTime: "2026-02-01T00:00:00Z"))
        #expect(try count("新名字") == 2 && (try count("餐馆 4")) == 0 && (try count("餐馆 6")) == 2)
    }
}
