import Foundation
import Testing
import TestSupport
import Tables
@testable import Scoring

/// Reasons (``ReasonRanking``) against costs written out from their definition: per feature, the contribution
/// minus the smallest contribution over the states the model can produce.
@Suite struct ReasonTests {
    /// The fixture model with a training range on its two unbounded numeric features.
    static func model() -> ScoringModel {
        var m = Fixtures.model()
        m.features[0].numeric!.trainingMin = 0
        m.features[0].numeric!.trainingMax = 500
        m.features[1].numeric!.trainingMin = 1
        m.features[1].numeric!.trainingMax = 30
        m.schemaVersion = 2
        return m
    }

    /// Per head, each feature's cost (score units) for one row of the fixture's columns, from the definitions.
    static func naiveCosts(_ fields: [String], model: ScoringModel) -> [[(code: String, cost: Double)]] {
        let staffField = fields[1], ageField = fields[2], scenario = fields[3], district = fields[4]
        let complaints = fields[5]
        func staffX(_ v: Double) -> Double { (min(log1p(v), 5) - 2) / 0.5 }
        func ageX(_ v: Double) -> Double { (v - 10) / 4 }
        let levels = ["restaurant", "hotel", "pharmacy"]
        return model.heads.map { head in
            let w = head.weights
            // staff: w·x, baseline at the favourable end of [0, 500].
            let ws = w["staff"]!
            let staff = ws * staffX(Double(staffField)!) - min(ws * staffX(0), ws * staffX(500))
            // age: present w·x (indicator 0), missing w·x(10) + w_missing; baseline over both ends and missing.
            let wa = w["age"]!, wm = w["age:missing"]!
            let ageNow = ageField.isEmpty ? wa * ageX(10) + wm : wa * ageX(Double(ageField)!)
            let age = ageNow - min(wa * ageX(1), wa * ageX(30), wa * ageX(10) + wm)
            // scenario: one-hot, reference 0, unseen bin.
            let scenarioWeights: [String: Double] = ["restaurant": 0, "hotel": w["scenario=hotel"]!, "pharmacy": w["scenario=pharmacy"]!]
            let unseen = w["scenario=(unseen)"]!
            let scenarioNow = levels.contains(scenario) ? scenarioWeights[scenario]! : unseen
            let scenarioCost = scenarioNow - min(0, w["scenario=hotel"]!, w["scenario=pharmacy"]!, unseen)
            let wd = w["district:woe"]!
            let woes: [String: Double] = ["D01": 0.3, "D02": -0.2]
            let woe: Double = woes[district] ?? 0
            let districtBest: Double = min(wd * 0.3, wd * -0.2, wd * 0)
            let districtCost: Double = wd * woe - districtBest
            let wc = w["complaints:woe"]!
            let bins = [-0.5, 0.1, 0.9]
            var cWoe = 0.0
            if let c = Double(complaints) { cWoe = bins[c < 1 ? 0 : (c < 3 ? 1 : 2)] }
            let complaintsBest: Double = (bins + [0]).map { wc * $0 }.min()!
            let complaintsCost: Double = wc * cWoe - complaintsBest
            return [("staff", staff), (ageField.isEmpty ? "age:missing" : "age", age),
                    (scenario.isEmpty ? "scenario:missing" : "scenario", scenarioCost), ("district", districtCost),
                    (complaints.isEmpty ? "complaints:missing" : "complaints", complaintsCost)]
        }
    }

    /// The naive ranking: costs > 0, largest first, ties in feature order, at most `k`.
    static func naiveReasons(_ fields: [String], model: ScoringModel, k: Int) -> [[(code: String, cost: Double)]] {
        naiveCosts(fields, model: model).enumerated().map { h, costs in
            let scale = model.heads[h].points?.factor ?? 1
            let ranked = costs.enumerated().filter { $0.element.cost > 1e-12 }
                .sorted { a, b in a.element.cost != b.element.cost ? a.element.cost > b.element.cost : a.offset < b.offset }
            return ranked.prefix(k).map { ($0.element.code, $0.element.cost * scale) }
        }
    }

    static let csv = """
        entity_id,staff,equipment_age,scenario,district,complaints
        E1,12,4.5,hotel,D01,2
        E2,0,,restaurant,D02,0
        E3,800,31,casino,D07,7
        E4,3.5,1,pharmacy,D01,
        E5,40,12,,D02,1

        """

