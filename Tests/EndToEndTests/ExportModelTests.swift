import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GRDB
import Scoring
import Tables
import Testing
import TestSupport

/// `onecheck export-model`: the PMML documents evaluated by JPMML-Evaluator (an independent implementation, run
/// by `scripts/pmml-evaluate.py` on the machine's Java) and the SQL run in SQLite and in PostgreSQL, each compared
/// with the doubles `onecheck score` computes (``CompiledModel/scores(of:rows:)``, the same bits) to 1e-9.
@Suite(.serialized) struct ExportModelTests {
    static let german = "german-credit/germancredit.csv"

    /// The Python with jpmml-evaluator: `$ONECHECK_TEST_PYTHON`, else `.build/test-venv` (made by
    /// `scripts/install-deps.sh`, run by `make test`). Missing under CI is a failure, not a skip.
    static let python: URL? = {
        if let path = ProcessInfo.processInfo.environment["ONECHECK_TEST_PYTHON"] { return URL(fileURLWithPath: path) }
        let venv = SharedData.repositoryRoot.appendingPathComponent(".build/test-venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil
    }()
    static var evaluatorAvailable: Bool { SharedData.isCI || python != nil }

    static func requirePython() throws -> URL {
        guard let python else {
            throw Missing(what: "a Python with jpmml-evaluator (.build/test-venv: run scripts/install-deps.sh)")
        }
        return python
    }

    struct Missing: Error, CustomStringConvertible {
        let what: String
        var description: String { "missing test dependency: \(what)" }
    }

    /// German credit with an `id` column (the file has none), in `dir`.
    static func germanWithID(in dir: TemporaryDirectory) throws -> URL {
        let text = try String(contentsOf: SharedData.url(german), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        var out = "id," + lines[0] + "\n"
        for (i, line) in lines.dropFirst().enumerated() { out += "\(i)," + line + "\n" }
        let url = dir.file("german.csv")
        try out.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func fit(_ input: URL, _ extra: [String], into model: URL) throws {
        let r = try OneCheckBinary.run(["fit", "--input", input.path, "--target", "creditability", "--positive", "bad",
                                        "--id", "id", "--output", model.path] + extra)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// A generated city of `n` entities and its default model.
    static func city(in dir: TemporaryDirectory, entities n: Int = 1500) throws -> (entities: URL, model: URL) {
        let r = try OneCheckBinary.run(["generate", "--entities", "\(n)", "--seed", "99", "--output", dir.file("city").path])
        #expect(r.status == 0, "\(r.stderr)")
        return (dir.file("city/entities.csv"), dir.file("city/default-model.json"))
    }

    // MARK: PMML

    /// Evaluates every head's PMML with JPMML-Evaluator and compares with the in-memory scores (probability, or
    /// points for scorecards) and, for scorecards, the reason codes with `ReasonRanking`'s.
    func checkPMML(model: URL, input: URL, dir: TemporaryDirectory) throws {
        let python = try Self.requirePython()
        let out = dir.file("pmml-\(model.deletingPathExtension().lastPathComponent)")
        let export = try OneCheckBinary.run(["export-model", model.path, "--format", "pmml", "--output", out.path])
        #expect(export.status == 0, "\(export.stderr)")
        let compiled = try CompiledModel(ScoringModel.load(from: model))
        let table = try CSVTable.read(input)
        let exact = try compiled.scores(of: table)
        let ranking = try? ReasonRanking(model: compiled, count: 5)
        let reasons = try ranking.map { try compiled.reasons(of: table, ranking: $0) }
        // Every head in one run of the evaluator (one Java virtual machine).
        let evaluated = compiled.heads.map { dir.file("evaluated-\($0.name).csv") }
        let run = try ProcessRunner.run(python, [SharedData.bundled("scripts/pmml-evaluate.py").path, input.path]
                                        + compiled.heads.indices.flatMap { h in
                                            [out.appendingPathComponent(compiled.heads[h].name + ".pmml").path,
                                             evaluated[h].path]
                                        })
        try #require(run.status == 0, "\(run.stderr)")
        for (h, head) in compiled.heads.enumerated() {
            let result = try CSVTable.read(evaluated[h])
            #expect(result.rowCount == table.rowCount)
            let scorecard = ModelExport.isScorecard(compiled, head: h)
            let column = try #require(result.columnIndex(named: scorecard ? "points" : "probability"))
            var worst = 0.0
            for row in 0..<table.rowCount {
                let expected = scorecard ? exact.points(row: row, head: h)! : exact.probability(row: row, head: h)!
                let got = try #require(Double(result.rows[row][column]), "row \(row): \(result.rows[row][column])")
                worst = max(worst, abs(got - expected))
            }
            print("export-model PMML \(model.lastPathComponent) head \(head.name): largest |difference| from score \(worst)")
            #expect(worst <= 1e-9, "head \(head.name): largest difference \(worst)")
            if scorecard, let reasons {
                // JPMML ranks every characteristic; ours are those that cost something, in the same order.
                let codes = (1...5).map { result.columnIndex(named: "reason_\($0)")! }
                var compared = 0
                for row in 0..<table.rowCount {
                    let ours = reasons[row][h].map(\.code)
                    #expect(Array(codes.prefix(ours.count).map { result.rows[row][$0] }) == ours, "row \(row)")
                    compared += ours.count
                }
                #expect(compared > table.rowCount, "few reasons compared: \(compared)")
            }
        }
    }

    @Test(.enabled(if: evaluatorAvailable && SharedData.shouldRun(german)))
    func pmmlScorecardAndRegressionOnGermanCreditMatchScore() throws {
        let dir = try TemporaryDirectory("export-pmml-german")
        defer { dir.remove() }
        let input = try Self.germanWithID(in: dir)
        try Self.fit(input, ["--model-type", "scorecard"], into: dir.file("card.json"))
        try Self.fit(input, ["--impute", "median"], into: dir.file("logistic.json"))
        try checkPMML(model: dir.file("card.json"), input: input, dir: dir)
        try checkPMML(model: dir.file("logistic.json"), input: input, dir: dir)
        let text = try String(contentsOf: dir.file("pmml-card/credit.pmml"), encoding: .utf8)
        #expect(text.contains("<Scorecard ") && text.contains("reasonCodeAlgorithm=\"pointsBelow\""))
        let logistic = try String(contentsOf: dir.file("pmml-logistic/risk.pmml"), encoding: .utf8)
        #expect(logistic.contains("<RegressionModel ") && logistic.contains("normalizationMethod=\"logit\""))
    }

    @Test(.enabled(if: evaluatorAvailable))
    func pmmlOfEveryHeadOfAGeneratedCityMatchesScore() throws {
        let dir = try TemporaryDirectory("export-pmml-city")
        defer { dir.remove() }
        let city = try Self.city(in: dir, entities: 800)
        try checkPMML(model: city.model, input: city.entities, dir: dir)
    }

    @Test func pmmlIsWellFormedAndEscaped() throws {
        let model = ScoringModel(name: "a&b", idColumn: "id", features: [
            .init(name: "kind", categorical: .init(encoding: .woe, levels: ["x<y", "\"q\"", ""], woe: [0.5, -0.5, 0.1],
                                                    unseen: .bin, unseenWoe: 0)),
        ], heads: [.init(name: "h", link: .logistic, intercept: 0.25, weights: ["kind:woe": 1.5],
                         points: .init(basePoints: 600, baseOdds: 50, pointsToDoubleOdds: 20))])
        let text = ModelExport.pmml(try CompiledModel(model), head: 0)
        #expect(text.contains("value=\"x&lt;y\"") && text.contains("value=\"&quot;q&quot;\""))
        #expect(text.contains("modelName=\"a&amp;b-h\""))
        let parser = XMLParser(data: Data(text.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        // The empty level is the missing attribute, first, with its own reason code; the unseen bin is last.
        let attributes = text.components(separatedBy: "<Attribute ").dropFirst()
        #expect(attributes.first?.contains("reasonCode=\"kind:missing\"") == true)
        #expect(attributes.first?.contains("operator=\"isMissing\"") == true)
        #expect(attributes.last?.contains("<True/>") == true)
    }

    @Test func outputsGoToStandardOutputOrReplaceTheirDirectoryAsAWhole() throws {
        let dir = try TemporaryDirectory("export-outputs")
        defer { dir.remove() }
        let model = SharedData.bundled("models/default.json").path
        let toFile = try OneCheckBinary.run(["export-model", model, "--format", "sql", "--output", dir.file("m.sql").path])
        let toStdout = try OneCheckBinary.run(["export-model", model, "--format", "sql"])
        #expect(toFile.status == 0 && toStdout.status == 0, "\(toFile.stderr)\(toStdout.stderr)")
        #expect(toStdout.stdout == (try String(contentsOf: dir.file("m.sql"), encoding: .utf8)))
        // Nine heads are nine documents: standard output cannot hold them.
        let pmml = try OneCheckBinary.run(["export-model", model, "--format", "pmml"])
        #expect(pmml.status != 0 && pmml.stderr.contains("--output"), "\(pmml.stderr)")
        // A directory holding other files is refused, and left as it was.
        try FileManager.default.createDirectory(at: dir.file("pmml"), withIntermediateDirectories: true)
        try "keep".write(to: dir.file("pmml/notes.txt"), atomically: true, encoding: .utf8)
        let refused = try OneCheckBinary.run(["export-model", model, "--format", "pmml", "--output", dir.file("pmml").path])
        #expect(refused.status != 0 && refused.stderr.contains("notes.txt"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("pmml").path) == ["notes.txt"])
        try FileManager.default.removeItem(at: dir.file("pmml/notes.txt"))
        let written = try OneCheckBinary.run(["export-model", model, "--format", "pmml", "--output", dir.file("pmml").path])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("pmml").path).count == 9)
    }

    // MARK: SQL

    /// Loads `input` into table `entities` (numbers as REAL, levels as TEXT, empty fields as NULL), runs the
    /// exported SELECT in SQLite and compares every head's score, probability, points and grade, and the class.
    func checkSQLite(model: URL, input: URL, dir: TemporaryDirectory) throws {
        let sqlFile = dir.file("\(model.deletingPathExtension().lastPathComponent).sql")
        let export = try OneCheckBinary.run(["export-model", model.path, "--format", "sql", "--output", sqlFile.path])
        #expect(export.status == 0, "\(export.stderr)")
        let sql = try String(contentsOf: sqlFile, encoding: .utf8)
        let compiled = try CompiledModel(ScoringModel.load(from: model))
        let table = try CSVTable.read(input)
        let exact = try compiled.scores(of: table)
        let queue = try DatabaseQueue()
        let numeric = Set(compiled.model.features.filter { $0.categorical == nil }.map(\.inputColumn))
        try queue.write { db in
            let columns = table.header.map { "\(Self.sqlIdentifier($0)) \(numeric.contains($0) ? "REAL" : "TEXT")" }
            try db.execute(sql: "CREATE TABLE entities (\(columns.joined(separator: ", ")))")
            let insert = try db.makeStatement(sql: "INSERT INTO entities VALUES (\(table.header.map { _ in "?" }.joined(separator: ", ")))")
            for row in table.rows {
                let values: [DatabaseValueConvertible?] = zip(table.header, row).map { name, field in
                    field.isEmpty ? nil : (numeric.contains(name) ? Double(field)! as DatabaseValueConvertible : field)
                }
                try insert.execute(arguments: StatementArguments(values))
            }
        }
        let rows = try queue.read { db in try Row.fetchAll(db, sql: sql) }
        try #require(rows.count == table.rowCount)
        let id = try table.requireColumns([compiled.model.idColumn])[0]
        var worst = 0.0
        for (i, row) in rows.enumerated() {
            #expect(row[compiled.model.idColumn] as String? == table.rows[i][id])
            for (h, head) in compiled.heads.enumerated() {
                let s = exact.score(row: i, head: h)
                worst = max(worst, abs((row["\(head.name)_score"] as Double? ?? .nan) - s))
                if let p = exact.probability(row: i, head: h) {
                    worst = max(worst, abs((row["\(head.name)_probability"] as Double? ?? .nan) - p))
                }
                if let points = exact.points(row: i, head: h) {
                    worst = max(worst, abs((row["\(head.name)_points"] as Double? ?? .nan) - points))
                }
                let g = exact.gradeIndex(row: i, head: h)
                if g >= 0 { #expect(row["\(head.name)_grade"] as String? == head.labels[g], "row \(i) head \(head.name)") }
            }
            if compiled.classRule != nil {
                let worstGrade = compiled.classHeads.map { exact.gradeIndex(row: i, head: $0) }.max()!
                #expect(row["supervision_class"] as String? == compiled.heads[compiled.classHeads[0]].labels[worstGrade])
            }
        }
        print("export-model SQL in SQLite, \(model.lastPathComponent): largest |difference| from score \(worst)")
        #expect(worst <= 1e-9, "largest difference \(worst)")
    }

    @Test(.enabled(if: SharedData.shouldRun(german)))
    func sqlRunsInSQLiteAndMatchesScoreOnGermanCredit() throws {
        let dir = try TemporaryDirectory("export-sql-german")
        defer { dir.remove() }
        let input = try Self.germanWithID(in: dir)
        try Self.fit(input, ["--model-type", "scorecard"], into: dir.file("card.json"))
        try Self.fit(input, ["--impute", "median", "--standardize"], into: dir.file("logistic.json"))
        try checkSQLite(model: dir.file("card.json"), input: input, dir: dir)
        try checkSQLite(model: dir.file("logistic.json"), input: input, dir: dir)
    }

    /// `name` as an SQL identifier, its quotes doubled scalar by scalar (this test's own rule, not the exporter's).
    static func sqlIdentifier(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars { scalars.append(contentsOf: scalar == "\"" ? [scalar, scalar] : [scalar]) }
        return "\"" + String(scalars) + "\""
    }

    /// A column whose name holds a quote joined by a combining mark (one `Character` with it): the exported
    /// SELECT doubles that quote too, so SQLite reads the name whole and the scores match.
    @Test func sqlQuotesAQuoteThatACombiningMarkJoins() throws {
        let dir = try TemporaryDirectory("export-sql-quote")
        defer { dir.remove() }
        let city = try Self.city(in: dir, entities: 200)
        let name = "people\"\u{301}staff"
        let model = try String(contentsOf: city.model, encoding: .utf8)
        try #require(model.contains("\"people_staff_count\""))
        try model.replacingOccurrences(of: "people_staff_count", with: "people\\\"\u{301}staff")
            .write(to: dir.file("quoted.json"), atomically: true, encoding: .utf8)
        let entities = try String(contentsOf: city.entities, encoding: .utf8)
        try entities.replacingOccurrences(of: "people_staff_count", with: "\"people\"\"\u{301}staff\"")
            .write(to: dir.file("quoted.csv"), atomically: true, encoding: .utf8)
        try #require(try ScoringModel.load(from: dir.file("quoted.json")).features.contains { $0.inputColumn == name })
        try checkSQLite(model: dir.file("quoted.json"), input: dir.file("quoted.csv"), dir: dir)
    }

    @Test func sqlRunsInSQLiteAndMatchesScoreOnAGeneratedCity() throws {
        let dir = try TemporaryDirectory("export-sql-city")
        defer { dir.remove() }
        let city = try Self.city(in: dir)
        try checkSQLite(model: city.model, input: city.entities, dir: dir)
    }

    /// The same SELECT in PostgreSQL, in the cluster `ONECHECK_TEST_POSTGRES_URL` names (`eval "$(bash
    /// scripts/postgres-cluster.sh start DIR)"` starts a private one and prints it): the city loaded with `\copy`, the
    /// result written by `\copy (SELECT …) TO` and compared like SQLite's.
    @Test(.enabled(if: !(ProcessInfo.processInfo.environment["ONECHECK_TEST_POSTGRES_URL"] ?? "").isEmpty))
    func sqlRunsInPostgreSQLAndMatchesScore() throws {
        let dir = try TemporaryDirectory("export-sql-pg")
        defer { dir.remove() }
        let city = try Self.city(in: dir, entities: 600)
        let sqlFile = dir.file("city.sql")
        let export = try OneCheckBinary.run(["export-model", city.model.path, "--format", "sql", "--output", sqlFile.path])
        #expect(export.status == 0, "\(export.stderr)")
        let url = ProcessInfo.processInfo.environment["ONECHECK_TEST_POSTGRES_URL"]!
        let compiled = try CompiledModel(ScoringModel.load(from: city.model))
        let table = try CSVTable.read(city.entities)
        let numeric = Set(compiled.model.features.filter { $0.categorical == nil }.map(\.inputColumn))
        let columns = table.header.map { "\"\($0)\" \(numeric.contains($0) ? "double precision" : "text")" }
        let select = try String(contentsOf: sqlFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ";", with: "")
        let commands = """
            DROP TABLE IF EXISTS entities;
            CREATE TABLE entities (\(columns.joined(separator: ", ")));
            \\copy entities FROM '\(city.entities.path)' WITH (FORMAT csv, HEADER true)
            \\copy (\(select.replacingOccurrences(of: "\n", with: " "))) TO '\(dir.file("pg.csv").path)' WITH (FORMAT csv, HEADER true)
            """
        try commands.write(to: dir.file("load.sql"), atomically: true, encoding: .utf8)
        let psql = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/psql"),
                                         ["-v", "ON_ERROR_STOP=1", "-q", "-d", url, "-f", dir.file("load.sql").path])
        try #require(psql.status == 0, "\(psql.stderr)")
        let result = try CSVTable.read(dir.file("pg.csv"))
        let exact = try compiled.scores(of: table)
        try #require(result.rowCount == table.rowCount)
        var worst = 0.0
        for (h, head) in compiled.heads.enumerated() {
            let s = try #require(result.columnIndex(named: "\(head.name)_score"))
            let p = try #require(result.columnIndex(named: "\(head.name)_probability"))
            let points = try #require(result.columnIndex(named: "\(head.name)_points"))
            let g = try #require(result.columnIndex(named: "\(head.name)_grade"))
            for i in 0..<table.rowCount {
                worst = max(worst, abs(Double(result.rows[i][s])! - exact.score(row: i, head: h)),
                            abs(Double(result.rows[i][p])! - exact.probability(row: i, head: h)!),
                            abs(Double(result.rows[i][points])! - exact.points(row: i, head: h)!))
                #expect(result.rows[i][g] == head.labels[exact.gradeIndex(row: i, head: h)])
            }
        }
        print("export-model SQL in PostgreSQL, city: largest |difference| from score \(worst)")
        #expect(worst <= 1e-9, "largest difference \(worst)")
    }
}
