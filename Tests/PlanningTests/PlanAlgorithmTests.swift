import Foundation
import Supervision
import Testing
import TestSupport
@testable import Planning

/// Plans of the two algorithms side by side (issue 19): fixed sizes and shortfalls in v3, yearly caps over a year of
/// four v3 plans, and plans of the earlier Poisson algorithm still re-derived and verified.
@Suite("Plan algorithms")
struct PlanAlgorithmTests {
    static func inputs(_ fixture: PlanFixture) throws -> (PlanInputs, PlanInputPaths, TemporaryDirectory) {
        let directory = try TemporaryDirectory("plan-algorithms")
        let paths = try fixture.write(to: directory)
        return (try PlanInputs.read(paths), paths, directory)
    }

    @Test("v3: every stratum holds exactly its size; a ratio's size is its expected size rounded down or up")
    func exactSizes() throws {
        let (inputs, _, directory) = try Self.inputs(PlanFixture())
        defer { directory.remove() }
        for seed in ["a", "b", "c", "d"] {
            let plan = try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q3")!, seed: seed))
            for line in plan.quotaReport {
                let exact = try #require(line.exactness)
                #expect(exact.shortfall == nil)
                #expect(line.realised == exact.size, "\(line.allocation.stratum): \(line.realised) of \(exact.size)")
                switch line.allocation.quota {
                case let .ratio(r):
                    let expected = r * Double(line.allocation.populationSize)
                    #expect(exact.size == Int(expected.rounded(.down)) || exact.size == Int(expected.rounded(.up)))
                case let .count(c): #expect(exact.size == c)
                case .census: #expect(exact.size == line.allocation.populationSize)
                }
            }
            // π recorded per department: the design's, summing to the expected sizes of its strata.
            for design in plan.inclusion {
                let expected = plan.quotaReport.filter { $0.allocation.stratum.department == design.department }
                    .reduce(0.0) { $0 + $1.allocation.expectedSampleSize }
                #expect(abs(design.probabilities.reduce(0, +) - expected) < 1e-8)
            }
        }
    }