    @Test func costsAndOrderMatchTheDefinitionInMemoryAndInTheFile() throws {
        let dir = try TemporaryDirectory("reasons")
        defer { dir.remove() }
        let input = dir.file("in.csv")
        try Self.csv.write(to: input, atomically: true, encoding: .utf8)
        let model = Self.model()
        let compiled = try CompiledModel(model)
        let ranking = try ReasonRanking(model: compiled, count: 3)
        let table = try CSVTable.read(input)
        let inMemory = try compiled.reasons(of: table, ranking: ranking)
        var options = ScoreOptions()
        options.reasons = ranking
        options.threads = 1
        _ = try ScoreJob.run(model: compiled, input: input, output: dir.file("out.csv"), options: options)
        let out = try CSVTable.read(dir.file("out.csv"))
        for (r, row) in table.rows.enumerated() {
            let expected = Self.naiveReasons(row, model: model, k: 3)
            for h in model.heads.indices {
                let got = inMemory[r][h]
                #expect(got.map(\.code) == expected[h].map(\.code), "row \(row[0]) head \(model.heads[h].name)")
                for (g, e) in zip(got, expected[h]) { #expect(abs(g.cost - e.cost) <= 1e-12 * max(1, abs(e.cost))) }
                let name = model.heads[h].name
                for k in 1...3 {
                    let code = out.rows[r][out.columnIndex(named: "\(name)_reason_\(k)")!]
                    let cost = out.rows[r][out.columnIndex(named: "\(name)_reason_\(k)_cost")!]
                    if k <= got.count {
                        #expect(code == got[k - 1].code)
                        let decimals = model.heads[h].points != nil ? 2 : 6
                        #expect(cost == DecimalFormatting.fixed(got[k - 1].cost, decimals: decimals))
                    } else {
                        #expect(code.isEmpty && cost.isEmpty)
                    }
                }
            }
        }
        // Spot checks of the rule itself: a missing age is its own reason; a row at every best state has none.
        #expect(inMemory[1][0].contains { $0.code == "age:missing" })
        #expect(inMemory[4][0].contains { $0.code == "scenario:missing" })
    }

    @Test func equalCostsRankInModelOrderAndZeroCostsAreNoReasons() throws {
        let bins = ScoringModel.BinnedTransform(cuts: [1], woe: [0, 1])
        let model = ScoringModel(name: "ties", idColumn: "id", features: [
            .init(name: "a", binned: bins), .init(name: "b", binned: bins), .init(name: "c", binned: bins),
        ], heads: [.init(name: "h", link: .logistic, intercept: 0, weights: ["a:woe": 1, "b:woe": 1, "c:woe": 1])])
        let compiled = try CompiledModel(model)
        let table = CSVTable(fileName: "t.csv", header: ["id", "a", "b", "c"],
                             rows: [["1", "5", "5", "0"], ["2", "0", "5", "5"], ["3", "0", "0", "0"]])
        let reasons = try compiled.reasons(of: table, ranking: ReasonRanking(model: compiled, count: 2))
        #expect(reasons[0][0] == [Reason(code: "a", cost: 1), Reason(code: "b", cost: 1)])
        #expect(reasons[1][0] == [Reason(code: "b", cost: 1), Reason(code: "c", cost: 1)])
        #expect(reasons[2][0].isEmpty)
        let one = try compiled.reasons(of: table, ranking: ReasonRanking(model: compiled, count: 1))
        #expect(one[1][0] == [Reason(code: "b", cost: 1)])
    }

    @Test func aNumericFeatureWithoutItsFavourableValueIsRefusedUnlessAClipBoundsIt() throws {
        let compiled = try CompiledModel(Fixtures.model())
        #expect(throws: ModelError.reasonsUnavailable(file: "m.json", missing: ["staff", "age"])) {
            try ReasonRanking(model: compiled, count: 2, file: "m.json")
        }
        let message = "\(ModelError.reasonsUnavailable(file: "m.json", missing: ["staff", "age"]))"
        #expect(message.hasPrefix("m.json: cannot give reasons: the model does not hold the most favourable training "
            + "value of 2 numeric features staff, age; expected their training range (trainingMin and trainingMax"))
        // staff clips at 5 from above only; a negative weight needs that end, so the clip gives the baseline.
        var m = Fixtures.model()
        m.features[1].numeric!.trainingMin = 1
        m.features[1].numeric!.trainingMax = 30
        m.schemaVersion = 2
        for h in m.heads.indices { m.heads[h].weights["staff"] = -0.25 }
        let ranking = try ReasonRanking(model: CompiledModel(m), count: 2)
        // Baseline of staff: −0.25 · (5 − 2) / 0.5.
        #expect(ranking.baselines[0 * ranking.featureCount + 0] == -0.25 * ((5 - 2) * (1 / 0.5)))
        // A zero weight needs no range.
        var z = Fixtures.model()
        z.features[1].numeric!.trainingMin = 1
        z.features[1].numeric!.trainingMax = 30
        z.schemaVersion = 2
        for h in z.heads.indices { z.heads[h].weights["staff"] = 0 }
        _ = try ReasonRanking(model: CompiledModel(z), count: 1)
    }

    @Test func reasonsAreTheSameBytesOnAnyThreadCountAndBlockSize() throws {
        let dir = try TemporaryDirectory("reasons-det")
        defer { dir.remove() }
        let input = dir.file("in.csv")
        try ScoreJobTests.fixtureCSV(rows: 20_000, seed: 11).write(to: input, atomically: true, encoding: .utf8)
        let compiled = try CompiledModel(Self.model())
        var outputs: [Data] = []
        for (threads, block) in [(1, 1 << 20), (2, 64 << 10), (3, 8 << 10), (4, 2 << 20)] {
            var o = ScoreOptions()
            o.threads = threads
            o.blockBytes = block
            o.reasons = try ReasonRanking(model: compiled, count: 4)
            let url = dir.file("out-\(threads).csv")
            _ = try ScoreJob.run(model: compiled, input: input, output: url, options: o)
            outputs.append(try Data(contentsOf: url))
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
        // Without reasons, the columns before the reasons are the plain output, byte for byte.
        var plain = ScoreOptions()
        plain.threads = 2
        _ = try ScoreJob.run(model: compiled, input: input, output: dir.file("plain.csv"), options: plain)
        let plainLines = try String(contentsOf: dir.file("plain.csv"), encoding: .utf8).split(separator: "\n")
        let reasonLines = String(decoding: outputs[0], as: UTF8.self).split(separator: "\n")
        #expect(plainLines.count == reasonLines.count)
        for (a, b) in zip(plainLines, reasonLines).prefix(2000) { #expect(b.hasPrefix(a + ",")) }
    }

    @Test func theScoresFileReaderReadsReasons() throws {
        let dir = try TemporaryDirectory("reasons-read")
        defer { dir.remove() }
        let input = dir.file("in.csv")
        try Self.csv.write(to: input, atomically: true, encoding: .utf8)
        let compiled = try CompiledModel(Self.model())
        var o = ScoreOptions()
        o.reasons = try ReasonRanking(model: compiled, count: 3)
        _ = try ScoreJob.run(model: compiled, input: input, output: dir.file("out.csv"), options: o)
        let expected = try compiled.reasons(of: CSVTable.read(input), ranking: o.reasons!)
        var reader = try ScoresFileReader(url: dir.file("out.csv"), requests: [
            .init(head: "credit", reasons: 3), .init(head: "risk_fire", probability: .ignored, reasons: 2),
        ])
        var row = 0
        while let block = try reader.nextBlock() {
            for r in 0..<block.rowCount {
                let credit = try block.reasons(row: r, request: 0)
                #expect(credit.map(\.code) == expected[row][0].map(\.code))
                for (a, b) in zip(credit, expected[row][0]) { #expect(abs(a.cost - b.cost) <= 0.005) }
                #expect(try block.reasons(row: r, request: 1).map(\.code) == Array(expected[row][1].prefix(2).map(\.code)))
                row += 1
            }
        }
        #expect(row == 5)
        // A file without the reason columns is refused with the columns it lacks.
        #expect(throws: (any Error).self) {
            _ = try ScoresFileReader(url: dir.file("out.csv"), requests: [.init(head: "credit", reasons: 4)])
        }
    }

    @Test func theTrainingRangeIsASchemaVersion2Key() throws {
        let plain = Fixtures.model()
        #expect(plain.requiredSchemaVersion == 1)
        #expect(String(decoding: try plain.encoded(), as: UTF8.self).contains("\"schemaVersion\" : 1"))
        let ranged = Self.model()
        let text = String(decoding: try ranged.encoded(), as: UTF8.self)
        #expect(text.contains("\"schemaVersion\" : 2") && text.contains("\"trainingMin\" : 0"))
        #expect(try ScoringModel.decode(ranged.encoded(), file: "m.json") == ranged)
        let downgraded = text.replacingOccurrences(of: "\"schemaVersion\" : 2", with: "\"schemaVersion\" : 1")
        #expect(throws: ModelError.invalid(file: "m.json", location: "features[0] (staff).numeric.trainingMin",
                                           problem: "the training range is a schema version 2 key, but the file says "
                                               + "schemaVersion 1; expected schemaVersion 2")) {
            _ = try ScoringModel.decode(Data(downgraded.utf8), file: "m.json")
        }
        var half = ranged
        half.features[0].numeric!.trainingMax = nil
        #expect(throws: ModelError.invalid(file: "m", location: "features[0] (staff).numeric",
                                           problem: "the training range needs both trainingMin and trainingMax")) {
            try half.validate(file: "m")
        }
    }
}
