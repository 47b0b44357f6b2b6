import Foundation
import Scoring
import Testing
import TestSupport

/// Issue 17, item 4: `fit`, `tune`, `backtest` on files as users bring them (`Tests/Fixtures/real-files/`).
@Suite struct FitRealFilesTests {
    static func fixture(_ name: String) -> URL { SharedData.bundled("Tests/Fixtures/real-files/" + name) }

    struct Workspace {
        let dir: TemporaryDirectory
        init() throws { dir = try TemporaryDirectory("fit-real") }
        func path(_ name: String) -> String { dir.file(name).path }
        func run(_ arguments: [String]) throws -> CommandResult { try OneCheckBinary.run(arguments, in: dir.url) }
        func write(_ text: String, _ name: String) throws { try text.write(to: dir.file(name), atomically: true, encoding: .utf8) }
        func model(_ name: String = "model.json") throws -> ScoringModel { try ScoringModel.load(from: dir.file(name)) }
        func remove() { dir.remove() }
    }

    static func fit(_ file: String, _ target: String, _ positive: String, _ extra: [String] = []) -> [String] {
        ["fit", "--input", fixture(file).path, "--target", target, "--positive", positive, "--output", "model.json"] + extra
    }

    static func csvColumn(_ text: String, _ name: String, separator: Character = ",") -> [String] {
        let lines = text.split(separator: "\n").map { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) }
        let j = lines[0].firstIndex(of: name)!
        return lines.dropFirst().map { $0[j] }
    }

    // MARK: --id

    @Test func theDefaultIdColumnIsNotAFeature() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(Self.fit("shops-with-id.csv", "violation", "yes", ["--categorical", "district"]))
        #expect(r.status == 0, "\(r.stderr)")
        let model = try w.model()
        #expect(model.idColumn == "id")
        #expect(model.features.map(\.name) == ["complaints", "district"])
        #expect(!r.stderr.contains("has no column"))
        let score = try w.run(["score", "--model", "model.json", "--input", Self.fixture("shops-with-id.csv").path,
                               "--output", "scores.csv"])
        #expect(score.status == 0, "\(score.stderr)")
        // Without an id column every other column is a feature, the model still names "id", and the user is told.
        let text = try String(contentsOf: Self.fixture("shops-with-id.csv"), encoding: .utf8)
        try text.split(separator: "\n").map { $0.split(separator: ",").dropFirst().joined(separator: ",") }
            .joined(separator: "\n").appending("\n").write(to: w.dir.file("no-id.csv"), atomically: true, encoding: .utf8)
        let bare = try w.run(["fit", "--input", "no-id.csv", "--target", "violation", "--positive", "yes", "--output", "bare.json"])
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(bare.stderr.contains("no-id.csv has no column \"id\""), "\(bare.stderr)")
        #expect(try w.model("bare.json").idColumn == "id")
        #expect(try w.model("bare.json").features.map(\.name) == ["complaints", "district"])
    }

    // MARK: --na-values

    @Test func missingValueSpellingsAreMissingNotCategories() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(Self.fit("loans-missing.csv", "default", "1",
                                   ["--model-type", "scorecard", "--min-iv", "0", "--min-bin-share", "0.1",
                                    "--na-values", "NA,NaN,NULL,N/A,."]))
        #expect(r.status == 0, "\(r.stderr)")
        let model = try w.model()
        let income = try #require(model.features.first { $0.name == "income" })
        // Numeric, binned, with a bin for the missing values (45 of 400 rows are NA, NaN, NULL, N/A or empty).
        #expect(income.binned != nil && income.binned?.missingWoe != nil && income.categorical == nil)
        #expect(try #require(model.features.first { $0.name == "debt" }).binned?.missingWoe != nil)
        #expect(r.stdout.contains("note       column income: 36 field(s) read as missing"), "\(r.stdout)")
        // "NA" in a text column is the missing level "".
        if let purpose = model.features.first(where: { $0.name == "purpose" })?.categorical {
            #expect(purpose.levels.contains("") && !purpose.levels.contains("NA"))
        }
        // "." is not a default spelling: the debt column is refused at its first ".", with the hint.
        let refused = try w.run(Self.fit("loans-missing.csv", "default", "1", ["--model-type", "scorecard"]))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("loans-missing.csv:2:3 (column debt): \".\" is not a number"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--na-values"))
        #expect(!FileManager.default.fileExists(atPath: w.path("model.json")) || income.binned != nil)
    }

    // MARK: thousands separators, padding, decimal commas

    @Test func thousandsSeparatorsAndPaddingAreReadAndNoted() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(Self.fit("amounts-thousands.csv", "bad", "bad", ["--coefficients", "c.csv"]))
        #expect(r.status == 0, "\(r.stderr)")
        let names = Self.csvColumn(try String(contentsOfFile: w.path("c.csv"), encoding: .utf8), "column")
        #expect(names == ["intercept", "amount", "age"])
        #expect(r.stdout.contains("note       column amount: 300 number(s) with thousands separators read without them (\"250,523\" on line 2)"), "\(r.stdout)")
        #expect(r.stdout.contains("note       column age: 300 number(s) with surrounding blanks read without them (first on line 2)"))
        // In a semicolon file "250,523" may be a decimal comma: refused at its field.
        let semicolon = try w.run(Self.fit("amounts-semicolon.csv", "bad", "bad"))
        #expect(semicolon.status != 0)
        #expect(semicolon.stderr.contains("amounts-semicolon.csv:2:2 (column \"amount\"): \"250,523\" is not valid"), "\(semicolon.stderr)")
        #expect(semicolon.stderr.contains("400000 or 400.000"))
        let comma = try w.run(Self.fit("amounts-decimal-comma.csv", "bad", "bad"))
        #expect(comma.status != 0)
        #expect(comma.stderr.contains("amounts-decimal-comma.csv:2:2 (column \"rate\"): \"2,51\" is not valid; expected a number with a decimal point"), "\(comma.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.path("model.json")) || r.status == 0)
    }

    // MARK: dates

    @Test func dateColumnsAreRefusedWithAHintOrDerivedOnRequest() throws {
        let w = try Workspace()
        defer { w.remove() }
        let refused = try w.run(Self.fit("shops-dates.csv", "violation", "yes"))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("shops-dates.csv:2 (column opened): holds dates like \""), "\(refused.stderr)")
        #expect(refused.stderr.contains("--date-features opened --as-of"))
        let derived = try w.run(Self.fit("shops-dates.csv", "violation", "yes",
                                         ["--model-type", "scorecard", "--min-iv", "0", "--date-features", "opened",
                                          "--as-of", "2020-01-01"]))
        #expect(derived.status == 0, "\(derived.stderr)")
        #expect(try w.model().features.map(\.name) == ["opened_days", "opened_month", "complaints"])
        #expect(derived.stdout.contains("column opened: dates become the features opened_days, opened_month"))
    }

    @Test func errorMessagesStayShortWhateverTheData() throws {
        // 400 dates declared categorical (a 400-level one-hot), the first 200 without a violation: quasi-complete
        // separation along 200 dummies, which the error names — at most ten of them.
        var csv = "id,opened,violation\n"
        for i in 0..<1200 {
            let k = i % 400
            csv += "S\(i),\(2000 + k / 336)-\(String(format: "%02d", 1 + (k / 28) % 12))-\(String(format: "%02d", 1 + k % 28)),"
                + (k >= 200 && i % 3 == 0 ? "yes" : "no") + "\n"
        }
        let w = try Workspace()
        defer { w.remove() }
        try w.write(csv, "wide.csv")
        let r = try w.run(["fit", "--input", "wide.csv", "--target", "violation", "--positive", "yes",
                           "--categorical", "opened"])
        #expect(r.status != 0)
        #expect(r.stderr.utf8.count < 1500, "\(r.stderr.utf8.count) bytes: \(r.stderr.prefix(400))")
        #expect(r.stderr.contains("more)"), "\(r.stderr)")
    }

    // MARK: --impute

    @Test func logisticImputationIsStoredAndScoreAppliesIt() throws {
        let w = try Workspace()
        defer { w.remove() }
        let refused = try w.run(Self.fit("shops-gaps.csv", "violation", "yes"))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("shops-gaps.csv:2:2 (column \"complaints\"): missing value"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--impute"))
        let r = try w.run(Self.fit("shops-gaps.csv", "violation", "yes",
                                   ["--impute", "median", "--missing-indicator", "--predictions", "p.csv"]))
        #expect(r.status == 0, "\(r.stderr)")
        let model = try w.model()
        let text = try String(contentsOf: Self.fixture("shops-gaps.csv"), encoding: .utf8)
        let complaints = Self.csvColumn(text, "complaints").compactMap(Double.init).sorted()
        let median = complaints.count % 2 == 1 ? complaints[complaints.count / 2]
            : (complaints[complaints.count / 2 - 1] + complaints[complaints.count / 2]) / 2
        let feature = try #require(model.features.first { $0.name == "complaints" }?.numeric)
        #expect(feature.missing == .impute && feature.imputeValue == median && feature.indicator == true)
        #expect(model.heads[0].weights["area:missing"] != nil)
        // score fills the empty cells the same way: its scores are the fit's linear predictors.
        let score = try w.run(["score", "--model", "model.json", "--input", Self.fixture("shops-gaps.csv").path,
                               "--output", "s.csv"])
        #expect(score.status == 0, "\(score.stderr)")
        let scored = Self.csvColumn(try String(contentsOfFile: w.path("s.csv"), encoding: .utf8), "risk_score").map { Double($0)! }
        let fitted = Self.csvColumn(try String(contentsOfFile: w.path("p.csv"), encoding: .utf8), "linear_predictor").map { Double($0)! }
        #expect(scored.count == 400)
        for (a, b) in zip(scored, fitted) { #expect(abs(a - b) <= 5.000001e-7) }
        let value = try w.run(Self.fit("shops-gaps.csv", "violation", "yes", ["--impute", "value", "--impute-value", "0",
                                                                             "--output", "v.json"]))
        #expect(value.status == 0, "\(value.stderr)")
        #expect(try w.model("v.json").features.first { $0.name == "area" }?.numeric?.imputeValue == 0)
    }

    @Test func backtestImputesAndReadsUSDates() throws {
        let w = try Workspace()
        defer { w.remove() }
        var lines = try String(contentsOf: Self.fixture("visits-us-dates.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: ",2,0,", with: ",,0,")   // T2: hazard 2 → empty
        try (lines.joined(separator: "\n") + "\n").write(to: w.dir.file("visits.csv"), atomically: true, encoding: .utf8)
        let base = ["backtest", "--input", "visits.csv", "--target", "found", "--positive", "1", "--id", "visit",
                    "--date", "day", "--test-column", "test"]
        let iso = try w.run(base + ["--impute", "mean"])
        #expect(iso.status != 0)
        #expect(iso.stderr.contains("visits.csv:2:2 (column \"day\"): \"1/1/2014\" is not valid; expected a date YYYY-MM-DD"), "\(iso.stderr)")
        let r = try w.run(base + ["--impute", "mean", "--date-format", "MM/DD/YYYY"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("test period     8 inspections, 2 positive"), "\(r.stdout)")
        #expect(r.stdout.contains("days earlier    3.00 (mean over positives)"), "\(r.stdout)")
    }

    // MARK: tune

    @Test func tuneStandardisesInsideTheFitAndWarnsAtTheEdgeOfTheGrid() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(["tune", "--input", Self.fixture("amounts-thousands.csv").path, "--target", "bad",
                           "--positive", "bad", "--penalties", "0.001,0.01", "--output", "tuned.json", "--report", "r.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: the chosen penalty") && r.stderr.contains("extend --penalties"), "\(r.stderr)")
        let tuned = try w.model("tuned.json")
        let amount = try #require(tuned.features.first { $0.name == "amount" }?.numeric)
        // The amounts are the quoted fields ("250,523"), read without their commas.
        let values = try String(contentsOf: Self.fixture("amounts-thousands.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
            .map { Double($0.split(separator: "\"")[1].replacingOccurrences(of: ",", with: ""))! }
        let mean = values.reduce(0, +) / Double(values.count)
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(abs(try #require(amount.mean) - mean) <= 1e-9 * mean)
        #expect(abs(try #require(amount.std) - std) <= 1e-9 * std)
        // fit --standardize with the chosen penalty writes the same model.
        let chosen = try String(contentsOfFile: w.path("r.csv"), encoding: .utf8).split(separator: "\n")
            .first { $0.contains(",yes,") }!.split(separator: ",")[2]
        let fit = try w.run(Self.fit("amounts-thousands.csv", "bad", "bad", ["--standardize", "--penalty", String(chosen)]))
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(try w.model().heads[0].weights == tuned.heads[0].weights)
    }

    // MARK: targets and delimiters

    @Test(arguments: [("shops-float-target.csv", "1.0"), ("shops-yes-no.csv", "Yes"), ("shops-tab.tsv", "TRUE")])
    func binarySpellingsOfTheTargetAreAccepted(_ file: String, _ written: String) throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(Self.fit(file, "violation", "1"))
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: Self.fixture(file), encoding: .utf8)
        let positives = Self.csvColumn(text, "violation", separator: file.hasSuffix(".tsv") ? "\t" : ",").filter { $0 == written }.count
        #expect(r.stdout.contains("300 training rows of 300, \(positives) positive"), "\(r.stdout)")
    }

    @Test func delimitersAreDetectedOrTheAmbiguityNamed() throws {
        let w = try Workspace()
        defer { w.remove() }
        let text = try String(contentsOf: Self.fixture("shops-with-id.csv"), encoding: .utf8)
        try w.write(text.replacingOccurrences(of: ",", with: ";"), "semicolon.csv")
        let r = try w.run(["fit", "--input", "semicolon.csv", "--target", "violation", "--positive", "yes"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try w.model().features.map(\.name) == ["complaints", "district"])
        // Every line splits into 2 fields by ';' and into 2 by ',': refused, naming both.
        try w.write("a;b,c\n1;x,2\n2;y,1\n", "ambiguous.csv")
        let ambiguous = try w.run(["fit", "--input", "ambiguous.csv", "--target", "c", "--positive", "1"])
        #expect(ambiguous.status != 0)
        #expect(ambiguous.stderr.contains("ambiguous.csv: cannot tell the delimiter: on each of the first lines , gives 2 fields, ; gives 2 fields; give --delimiter"), "\(ambiguous.stderr)")
        let given = try w.run(["fit", "--input", "ambiguous.csv", "--target", "b,c", "--positive", "x,2", "--delimiter", ";"])
        #expect(!given.stderr.contains("cannot tell the delimiter"), "\(given.stderr)")
    }

    // MARK: reference level, coefficient table

    @Test func theReferenceLevelIsTheMostFrequentAndCoefficientsPrintSignificantDigits() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(Self.fit("shops-gaps.csv", "violation", "yes", ["--impute", "mean", "--coefficients", "c.csv"]))
        #expect(r.status == 0, "\(r.stderr)")
        let districts = Self.csvColumn(try String(contentsOf: Self.fixture("shops-gaps.csv"), encoding: .utf8), "district")
        let counts = Dictionary(districts.map { ($0, 1) }, uniquingKeysWith: +)
        let mostFrequent = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
        let written = try String(contentsOfFile: w.path("c.csv"), encoding: .utf8)
        let names = Self.csvColumn(written, "column")
        #expect(names.contains("district=aaa-rare") && !names.contains("district=\(mostFrequent)"), "\(names)")
        #expect(try w.model().features.first { $0.name == "district" }?.categorical?.reference == mostFrequent)
        // Printed with 6 significant digits: the small area coefficient keeps its precision.
        let exact = Double(zip(names, Self.csvColumn(written, "coefficient")).first { $0.0 == "area" }!.1)!
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("area ") })
        let printed = try #require(Double(line.split(separator: " ")[1]))
        #expect(abs(exact) < 0.1)
        #expect(abs(printed - exact) <= 5e-6 * abs(exact), "\(line) vs \(exact)")
    }

    // MARK: scorecard signs

    @Test func aNegativeScorecardCoefficientIsWarnedAboutAndCanBeConstrained() throws {
        let w = try Workspace()
        defer { w.remove() }
        let input = SharedData.bundled("Tests/Fixtures/sign-constrained/scorecard.csv").path
        let base = ["fit", "--input", input, "--target", "bad", "--positive", "1", "--model-type", "scorecard"]
        let plain = try w.run(base + ["--output", "plain.json", "--coefficients", "plain.csv"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stderr.contains("warning: negative WOE coefficient for b"), "\(plain.stderr)")
        let b = Self.csvColumn(try String(contentsOfFile: w.path("plain.csv"), encoding: .utf8), "coefficient")[2]
        #expect(try #require(Double(b)) < 0)
        let constrained = try w.run(base + ["--sign-constrained", "--output", "signed.json", "--coefficients", "signed.csv"])
        #expect(constrained.status == 0, "\(constrained.stderr)")
        #expect(!constrained.stderr.contains("negative WOE coefficient"))
        #expect(constrained.stderr.contains("the sign constraint held b at 0"), "\(constrained.stderr)")
        #expect(constrained.stdout.contains("5 bins  b  (held at 0)"), "\(constrained.stdout)")
        let written = try String(contentsOfFile: w.path("signed.csv"), encoding: .utf8)
        #expect(Self.csvColumn(written, "column") == ["intercept", "a", "c"])
        #expect(Self.csvColumn(written, "coefficient").dropFirst().allSatisfy { Double($0)! >= 0 })
        #expect(try w.model("signed.json").features.map(\.name) == ["a", "c"])
    }
}
