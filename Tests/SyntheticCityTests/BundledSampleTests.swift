import Foundation
import Scoring
import Supervision
import Testing
import TestSupport
@testable import SyntheticCity

/// The committed sample (`datasets/`, made by `onecheck generate --entities 20000 --seed 2026 --output datasets`)
/// and the committed models: they must be exactly what the generator makes, and statistically what the true model
/// says.
@Suite("Bundled sample and models")
struct BundledSampleTests {
    static let entities = 20_000
    static let seed: UInt64 = 2026

    static func dataset(_ name: String) -> URL { SharedData.bundled("datasets/\(name)") }

    @Test("the committed sample is byte-identical to a fresh generation")
    func sampleDoesNotDrift() throws {
        let tmp = try TemporaryDirectory("city-sample")
        defer { tmp.remove() }
        try CityGenerator(CityConfiguration(entities: Self.entities, seed: Self.seed)).write(to: tmp.url)
        for name in CityGenerator.fileNames {
            let fresh = try Data(contentsOf: tmp.file(name))
            #expect(try Data(contentsOf: Self.dataset(name)) == fresh, "datasets/\(name) differs from a fresh generation")
        }
        #expect(try Data(contentsOf: SharedData.bundled("models/true-model.json")) == Data(contentsOf: tmp.file("true-model.json")))
        #expect(try Data(contentsOf: SharedData.bundled("models/default.json")) == Data(contentsOf: tmp.file("default-model.json")))
    }

    @Test("the committed models load, validate and compile", arguments: ["models/true-model.json", "models/default.json"])
    func modelsLoad(path: String) throws {
        let model = try ScoringModel.load(from: SharedData.bundled(path))
        _ = try CompiledModel(model)
        #expect(model.heads.map(\.name) == CityCatalogue.departments.map { "risk_\($0.code)" } + ["credit"])
        #expect(model.designColumns == TrueModel.standard.designColumns)
        if path.hasSuffix("default.json") {
            #expect(model.supervisionClass == .init(rule: .worst, heads: model.heads.map(\.name)))
            for h in model.heads {
                #expect(h.points == DefaultModel.points)
                #expect(h.grades?.measure == .probability && h.grades?.cuts.count == 3)
            }
        }
    }

    /// Everything the statistical checks need: the sample scored by the Scoring module's own encoders from the
    /// model *file* — an implementation independent of the generator's evaluator.
    struct Scored {
        var ids: [String]
        var scenario: [String]
        var district: [String]
        var probability: [[Double]] // [entity][head]
        var grade: [[Int]]
        var design: [[Double]]      // [entity][design column]
        var heads: [String]
        var missing: [Int]          // per feature: number of empty fields
        var index: [String: Int]

        init() throws {
            let model = try ScoringModel.load(from: SharedData.bundled("models/default.json"))
            let compiled = try CompiledModel(model)
            let table = try CSVFixture(BundledSampleTests.dataset("entities.csv"))
            let columns = try model.features.map { f in try #require(table.column(f.inputColumn)) }
            let weights = model.heads.map { h in compiled.designColumns.map { h.weights[$0]! } }
            heads = model.heads.map(\.name)
            ids = []; scenario = []; district = []; probability = []; grade = []; design = []; index = [:]
            missing = [Int](repeating: 0, count: columns.count)
            var x = [Double](repeating: 0, count: compiled.designWidth)
            for row in table.rows {
                for (f, c) in columns.enumerated() {
                    guard case let .numeric(encoder) = compiled.encoders[f] else { Issue.record("non-numeric feature"); return }
                    let value = row[c].isEmpty ? nil : Double(row[c])
                    if value == nil { missing[f] += 1 }
                    try x.withUnsafeMutableBufferPointer { try encoder.encode(value, into: $0.baseAddress! + compiled.designOffsets[f]) }
                }
                var p: [Double] = [], g: [Int] = []
                for (h, w) in weights.enumerated() {
                    var s = model.heads[h].intercept
                    for c in x.indices { s += w[c] * x[c] }
                    let out = compiled.heads[h]
                    let prob = out.probability(s)!
                    p.append(prob)
                    g.append(out.gradeIndex(score: s, probability: prob, points: out.points(s)))
                }
                index[row[0]] = ids.count
                ids.append(row[0]); district.append(row[1]); scenario.append(row[2])
                probability.append(p); grade.append(g); design.append(x)
            }
        }
    }

    static let scored = Result { try Scored() }

    @Test("standardised features have mean 0 and variance 1 within 4 standard errors")
    func standardisation() throws {
        let s = try Self.scored.get()
        let n = Double(s.ids.count)
        let columns = TrueModel.standard.designColumns
        for (c, name) in columns.enumerated() where !name.hasSuffix(":missing") {
            var m1 = 0.0, m2 = 0.0, m4 = 0.0
            for row in s.design { m1 += row[c] }
            let mean = m1 / n
            for row in s.design { let d = row[c] - mean; m2 += d * d; m4 += d * d * d * d }
            let variance = m2 / n
            let kurtosis = (m4 / n) / (variance * variance)
            // The population has std 1, so the sample mean has SE 1/√n and the sample variance SE √((κ − 1)/n).
            #expect(abs(mean) < 4 / n.squareRoot(), "\(name): mean \(mean)")
            #expect(abs(variance - 1) < 4 * ((kurtosis - 1) / n).squareRoot(), "\(name): variance \(variance), kurtosis \(kurtosis)")
        }
    }

