import Console
import Foundation
import Registry
import Supervision
import Testing
import TestSupport

/// The console in a real browser: Debian's headless Chromium through chromedriver (W3C WebDriver). Under `CI` a
/// missing browser fails these tests; elsewhere they are skipped.
@Suite("console in a real browser", .serialized, .enabled(if: WebDriver.shouldRun))
struct BrowserTests {
    /// Where screenshots are kept for a person to look at.
    static let screenshots: URL = {
        let url = SharedData.repositoryRoot.appendingPathComponent(".build/console-screenshots")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static let sizes = [("desktop", 1280, 900), ("phone", 390, 844)]

    /// Loads `path`, checks the page is not blank nor wider than the window, and saves the screenshot.
    func look(_ browser: WebDriver, _ live: ServedConsole, _ path: String, name: String, size: (String, Int, Int)) async throws -> String {
        try await browser.open(live.url(path))
        let source = try await browser.source
        let png = try PNGImage(try await browser.screenshot())
        let file = Self.screenshots.appendingPathComponent("\(name)-\(size.0).png")
        try Data(try await browser.screenshot()).write(to: file)
        #expect(png.variance > 100 && png.darkShare > 0.002, "\(path) at \(size.0) looks blank: variance \(png.variance)")
        if let width = try await browser.script("return document.documentElement.scrollWidth") as? Int {
            #expect(width <= size.1 + 1, "\(path) at \(size.0) is \(width) px wide in a \(size.1) px window")
        }
        #expect(!source.contains(ConsoleFixture.secretNote) || path.hasPrefix("/department") || path.hasPrefix("/planner"))
        return source
    }

    func login(_ browser: WebDriver, _ live: ServedConsole, _ name: String) async throws {
        try await browser.open(live.url("/login"))
        try await browser.type("input[name=name]", name)
        try await browser.type("input[name=password]", ConsoleFixture.password)
        try await browser.click("form.stack button[type=submit]")
        try await browser.waitForURL(containing: name == "ada" ? "/admin" : name == "pat" ? "/planner" : "/department")
    }

    func logout(_ browser: WebDriver) async throws {
        try await browser.click("nav form.inline button")
        for _ in 0..<100 where try await !browser.elements("nav form.inline button").isEmpty {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    @Test func mainPagesAtDesktopAndPhoneWidths() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let live = try await ServedConsole(workspace: fixture.location, in: fixture.directory.url, ["--today", "2026-04-30"])
        let browser = try await WebDriver()
        do {
            for size in Self.sizes {
                try await browser.setWindow(width: size.1, height: size.2)
                for (path, name) in [("/", "home"), ("/items", "items"), ("/plans", "plans"),
                                     ("/results?period=2026Q1", "results"), ("/entity/\(fixture.codes[1].rawValue)", "entity-public")] {
                    _ = try await look(browser, live, path, name: name, size: size)
                }
                // The target list names every entity of the drawn plan.
                _ = try await look(browser, live, "/targets?period=2026Q1", name: "targets", size: size)
                let listed = Set(try await browser.texts("#listing tbody tr td:first-child"))
                #expect(listed == Set((0..<10).map { fixture.codes[$0].rawValue }), "\(listed)")
                // Chinese renders (a CJK font is installed): the title is drawn, in Chinese.
                #expect(try await browser.texts("h1").first == "抽查任务公告")
                // Nothing unpublished: the results list only the published checks' entities.
                try await browser.open(live.url("/results?period=2026Q1"))
                let results = Set(try await browser.texts("#listing tbody tr td:first-child"))
                #expect(results == Set((0..<3).map { fixture.codes[$0].rawValue }))

                try await login(browser, live, "pat")
                let dashboard = try await look(browser, live, "/planner", name: "dashboard", size: size)
                #expect(dashboard.contains("<svg"))
                // The charts carry their numbers: every chart has a table, and the coverage 16.7 % is in one.
                let figures = try await browser.elements("figure.chart")
                let tables = try await browser.elements("figure.chart table.chart-data")
                #expect(figures.count >= 2 && figures.count == tables.count)
                #expect(try await browser.texts("figure.chart table.chart-data td").contains("16.7%"))
                _ = try await look(browser, live, "/planner/model", name: "model", size: size)
                #expect(try await browser.elements("figure.chart").count == 3)
                _ = try await look(browser, live, "/planner/entity/\(fixture.codes[1].rawValue)", name: "entity-planner", size: size)
                #expect(try await browser.texts("h1").first == ConsoleFixture.scriptName, "the script name shows as text")
                try await logout(browser)

                try await login(browser, live, "ada")
                _ = try await look(browser, live, "/admin/users", name: "users", size: size)
                _ = try await look(browser, live, "/admin/audit", name: "audit", size: size)
                try await logout(browser)

                try await login(browser, live, "mo")
                _ = try await look(browser, live, "/department?period=2026Q1", name: "department", size: size)
                #expect(try await browser.texts("#checks tbody tr td:first-child").count == 10)
                _ = try await look(browser, live, "/department/check/\(fixture.marketCheck(1))", name: "department-check", size: size)
                #expect(try await browser.texts("#findings tbody td").contains("market.r.1"))
                _ = try await look(browser, live, "/department/overdue", name: "department-overdue", size: size)
                try await logout(browser)
            }
        } catch {
            await browser.quit()
            await live.stop()
            throw error
        }
        await browser.quit()
        await live.stop()
    }

    @Test func officerRecordsAndPublishesAFinding() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let live = try await ServedConsole(workspace: fixture.location, in: fixture.directory.url, ["--today", "2026-04-30"])
        let browser = try await WebDriver()
        let check = fixture.marketCheck(8).rawValue
        let entityPage = "/entity/\(fixture.codes[8].rawValue)"
        do {
            try await browser.setWindow(width: 390, height: 844)
            try await login(browser, live, "mo")
            #expect(try await browser.currentURL.hasSuffix("/department"))
            _ = try await look(browser, live, "/department?period=2026Q1", name: "officer-checks", size: Self.sizes[1])
            #expect(try await browser.texts("#checks tbody tr td:first-child").allSatisfy { $0.hasSuffix("-market") })
            _ = try await look(browser, live, "/department/check/\(check)", name: "officer-check", size: Self.sizes[1])
            try await browser.select("#finding-form select[name=item]", value: "market.r.2")
            try await browser.select("#finding-form select[name=outcome]", value: "minor")
            try await browser.type("#finding-form input[name=penalty]", "300")
            try await browser.click("#finding-form button")
            try await browser.waitForURL(containing: "saved=1")
            // It appears on the check page.
            #expect(try await browser.currentURL.contains("/department/check/\(check)"))
            #expect(try await browser.texts("#findings tbody td").contains("market.r.2"))
            // Absent from the public page until published.
            try await browser.open(live.url(entityPage))
            #expect(!(try await browser.source.contains(check)))
            try await browser.open(live.url("/department?period=2026Q1"))
            try await browser.click("#publish-form button")
            try await browser.waitForURL(containing: "saved=1")
            // Published, then present.
            _ = try await look(browser, live, entityPage, name: "entity-published", size: Self.sizes[1])
            #expect(try await browser.texts("#results tbody td").contains(check))
            #expect(try fixture.workspace.auditLog().contains { $0.user == "mo" && $0.action == .publish })
        } catch {
            await browser.quit()
            await live.stop()
            throw error
        }
        await browser.quit()
        await live.stop()
    }
}
