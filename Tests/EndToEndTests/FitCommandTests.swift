import Foundation
import Testing
import TestSupport

/// `onecheck fit`, `evaluate` and `tune` run as a user would: the built binary, real files, exit status and messages.
@Suite struct FitCommandTests {
    /// A small seeded data set: id, a numeric feature, a categorical one and a yes/no target whose log-odds rise
    /// with both.
    static func syntheticCSV(rows: Int = 400, seed: UInt64 = 7) -> String {
        var rng = SeededGenerator(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        var text = "shop_id,complaints,district,violation\n"
        let districts = ["north", "south", "east"]
        for i in 0..<rows {
            let complaints = Int(uniform() * 6)
            let d = Int(uniform() * 3)
            let eta = -1.5 + 0.5 * Double(complaints) + [0, 0.8, -0.4][d]
            let y = uniform() < 1 / (1 + exp(-eta))
            text += "S\(i),\(complaints),\(districts[d]),\(y ? "yes" : "no")\n"
        }
        return text
    }

    struct Workspace {
        let dir: TemporaryDirectory
        init(_ csv: String, name: String = "data.csv") throws {
            dir = try TemporaryDirectory("fit-e2e")
            try csv.write(to: dir.file(name), atomically: true, encoding: .utf8)
        }
        func path(_ name: String) -> String { dir.file(name).path }
        func run(_ arguments: [String]) throws -> CommandResult { try OneCheckBinary.run(arguments, in: dir.url) }
    }

    static func column(_ csv: String, _ name: String) -> [String] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let j = lines[0].firstIndex(of: name)!
        return lines.dropFirst().map { $0[j] }
    }

    @Test(arguments: ["logistic", "scorecard"])
    func fitThenScoreReproducesTheLinearPredictors(modelType: String) throws {
        let w = try Workspace(Self.syntheticCSV())
        defer { w.dir.remove() }
        let fit = try w.run(["fit", "--input", w.path("data.csv"), "--target", "violation", "--positive", "yes",
                             "--id", "shop_id", "--model-type", modelType, "--output", w.path("model.json"),
                             "--predictions", w.path("linear.csv")])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("400 training rows of 400"))
        let score = try w.run(["score", "--model", w.path("model.json"), "--input", w.path("data.csv"),
                               "--output", w.path("scores.csv")])
        #expect(score.status == 0, "\(score.stderr)")
        let scored = try String(contentsOfFile: w.path("scores.csv"), encoding: .utf8)
        let head = modelType == "logistic" ? "risk" : "credit"
        let fromScore = Self.column(scored, "\(head)_score").map { Double($0)! }
        let fromFit = Self.column(try String(contentsOfFile: w.path("linear.csv"), encoding: .utf8), "linear_predictor")
            .map { Double($0)! }
        #expect(fromScore.count == 400 && fromFit.count == 400)
        // score prints 6 decimals: agreement to rounding.
        for (a, b) in zip(fromScore, fromFit) { #expect(abs(a - b) <= 5.000001e-7, "\(a) vs \(b)") }
        #expect(Self.column(scored, "shop_id") == Self.column(Self.syntheticCSV(), "shop_id"))
        // The fitted signs follow the generator: more complaints, more risk.
        // A logistic model stores its numeric features' training range (for reasons): schema version 2; a
        // scorecard's binned features need none, so it stays readable by version-1 builds.
        let model = try String(contentsOfFile: w.path("model.json"), encoding: .utf8)
        #expect(model.contains("\"schemaVersion\" : \(modelType == "logistic" ? 2 : 1)"))
        #expect(model.contains("trainingMin") == (modelType == "logistic"))
    }

