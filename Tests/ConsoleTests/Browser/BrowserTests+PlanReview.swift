import Console
import Foundation
import Registry
import Testing
import TestSupport

/// The planner's plan review (agreed vs realised quotas as bars, inspector workload as histograms, visits saved by
/// joint checks, the pairs) in a real browser at a desktop and a phone width, on a plan drawn by the binary.
extension BrowserTests {
    @Test func planReviewAtDesktopAndPhoneWidths() async throws {
        let d = try FixtureDirectory()
        defer { d.remove() }
        let run = { (arguments: [String]) in try PlanWorkflowTests.run(arguments, in: d.url) }
        try run(["generate", "--entities", "400", "--seed", "5", "--output", "city", "--quiet"])
        try run(["score", "--model", "city/default-model.json", "--input", "city/entities.csv", "--output", "scores.csv",
                 "--threads", "1", "--no-progress"])
        try run(["init", "ws.sqlite"])
        try run(["import", "-w", "ws.sqlite", "city", "city", "--scores", "scores.csv"])
        try run(["plan", "--scores", "scores.csv", "--entities", "city/entities.csv", "--quotas", "city/quotas.csv",
                 "--inspectors", "city/inspectors.csv", "--departments", "city/departments.csv",
                 "--scenarios", "city/scenarios.csv", "--items", "city/items.csv", "--caps", "city/caps.csv",
                 "--period", "2026Q1", "--seed", "browser seed", "--output", "plans/plan-2026Q1"])
        let visits = try String(contentsOf: d.file("plans/plan-2026Q1/plan.csv"), encoding: .utf8)
            .split(separator: "\n").count - 1
        let workspace = try Workspace.open(at: d.file("ws.sqlite").path)
        try workspace.addUser(name: "pat", role: .planner, passwordHash: ConsoleFixture.passwordHash)
        let live = try await ServedConsole(workspace: "ws.sqlite", in: d.url, ["--plans", "plans"])
        let browser = try await WebDriver()
        do {
            try await login(browser, live, "pat")
            for size in Self.sizes {
                try await browser.setWindow(width: size.1, height: size.2)
                for language in ["zh", "en"] {
                    _ = try await look(browser, live, "/planner/plans/plan-2026Q1?lang=\(language)",
                                       name: "plan-review-\(language)", size: size)
                    // The quota bars and one workload histogram per department, each with its numbers as a table.
                    let figures = try await browser.elements("figure.chart")
                    let tables = try await browser.elements("figure.chart table.chart-data")
                    #expect(figures.count >= 2 && figures.count == tables.count)
                    #expect(try await browser.elements("figure.chart svg rect").count > 4)
                    let quotaRows = try await browser.texts("figure.chart:first-child table.chart-data tbody tr")
                    #expect(!quotaRows.isEmpty)
                    // Every legend fits its chart: no legend is wider than its figure, none runs past the window.
                    let overflow = try await browser.script("""
                        return Array.from(document.querySelectorAll('figure.chart')).filter(f => {
                          const l = f.querySelector('.legend'); if (!l) return false;
                          const a = f.getBoundingClientRect(), b = l.getBoundingClientRect();
                          return b.right > a.right + 1 || b.left < a.left - 1 || l.scrollWidth > l.clientWidth + 1;
                        }).length
                        """) as? Int
                    #expect(overflow == 0, "legends overflow at \(size.0)")
                    #expect(try await browser.elements("figure.chart .legend").count >= 1)
                    #expect(try await browser.texts("#visits-saved").first.map { Int($0) != nil } == true)
                    #expect(try await browser.elements("#pairs tbody tr").count == min(visits, 200))
                    #expect(try await browser.elements("#lock-form button").count == 1)
                }
            }
        } catch {
            await browser.quit()
            await live.stop()
            throw error
        }
        await browser.quit()
        await live.stop()
    }
}
