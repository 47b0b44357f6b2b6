import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Supervision
import Testing

@Suite("console strings, language and reports")
struct StringsAndReportsTests {
    @Test func everyLabelHasBothLanguages() {
        for (key, value) in Strings.table {
            #expect(!value.zh.isEmpty && !value.en.isEmpty, "\(key)")
            #expect(!key.contains("."), "\(key): mustache reads '.' as nesting")
        }
    }

    @Test func everyLabelATemplateUsesExists() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Console/Resources/templates")
        var used = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            var rest = text[...]
            while let range = rest.range(of: "{{t.") {
                let tail = rest[range.upperBound...]
                guard let end = tail.range(of: "}}") else { break }
                used.insert(String(tail[..<end.lowerBound]))
                rest = tail[end.upperBound...]
            }
        }
        #expect(used.count > 50)
        for key in used { #expect(Strings.table[key] != nil, "template label \(key) is not in the string table") }
        // Labels built in Swift code are looked up through Strings.text; unknown keys would show as keys.
        #expect(Strings.text("nav_home", .zh) == "首页" && Strings.text("nav_home", .en) == "Home")
    }

    @Test func chineseByDefaultEnglishBySwitchRemembered() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let app = Application(router: try fixture.console().router().router)
        try await app.test(.router) { client in
            var visitor = Visitor()
            let zh = String(buffer: try await visitor.get(client, "/items").body)
            #expect(zh.contains("lang=\"zh-CN\"") && zh.contains("抽查事项清单") && zh.contains("从业人员健康证明"))
            let en = try await visitor.get(client, "/items?lang=en")
            #expect(String(buffer: en.body).contains("Item lists"))
            #expect(en.headers[values: .setCookie].contains { $0.hasPrefix("oc_lang=en") && $0.contains("SameSite=Strict") })
            let remembered = String(buffer: try await visitor.get(client, "/targets").body)
            #expect(remembered.contains("lang=\"en\"") && remembered.contains("Target lists"))
        }
    }

    /// A report must open on a machine with no network and no server: nothing it references lives elsewhere.
    static func expectSelfContained(_ html: String) {
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<style>") && html.contains("<svg"))
        for forbidden in ["<link", "<script", "src=", "url(", "@import", "href=\"http", "href=\"/", "href=\"//"] {
            #expect(!html.contains(forbidden), "report contains \(forbidden)")
        }
    }

    @Test func indicatorReportIsSelfContained() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let html = try Reports.indicators(workspace: fixture.workspace, asOf: CalendarDate(year: 2026, month: 4, day: 30)!,
                                          language: .en)
        Self.expectSelfContained(html)
        // The charts carry their numbers: the market coverage of 2026Q1 (4 performed of 24) is in a table.
        #expect(html.contains("Coverage") && html.contains("16.7%"), "coverage 4/24")
    }

    /// A chart's element id is derived from its title by a fixed function (FNV-1a), not by Swift's per-process
    /// seeded hash: a report written twice is byte-identical (the test vector is FNV-1a's of "a").
    @Test func chartIdsAreTheSameInEveryProcess() {
        let html = Chart(.bars, title: "a", labels: ["x"], series: [Chart.Series(name: "s", values: [1])]).html
        #expect(html.hasPrefix("<figure class=\"chart\" aria-labelledby=\"ce40c292c\"><figcaption id=\"ce40c292c\">a</figcaption>"))
    }
}