    @Test("v3: a count above the entities in scope plans them all and names the shortfall; v2 refuses it")
    func countAboveScope() throws {
        var fixture = PlanFixture()
        fixture.quotas = fixture.quotas.replacingOccurrences(of: "fire,B,,3,0", with: "fire,B,,300,0")
        let (inputs, _, directory) = try Self.inputs(fixture)
        defer { directory.remove() }
        let plan = try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q1")!, seed: "s"))
        let fireB = try #require(plan.quotaReport.first { $0.allocation.stratum == Stratum(department: "fire", grade: .b) })
        let entities = fireB.allocation.populationSize
        #expect(fireB.realised == entities && fireB.allocation.expectedSampleSize == 300)
        #expect(fireB.exactness?.shortfall == .fewerEntities(agreed: 300, entities: entities))
        let summary = PlanOutputs.summary(plan, roster: inputs.roster)
        #expect(summary.contains("below the agreed size: fire/B (count 300): \(entities) planned; 300 checks agreed but only "
            + "\(entities) entities in scope"), "\(summary)")
        #expect(PlanOutputs.quotaReportCSV(plan).contains(",300 checks agreed but only \(entities) entities in scope; all \(entities) planned\n"))
        #expect(throws: PlanError.self) {
            try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q1")!, seed: "s", algorithm: .poissonV2))
        }
    }

    /// Caps: all departments 2 visits a year, market 1 check, fire and health the all-department cap. Targets stay
    /// within the caps (market ≤ ¼, the others ≤ ½), so the plans are not refused; the bounds keep every entity
    /// within its caps over the four quarters of one seed's year.
    @Test("v3: four quarters of one year keep every entity within its yearly caps, each stratum at its size")
    func yearOfFourPlans() throws {
        var fixture = PlanFixture()
        fixture.entities = 400
        fixture.caps = "scope,max_checks_per_year\nall,2\nmarket,1\n"
        fixture.quotas = """
            department,grade,ratio,count,certain
            market,A,0.040,,0
            market,B,0.060,,0
            market,C,0.080,,0
            market,D,0.100,,0
            fire,A,0.100,,0
            fire,B,0.150,,0
            fire,C,0.200,,0
            fire,D,0.250,,0
            health,A,0.100,,0
            health,B,0.150,,0
            health,C,,5,0
            health,D,0.300,,0
            """
        let (inputs, _, directory) = try Self.inputs(fixture)
        defer { directory.remove() }
        var visits: [EntityID: Int] = [:], checks: [DirectoryMembership: Int] = [:]
        var capped = 0
        for quarter in 1...4 {
            let plan = try PlanBuilder.build(inputs, parameters: PlanParameters(
                period: Period(year: 2026, quarter: quarter)!, seed: "one seed for the year 2026"))
            for check in plan.checks {
                visits[check.entity, default: 0] += 1
                for d in check.departments { checks[DirectoryMembership(department: d, entity: check.entity), default: 0] += 1 }
            }
            for line in plan.quotaReport {
                let exact = try #require(line.exactness)
                capped += exact.capped
                if case let .cappedEntities(size, eligible, _)? = exact.shortfall {
                    #expect(line.realised == eligible && eligible < size)
                } else {
                    #expect(exact.shortfall == nil && line.realised == exact.size, "\(line.allocation.stratum) in Q\(quarter)")
                }
            }
        }
        #expect(visits.values.max() == 2, "the all-department cap is reached, never exceeded")
        #expect(checks.filter { $0.key.department == "market" }.values.max() == 1)
        #expect(checks.filter { $0.key.department != "market" }.values.max()! <= 2)
        #expect(capped > 0, "some entities were kept out of a quarter by their caps")
    }

    @Test("v2 plans are still drawn by the Poisson rule and verify; their quota report keeps its columns")
    func poissonPlansStillVerify() throws {
        let (inputs, paths, directory) = try Self.inputs(PlanFixture())
        defer { directory.remove() }
        let parameters = PlanParameters(period: Period("2026Q1")!, seed: "2026-01-02 lottery 07 19 23", algorithm: .poissonV2)
        let plan = try PlanBuilder.build(inputs, parameters: parameters)
        #expect(plan.quotaReport.allSatisfy { $0.exactness == nil })
        #expect(PlanOutputs.quotaReportCSV(plan).hasPrefix(
            "department,grade,quota,entities,agreed_checks,realised_checks,agreed_ratio,realised_ratio,certainty,floored\n"))
        // The Poisson rule: selected exactly when the quarter's position is below π.
        let prn = VerifiableRandom(seed: parameters.seed, purpose: "onecheck.plan.2026.prn")
        for design in plan.inclusion {
            for (entity, pi) in zip(design.entities, design.probabilities) {
                let selected = plan.checks.contains { $0.entity == entity && $0.departments.contains(design.department) }
                #expect(selected == (prn.uniform(entity: entity.rawValue) < pi))
            }
        }
        let output = PlanDirectory(path: directory.file("v2").path)
        try output.write(plan, inputs: inputs, inputFiles: paths, frame: try paths.commitment(algorithm: .poissonV2))
        let manifestPath = output.path(of: PlanDirectory.manifestFile)
        #expect(try String(contentsOfFile: manifestPath, encoding: .utf8)
            .contains("\"algorithm_version\": \"onecheck.plan.v2+onecheck.random.v1\""))
        let outcome = try PlanVerification.verify(manifestPath: manifestPath, planPath: output.path(of: PlanDirectory.planFile),
                                                  locator: InputLocator())
        #expect(outcome == .identical)
        let manifest = try PlanDirectory.readManifest(at: manifestPath)
        #expect(manifest.parameters.algorithm == .poissonV2)
        // An unknown version is refused, naming both known ones.
        var unknown = manifest
        unknown.algorithmVersion = "onecheck.plan.v9+onecheck.random.v1"
        do {
            _ = try PlanVerification.rederive(manifest: unknown, paths: paths)
            Issue.record("an unknown algorithm version was accepted")
        } catch {
            #expect("\(error)".contains("onecheck.plan.v2+onecheck.random.v1 and onecheck.plan.v3+onecheck.random.v1"))
        }
    }

    @Test("v3: verify accepts a π in inclusion.csv within 1e-12 of the re-derived one, and names a larger difference")
    func inclusionTolerance() throws {
        let (inputs, paths, directory) = try Self.inputs(PlanFixture())
        defer { directory.remove() }
        let plan = try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q1")!, seed: "tolerance"))
        let output = PlanDirectory(path: directory.file("v3").path)
        try output.write(plan, inputs: inputs, inputFiles: paths, frame: try paths.commitment())
        let inclusionPath = output.path(of: PlanDirectory.inclusionFile)
        let original = try String(contentsOfFile: inclusionPath, encoding: .utf8)
        let design = plan.inclusion[0]
        let k = try #require(design.probabilities.firstIndex { $0 > 0 && $0 < 1 })
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.firstIndex { $0.hasPrefix(design.entities[k].rawValue + ",") })
        var fields = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(fields[1] == "\(design.probabilities[k])")  // the first department's π, shortest round-trip text
        let line = lines[row]
        let manifestPath = output.path(of: PlanDirectory.manifestFile)
        let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        let recorded = FrameCommitment.sha256Hex(Array(original.utf8))
        #expect(manifest.contains("\"\(PlanDirectory.inclusionFile)\": \"\(recorded)\""))
        /// Writes inclusion.csv with the π shifted; `recording` also records the new file's SHA-256 in the manifest
        /// (a plan written where the C library's `exp`/`log` round differently), else the manifest is left as drawn.
        func verify(shift: Double, recording: Bool) throws -> PlanVerification.Outcome {
            fields[1] = "\(design.probabilities[k] + shift)"
            lines[row] = fields.joined(separator: ",")
            let text = lines.joined(separator: "\n")
            try text.write(toFile: inclusionPath, atomically: true, encoding: .utf8)
            let digest = recording ? FrameCommitment.sha256Hex(Array(text.utf8)) : recorded
            try manifest.replacingOccurrences(of: recorded, with: digest)
                .write(toFile: manifestPath, atomically: true, encoding: .utf8)
            return try PlanVerification.verify(manifestPath: manifestPath,
                                               planPath: output.path(of: PlanDirectory.planFile), locator: InputLocator())
        }
        #expect(try verify(shift: 0, recording: false) == .identical)
        #expect(try verify(shift: 4e-13, recording: true) == .identical)
        #expect(throws: Never.self) { try output.readDraw() }
        // The file edited behind the manifest's back: its digest is no longer the recorded one, for verify (the
        // manifest's line naming it) and for reading the plan as a draw.
        guard case let .different(edited, _, _, _) = try verify(shift: 4e-13, recording: false) else {
            Issue.record("an inclusion.csv whose digest is not the recorded one verified"); return
        }
        #expect(edited == manifestPath)
        #expect(throws: PlanDirectoryError.self) { try output.readDraw() }
        guard case let .different(file, lineNumber, expected, _) = try verify(shift: 1e-9, recording: true) else {
            Issue.record("a π 1e-9 away was accepted"); return
        }
        #expect(file == inclusionPath && lineNumber == row + 1 && expected == line)
    }

    /// Caps of 1 visit a year: the entities a Q1 plan visited (as checks-done.csv records them) are never drawn in
    /// Q2, whichever seed Q2 uses, and they count as capped entities of their strata.
    @Test("v3: checks recorded earlier in the year count against the caps (checks-done.csv)")
    func checksDoneCountAgainstCaps() throws {
        var fixture = PlanFixture()
        fixture.entities = 200
        fixture.caps = "scope,max_checks_per_year\nall,1\nmarket,1\nfire,1\nhealth,1\n"
        // Ratios of 0.1: every target stays below the cap's bound ¼ (fire B keeps its count of 3).
        fixture.quotas = fixture.quotas.replacingOccurrences(of: ",,,1", with: ",0.100,,0")
            .replacingOccurrences(of: "0.200", with: "0.100").replacingOccurrences(of: "0.400", with: "0.100")
            .replacingOccurrences(of: "0.500", with: "0.100")
        let (inputs, paths, directory) = try Self.inputs(fixture)
        defer { directory.remove() }
        let q1 = try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q1")!, seed: "first seed"))
        let done = ChecksDone(checks: q1.checks.map {
            ChecksDone.Check(checkID: $0.checkID, period: Period("2026Q1")!, entity: $0.entity, departments: $0.departments)
        } + [ChecksDone.Check(checkID: "2025Q4-x", period: Period("2025Q4")!, entity: inputs.entityIDs[0], departments: ["fire"])])
        let donePath = directory.file("checks-done.csv").path
        try done.csvText().write(toFile: donePath, atomically: true, encoding: .utf8)
        var withDone = paths
        withDone.done = donePath
        let read = try PlanInputs.read(withDone)
        #expect(read.checksDone == ChecksDone(checks: done.checks.enumerated().map { k, check in
            var c = check
            c.line = k + 2
            return c
        }))
        let visited = Set(q1.checks.map(\.entity))
        for seed in ["second seed", "another one"] {
            let q2 = try PlanBuilder.build(read, parameters: PlanParameters(period: Period("2026Q2")!, seed: seed))
            #expect(q2.checks.allSatisfy { !visited.contains($0.entity) }, "an entity visited in Q1 drawn again")
            #expect(q2.inclusion.allSatisfy { design in
                zip(design.entities, design.probabilities).allSatisfy { !visited.contains($0.0) || $0.1 == 0 }
            }, "π = 0 for an entity at its cap")
            #expect(q2.quotaReport.reduce(0) { $0 + ($1.exactness?.capped ?? 0) } >= visited.count)
        }
        // Without the file a new seed's numbers would let them return: the file, not the positions, kept them out.
        let free = try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q2")!, seed: "second seed"))
        #expect(free.inclusion.contains { design in
            zip(design.entities, design.probabilities).contains { visited.contains($0.0) && $0.1 > 0 }
        })

        // A check of an entity outside the directory is refused at its line.
        try (done.csvText() + "2026Q1-zz,2026Q1,NOT-AN-ENTITY,market\n").write(toFile: donePath, atomically: true, encoding: .utf8)
        do {
            _ = try PlanInputs.read(withDone)
            Issue.record("an unknown entity in checks-done.csv was accepted")
        } catch {
            #expect("\(error)".contains("checks-done.csv:\(done.checks.count + 2)") && "\(error)".contains("NOT-AN-ENTITY"),
                    "\(error)")
        }
    }

    /// `Tests/Fixtures/plan-v2/`: a plan written by the Poisson planner before issue 19 (its make_fixture.sh), with
    /// its inputs. Every later build must re-derive it byte for byte.
    @Test("a committed plan of algorithm v2, written by the old build, still verifies")
    func committedV2PlanVerifies() throws {
        let manifest = SharedData.bundled("Tests/Fixtures/plan-v2/plan-2026Q1/manifest.json").path
        let plan = SharedData.bundled("Tests/Fixtures/plan-v2/plan-2026Q1/plan.csv").path
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        #expect(text.contains("\"algorithm_version\": \"onecheck.plan.v2+onecheck.random.v1\""))
        #expect(try PlanVerification.verify(manifestPath: manifest, planPath: plan, locator: InputLocator()) == .identical)
        let read = try PlanDirectory.readManifest(at: manifest)
        #expect(read.parameters.algorithm == .poissonV2)
    }
}
