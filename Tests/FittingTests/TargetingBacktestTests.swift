import Foundation
import Testing
import TestSupport
@testable import Fitting
import Supervision

@Suite struct TargetingBacktestTests {
    @Test func calendarDates() throws {
        #expect(CalendarDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        #expect(CalendarDate(year: 2000, month: 3, day: 1)?.dayNumber == 11_017)
        let iso = DateFormat.iso
        #expect(try #require(iso.date("2014-10-31")).dayNumber - #require(iso.date("2014-09-02")).dayNumber == 59)
        #expect(try #require(iso.date("2012-03-01")).dayNumber - #require(iso.date("2012-02-28")).dayNumber == 2)
        #expect(iso.date("2014-02-30") == nil)
        #expect(iso.date("14-9-2") == nil)
        // A time after the day is ignored, as before.
        #expect(iso.date("2014-09-02 10:30:00") == iso.date("2014-09-02"))
        #expect(iso.date("2014-09-02T10:30") == iso.date("2014-09-02"))
    }

    @Test func reorderingKeepsEachDaysCapacity() throws {
        // Days 0, 0, 1, 2, 2, 3 (two inspections on days 0 and 2). Positives are rows 3 and 5.
        let days = [0, 2, 0, 2, 1, 3]
        let scores = [0.1, 0.2, 0.3, 0.8, 0.1, 0.9]
        let outcomes: [Double] = [0, 0, 0, 1, 0, 1]
        let result = try TargetingBacktest.evaluate(days: days, scores: scores, outcomes: outcomes)
        // By score: row 5 (0.9) → day 0, row 3 (0.8) → day 0, row 2 → 1, row 1 → 2, then the tie 0.1: row 0
        // (actual day 0) before row 4 (actual day 1) → days 2, 3.
        #expect(result.reorderedDays == [2, 2, 1, 0, 3, 0])
        #expect(result.reorderedDays.sorted() == days.sorted())
        #expect(result.meanDaysEarlier == Double((2 - 0) + (3 - 0)) / 2)
        // Actual slots by date: rows 0, 2 (day 0), 4 (day 1), 1, 3 (day 2), 5 (day 3): no positive in the first 3.
        #expect(result.firstHalfShareActual == 0)
        #expect(result.firstHalfShareReordered == 1)
        #expect(result.auc == 1)
        #expect(result.positives == 2 && result.inspections == 6)
    }

    static let table = "chicago-food/chicago_food_model_table.csv"

    @Test(.enabled(if: SharedData.shouldRun(table)))
    func chicagoBacktestWithAndWithoutInspector() throws {
        let file = try NamedColumns(Self.table)
        let body = file.table.rows
        func column(_ name: String) throws -> [String] { try file.strings(name) }
        let numericNames = ["pastSerious", "pastCritical", "timeSinceLast", "ageAtInspection",
                            "consumption_on_premises_incidental_activity", "tobacco", "temperatureMax",
                            "heat_burglary", "heat_sanitation", "heat_garbage"]
        let numeric = try numericNames.map { FeatureColumn.numeric(name: $0, values: try file.doubles($0)) }
        let inspector = FeatureColumn.categorical(name: "Inspector", levels: try column("Inspector"))
        let outcome = try file.doubles("criticalFound")
        let days = try column("Inspection_Date").map { try #require(DateFormat.iso.date($0)).dayNumber }
        let test = try column("Test").map { $0 == "1" }
        let trainRows = test.indices.filter { !test[$0] }, testRows = test.indices.filter { test[$0] }
        #expect(body.count == 18_781)

        let with = try TargetingBacktest.fitAndEvaluate(features: numeric + [inspector], outcome: outcome, days: days,
                                                        trainRows: trainRows, testRows: testRows)
        let without = try TargetingBacktest.fitAndEvaluate(features: numeric, outcome: outcome, days: days,
                                                           trainRows: trainRows, testRows: testRows)
        for (label, r) in [("with Inspector", with.backtest), ("without Inspector", without.backtest)] {
            print("Chicago \(label): n \(r.inspections), positives \(r.positives), days earlier \(r.meanDaysEarlier), "
                  + "first half \(r.firstHalfShareActual) → \(r.firstHalfShareReordered), AUC \(r.auc), "
                  + "top-decile hit rate \(r.topDecile.hitRate) lift \(r.topDecile.lift)")
        }
        #expect(with.design.columnNames.count == 1 + 10 + 5)
        // The Inspector cluster (known only after the visit) carries most of the signal: the city reports
        // AUC ≈ 0.67 with it and ≈ 0.57 without.
        #expect(with.backtest.auc > without.backtest.auc)
        #expect(abs(with.backtest.auc - 0.67) < 0.02)
        #expect(abs(without.backtest.auc - 0.57) < 0.02)
        #expect(with.backtest.meanDaysEarlier > without.backtest.meanDaysEarlier)
        #expect(without.backtest.meanDaysEarlier > 0)
        #expect(with.backtest.firstHalfShareReordered > with.backtest.firstHalfShareActual)
    }

    @Test(.enabled(if: SharedData.shouldRun("chicago-food/chicago_30_xgboost_data.csv")))
    func cityXGBoostScoresReproduceThePublishedOrder() throws {
        let file = try NamedColumns("chicago-food/chicago_30_xgboost_data.csv")
        let testRows = try file.strings("Test").enumerated().filter { $1 == "True" }.map(\.offset)
        let allScores = try file.doubles("score"), allOutcomes = try file.doubles("criticalFound")
        let allDates = try file.strings("Inspection_Date")
        let scores = testRows.map { allScores[$0] }, outcomes = testRows.map { allOutcomes[$0] }
        let days = try testRows.map { try #require(DateFormat.iso.date(allDates[$0])).dayNumber }
        let r = try TargetingBacktest.evaluate(days: days, scores: scores, outcomes: outcomes)
        print("Chicago city XGBoost scores: days earlier \(r.meanDaysEarlier), first half \(r.firstHalfShareActual) → "
              + "\(r.firstHalfShareReordered), AUC \(r.auc), top-decile lift \(r.topDecile.lift)")
        #expect(r.inspections == 1637 && r.positives == 258)
        // The city published 0.547 → 0.690 and 7.44 days (its own tie and period conventions differ slightly).
        #expect(abs(r.firstHalfShareActual - 0.547) < 0.001)
        #expect(abs(r.firstHalfShareReordered - 0.690) < 0.01)
        #expect(abs(r.meanDaysEarlier - 7.44) < 0.5)
    }
}
