import Foundation
import Testing
import TestSupport

/// The German credit scorecard through the command line: fit on the train rows of `split_seed186.csv`,
/// evaluate on its test rows.
@Suite struct FitGermanCreditTests {
    static let data = "german-credit/germancredit.csv"
    static let split = "german-credit/split_seed186.csv"

    static func metric(_ output: String, _ label: String) -> Double? {
        output.split(separator: "\n").first { $0.hasPrefix(label + " ") }
            .flatMap { Double($0.dropFirst(label.count).trimmingCharacters(in: .whitespaces).split(separator: " ")[0]) }
    }

    @Test(.enabled(if: SharedData.shouldRun(data) && SharedData.shouldRun(split)))
    func scorecardOnTrainRowsReachesTestAUC080() throws {
        let csv = try SharedData.url(Self.data).path, split = try SharedData.url(Self.split).path
        let dir = try TemporaryDirectory("german-e2e")
        defer { dir.remove() }
        let fit = try OneCheckBinary.run(["fit", "--input", csv, "--target", "creditability", "--positive", "bad",
                                          "--split", split, "--split-set", "train", "--model-type", "scorecard",
                                          "--output", dir.file("card.json").path])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("700 training rows of 1000, 210 positive"), "\(fit.stdout)")
        let eval = try OneCheckBinary.run(["evaluate", "--model", dir.file("card.json").path, "--input", csv,
                                           "--target", "creditability", "--positive", "bad", "--split", split,
                                           "--split-set", "test"])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stdout.contains("300 rows (set test of split_seed186.csv), 90 positive"), "\(eval.stdout)")
        let auc = try #require(Self.metric(eval.stdout, "AUC"))
        #expect(auc >= 0.80, "test AUC \(auc)")
        let gini = try #require(Self.metric(eval.stdout, "Gini"))
        #expect(abs(gini - (2 * auc - 1)) <= 1.5e-4)
    }

    @Test(.enabled(if: SharedData.shouldRun(data) && SharedData.shouldRun(split)))
    func logisticWithCMatchesTheReferenceDesignWidth() throws {
        let csv = try SharedData.url(Self.data).path, split = try SharedData.url(Self.split).path
        let dir = try TemporaryDirectory("german-e2e")
        defer { dir.remove() }
        let fit = try OneCheckBinary.run(["fit", "--input", csv, "--target", "creditability", "--positive", "bad",
                                          "--split", split, "--C", "1", "--output", dir.file("logit.json").path])
        #expect(fit.status == 0, "\(fit.stderr)")
        // 7 numeric columns + 13 categorical (54 levels → 41 dummies) + intercept = 49 design columns.
        let table = fit.stdout.split(separator: "\n").drop { !$0.hasPrefix("column") }.dropFirst()
            .filter { !$0.hasPrefix("model ") }
        #expect(table.count == 49, "\(fit.stdout)")
        let eval = try OneCheckBinary.run(["evaluate", "--model", dir.file("logit.json").path, "--input", csv,
                                           "--target", "creditability", "--positive", "bad", "--split", split])
        #expect(eval.status == 0, "\(eval.stderr)")
        let auc = try #require(Self.metric(eval.stdout, "AUC"))
        #expect(auc > 0.75, "test AUC \(auc)")
    }
}