    @Test func logisticRecoversTheGeneratorsDirectionAndEvaluateAgrees() throws {
        let w = try Workspace(Self.syntheticCSV(rows: 3000, seed: 11))
        defer { w.dir.remove() }
        let fit = try w.run(["fit", "--input", "data.csv", "--target", "violation", "--positive", "yes",
                             "--id", "shop_id", "--categorical", "district", "--coefficients", "coefficients.csv"])
        #expect(fit.status == 0, "\(fit.stderr)")
        // Column order: intercept, complaints, then one dummy per district but the most frequent (the reference).
        let printed = { (name: String, field: Int) -> Double in
            let line = fit.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") }!
            return Double(line.split(separator: " ")[field])!
        }
        let coefficient = { (name: String) in printed(name, 1) }
        // --coefficients writes the same table at full precision: names in design order, estimates and standard
        // errors that round to the printed 6 significant digits.
        let written = try String(contentsOfFile: w.path("coefficients.csv"), encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",").map(String.init) }
        #expect(written.first == ["column", "coefficient", "std_error", "z"])
        let districts = Self.column(Self.syntheticCSV(rows: 3000, seed: 11), "district")
        let counts = Dictionary(districts.map { ($0, 1) }, uniquingKeysWith: +)
        let reference = counts.keys.sorted().max { counts[$0]! < counts[$1]! }!
        #expect(written.dropFirst().map { $0[0] } == ["intercept", "complaints"]
                + counts.keys.sorted().filter { $0 != reference }.map { "district=\($0)" })
        for row in written.dropFirst() {
            let estimate = Double(row[1])!, se = Double(row[2])!, z = Double(row[3])!
            #expect(abs(estimate - printed(row[0], 1)) <= 5.000001e-6 * abs(estimate)
                    && abs(se - printed(row[0], 2)) <= 5.000001e-6 * se)
            #expect(abs(z - estimate / se) <= 1e-12 * abs(z))
        }
        #expect(abs(coefficient("complaints") - 0.5) < 0.12)
        // The generator's district effects (north 0, south 0.8, east −0.4) relative to the reference's.
        let effect = ["north": 0.0, "south": 0.8, "east": -0.4]
        let fitted = { (d: String) in d == reference ? 0 : coefficient("district=\(d)") }
        #expect(abs(fitted("south") - fitted("north") - 0.8) < 0.3)
        #expect(abs(fitted("east") - fitted("north") - effect["east"]!) < 0.3)
        let eval = try w.run(["evaluate", "--model", "model.json", "--input", "data.csv", "--target", "violation",
                              "--positive", "yes", "--top", "20"])
        #expect(eval.status == 0, "\(eval.stderr)")
        for label in ["AUC ", "Gini ", "KS ", "log loss ", "Brier ", "top 20 %", "calibration by decile", "Hosmer-Lemeshow"] {
            #expect(eval.stdout.contains(label), "missing \(label) in \(eval.stdout)")
        }
        // Deterministic: a second run prints the same bytes.
        let again = try w.run(["evaluate", "--model", "model.json", "--input", "data.csv", "--target", "violation",
                               "--positive", "yes", "--top", "20"])
        #expect(again.stdout == eval.stdout)
        // PSI of a file against itself is 0.
        let psi = try w.run(["evaluate", "--model", "model.json", "--input", "data.csv", "--target", "violation",
                             "--positive", "yes", "--baseline", "data.csv"])
        #expect(psi.stdout.contains("PSI          0.0000 against data.csv"), "\(psi.stdout)")
    }

    // MARK: - Bad input

    func expectFailure(_ csv: String, _ arguments: [String], _ fragments: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let w = try Workspace(csv)
        defer { w.dir.remove() }
        let r = try w.run(arguments)
        #expect(r.status != 0, sourceLocation: sourceLocation)
        for f in fragments { #expect(r.stderr.contains(f), "stderr: \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(!FileManager.default.fileExists(atPath: w.path("model.json")), sourceLocation: sourceLocation)
    }

    static let fitArguments = ["fit", "--input", "data.csv", "--target", "violation", "--positive", "yes", "--id", "shop_id"]

    @Test func nonBinaryOutcomeNamesLineAndValue() throws {
        var csv = Self.syntheticCSV(rows: 20)
        csv += "S99,1,north,maybe\n"
        try expectFailure(csv, Self.fitArguments, ["data.csv:22", "violation", "\"maybe\"", "\"yes\"", "\"no\""])
    }

    @Test func positiveValueThatNeverOccurs() throws {
        // "Yes" would match "yes" (binary spellings match by meaning); a label that is not a binary spelling must
        // occur as written.
        try expectFailure(Self.syntheticCSV(rows: 20), ["fit", "--input", "data.csv", "--target", "violation",
                                                         "--positive", "bad", "--id", "shop_id"],
                          ["data.csv", "no row has the positive value \"bad\"", "\"yes\"", "\"no\""])
    }

    @Test func constantColumnIsNamed() throws {
        let csv = Self.syntheticCSV(rows: 50).split(separator: "\n").enumerated().map { k, line in
            k == 0 ? line + ",country" : line + ",NL"
        }.joined(separator: "\n") + "\n"
        try expectFailure(csv, Self.fitArguments, ["data.csv", "column country is constant", "\"NL\"", "--exclude country"])
    }

    @Test func unknownColumnNamesAreListed() throws {
        try expectFailure(Self.syntheticCSV(rows: 20), Self.fitArguments + ["--numeric", "complaints,visits", "--exclude", "zone"],
                          ["data.csv", "visits", "zone"])
        try expectFailure(Self.syntheticCSV(rows: 20), ["fit", "--input", "data.csv", "--target", "outcome", "--positive", "1"],
                          ["data.csv", "outcome"])
    }

    @Test func declaredNumericColumnWithTextNamesLineAndColumn() throws {
        var csv = Self.syntheticCSV(rows: 20)
        csv += "S99,many,north,yes\n"
        try expectFailure(csv, Self.fitArguments + ["--numeric", "complaints"], ["data.csv:22:2", "complaints", "many"])
    }

    @Test func tooFewPositivesInABin() throws {
        // A rare level that is always negative survives grouping only when bins may be tiny.
        var csv = "shop_id,kind,violation\n"
        for i in 0..<200 { csv += "S\(i),\(["a", "b", "c"][i % 3]),\(i % 4 == 0 ? "yes" : "no")\n" }
        for i in 200..<215 { csv += "S\(i),d,no\n" }
        try expectFailure(csv, Self.fitArguments + ["--model-type", "scorecard", "--min-bin-share", "0.01", "--min-iv", "0"],
                          ["feature kind", "bin d", "0 positive(s)"])
    }

    @Test func tooFewPositivesForTheFolds() throws {
        var csv = "shop_id,complaints,violation\n"
        for i in 0..<40 { csv += "S\(i),\(i % 7),\(i < 3 ? "yes" : "no")\n" }
        try expectFailure(csv, ["tune", "--input", "data.csv", "--target", "violation", "--positive", "yes",
                                "--id", "shop_id", "--folds", "5", "--output", "model.json", "--report", "report.csv"],
                          ["5 folds need at least 5 positive", "have 3 positive"])
    }

    @Test func modelFromAnotherSchemaVersionIsRefused() throws {
        let w = try Workspace(Self.syntheticCSV(rows: 100))
        defer { w.dir.remove() }
        #expect(try w.run(Self.fitArguments).status == 0)
        // A version newer than this build reads (2: the training range).
        let text = try String(contentsOfFile: w.path("model.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"schemaVersion\" : 2", with: "\"schemaVersion\" : 3")
        #expect(text.contains("\"schemaVersion\" : 3"))
        try text.write(toFile: w.path("model3.json"), atomically: true, encoding: .utf8)
        let r = try w.run(["evaluate", "--model", "model3.json", "--input", "data.csv", "--target", "violation",
                           "--positive", "yes"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("model3.json") && r.stderr.contains("schema version 3"), "\(r.stderr)")
    }

    @Test func splitFileErrors() throws {
        let w = try Workspace(Self.syntheticCSV(rows: 30))
        defer { w.dir.remove() }
        try "row,set\n0,train\n1,train\n30,test\n".write(toFile: w.path("split.csv"), atomically: true, encoding: .utf8)
        let r = try w.run(Self.fitArguments + ["--split", "split.csv"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("split.csv:4") && r.stderr.contains("row 30 does not exist"), "\(r.stderr)")
        try "row,set\n0,test\n".write(toFile: w.path("split.csv"), atomically: true, encoding: .utf8)
        let empty = try w.run(Self.fitArguments + ["--split", "split.csv"])
        #expect(empty.stderr.contains("no row is in set \"train\""), "\(empty.stderr)")
    }

    @Test func tuneWritesEveryCandidateAndTheChosenModel() throws {
        let w = try Workspace(Self.syntheticCSV(rows: 600, seed: 3))
        defer { w.dir.remove() }
        let r = try w.run(["tune", "--input", "data.csv", "--target", "violation", "--positive", "yes", "--id", "shop_id",
                           "--folds", "4", "--repeats", "2", "--metric", "logloss", "--penalties", "0,1,1000",
                           "--output", "tuned.json", "--report", "report.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try String(contentsOfFile: w.path("report.csv"), encoding: .utf8).split(separator: "\n")
        #expect(report.count == 4)
        #expect(report[0] == "candidate,model_type,penalty,min_bin_share,max_bins,metric,mean,std,splits,chosen,failure")
        // λ = 1000 shrinks everything to the base rate: its log loss is worst and it is never chosen.
        let means = report.dropFirst().map { Double($0.split(separator: ",", omittingEmptySubsequences: false)[6])! }
        #expect(means[2] > means[0] && means[2] > means[1])
        #expect(report.dropFirst().filter { $0.contains(",yes,") }.count == 1)
        #expect(!report[3].contains(",yes,"))
        #expect(report.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[8] == "8" })
        let score = try w.run(["score", "--model", "tuned.json", "--input", "data.csv", "--output", "s.csv"])
        #expect(score.status == 0, "\(score.stderr)")
    }
}