    @Test("missing fields occur at their documented rate (binomial, 4 standard errors)")
    func missingRates() throws {
        let s = try Self.scored.get()
        let n = Double(s.ids.count)
        for (f, spec) in FeatureSpec.all.enumerated() {
            let rate = spec.missingRate
            if rate == 0 { #expect(s.missing[f] == 0, "\(spec.name)"); continue }
            #expect(abs(Double(s.missing[f]) - n * rate) < 4 * (n * rate * (1 - rate)).squareRoot(), "\(spec.name): \(s.missing[f])")
        }
    }

    @Test("findings per department match the true model's probabilities (binomial, 4 standard errors)")
    func findingRates() throws {
        let s = try Self.scored.get()
        let history = try CSVFixture(Self.dataset("history.csv"))
        var found = [String: Double](), expected = [String: Double](), variance = [String: Double]()
        for row in history.rows {
            let (id, department, found01, element) = (row[0], row[1], row[3], row[4])
            let e = try #require(s.index[id], "history names unknown entity \(id)")
            let scenario = try #require(CityCatalogue.scenarios.first { $0.code.rawValue == s.scenario[e] })
            #expect(scenario.departments.contains(DepartmentCode(department)), "\(department) does not supervise \(scenario.code)")
            #expect(CityCalendar.historyPeriods.contains { $0.description == row[2] })
            #expect((found01 == "1") == !element.isEmpty)
            let h = try #require(s.heads.firstIndex(of: "risk_\(department)"))
            let p = s.probability[e][h]
            found[department, default: 0] += found01 == "1" ? 1 : 0
            expected[department, default: 0] += p
            variance[department, default: 0] += p * (1 - p)
        }
        #expect(Set(found.keys) == Set(CityCatalogue.departments.map(\.code.rawValue)))
        for (d, f) in found {
            #expect(abs(f - expected[d]!) < 4 * variance[d]!.squareRoot(), "\(d): found \(f), expected \(expected[d]!)")
        }

        let credit = try CSVFixture(Self.dataset("credit_events.csv"))
        #expect(credit.rows.map { $0[0] } == s.ids)
        let h = try #require(s.heads.firstIndex(of: "credit"))
        var events = 0.0, mean = 0.0, v = 0.0
        for (e, row) in credit.rows.enumerated() {
            events += row[1] == "1" ? 1 : 0
            mean += s.probability[e][h]; v += s.probability[e][h] * (1 - s.probability[e][h])
        }
        #expect(abs(events - mean) < 4 * v.squareRoot(), "credit events \(events), expected \(mean)")
    }

    @Test("default grades split about 40/35/20/5 in every head")
    func gradeShares() throws {
        let s = try Self.scored.get()
        let n = Double(s.ids.count)
        for h in s.heads.indices {
            var counts = [0, 0, 0, 0]
            for g in s.grade { counts[g[h]] += 1 }
            for (k, target) in QuotaPolicy.gradeShares.enumerated() {
                // Sampling (4 SE) plus the cut's rounding to three significant digits (< 0.01 of share).
                let tolerance = 4 * (target * (1 - target) / n).squareRoot() + 0.01
                #expect(abs(Double(counts[k]) / n - target) < tolerance, "\(s.heads[h]) grade \(k): \(counts[k])")
            }
        }
    }

    @Test("the roster covers every item with two qualified inspectors per district and names real entities")
    func roster() throws {
        let s = try Self.scored.get()
        let inspectors = try CSVFixture(Self.dataset("inspectors.csv"))
        let history = try CSVFixture(Self.dataset("history.csv"))
        var lastPeriod = Set<String>()
        for row in history.rows where row[2] == CityCalendar.lastPeriod.description { lastPeriod.insert("\(row[0])|\(row[1])") }
        var qualified = [String: Int]() // "district|item" → inspectors
        for row in inspectors.rows {
            let (department, district) = (row[1], row[2])
            for item in row[3].split(separator: ";") {
                #expect(item.hasPrefix("\(department)."))
                qualified["\(district)|\(item)", default: 0] += 1
            }
            #expect(Int(row[4])! >= 40 && Int(row[4])! <= 80)
            for e in row[6].split(separator: ";") {
                let i = try #require(s.index[String(e)], "conflict with unknown entity \(e)")
                #expect(s.district[i] == district)
            }
            for e in row[7].split(separator: ";") {
                #expect(lastPeriod.contains("\(e)|\(department)"), "\(row[0]) did not check \(e) last period")
            }
        }
        for district in CityCatalogue.districts {
            for item in CityCatalogue.items { #expect(qualified["\(district.code)|\(item.code)", default: 0] >= 2, "\(district.code) \(item.code)") }
        }
    }
}
