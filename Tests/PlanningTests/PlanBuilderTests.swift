import Foundation
import Planning
import Supervision
import Testing
import TestSupport

@Suite("plan pipeline")
struct PlanBuilderTests {
    static func plan(_ fixture: PlanFixture = PlanFixture(), seed: String = "2026-01-02 lottery 07 19 23",
                     period: String = "2026Q1") throws -> (Plan, PlanInputs, PlanInputPaths, TemporaryDirectory) {
        let directory = try TemporaryDirectory("plan")
        let paths = try fixture.write(to: directory)
        let inputs = try PlanInputs.read(paths)
        return (try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period(period)!, seed: seed)), inputs, paths,
                directory)
    }

    @Test("same inputs and seed give identical outputs; shuffled rows give the same plan")
    func determinism() throws {
        let (a, inputsA, _, dirA) = try Self.plan()
        defer { dirA.remove() }
        let (b, _, _, dirB) = try Self.plan()
        defer { dirB.remove() }
        var shuffled = PlanFixture()
        shuffled.shuffled = true
        let (c, _, _, dirC) = try Self.plan(shuffled)
        defer { dirC.remove() }
        #expect(!a.checks.isEmpty)
        for other in [b, c] {
            #expect(PlanOutputs.planCSV(a) == PlanOutputs.planCSV(other))
            #expect(PlanOutputs.targetsCSV(a) == PlanOutputs.targetsCSV(other))
            #expect(PlanOutputs.quotaReportCSV(a) == PlanOutputs.quotaReportCSV(other))
            #expect(a.inclusion == other.inclusion && a.reserves == other.reserves)
        }
        let (d, _, _, dirD) = try Self.plan(seed: "another seed")
        defer { dirD.remove() }
        #expect(PlanOutputs.planCSV(a) != PlanOutputs.planCSV(d))
        // Every check has ≥ 2 inspectors, one per department of a joint check, none in conflict.
        let roster = Dictionary(uniqueKeysWithValues: inputsA.roster.map { ($0.id, $0) })
        for check in a.checks {
            #expect(check.inspectors.count == (check.departments.count == 1 ? 2 : check.departments.count))
            #expect(Set(check.inspectors).count == check.inspectors.count)
            for id in check.inspectors {
                let inspector = try #require(roster[id])
                #expect(check.departments.contains(inspector.department))
                #expect(!inspector.conflicts.contains(check.entity) && !inspector.checkedLastPeriod.contains(check.entity))
            }
            #expect(Period("2026Q1")!.weekdays.contains(check.date))
        }
        // Certainty rule: market grade D entities are always checked by market.
        let marketD = inputsA.entities.filter { $0.grade["market"] == .d && $0.probability["market"] != nil }
        #expect(!marketD.isEmpty)
        for entity in marketD {
            #expect(a.checks.contains { $0.entity == entity.id && $0.departments.contains("market") })
        }
    }

    @Test("π sums to the agreed quota per stratum, floored above zero, and joint checks save visits")
    func probabilitiesAndQuotaReport() throws {
        let (plan, _, _, dir) = try Self.plan()
        defer { dir.remove() }
        for line in plan.quotaReport {
            let a = line.allocation
            switch a.quota {
            case let .ratio(r): #expect(abs(a.expectedSampleSize - r * Double(a.populationSize)) < 1e-9)
            case let .count(c): #expect(abs(a.expectedSampleSize - Double(c)) < 1e-9)
            case .census: #expect(a.certaintyCount == a.populationSize)
            }
        }
        for design in plan.inclusion { #expect(design.probabilities.allSatisfy { $0 > 0 && $0 <= 1 }) }
        let fireB = try #require(plan.quotaReport.first { $0.allocation.stratum == Stratum(department: "fire", grade: .b) })
        #expect(fireB.allocation.sampleSize == 3)
        let selections = plan.checks.reduce(0) { $0 + $1.departments.count }
        #expect(plan.coordination.selections == selections)
        #expect(plan.coordination.expectedVisits < plan.coordination.expectedIndependentVisits)
    }

    @Test("selection frequencies over 2,000 seeds match π (max |z| < 4.5)")
    func inclusionExactness() throws {
        var fixture = PlanFixture()
        fixture.entities = 24
        fixture.quotas = """
            department,grade,ratio,count,certain
            market,A,,2,0
            market,B,,3,0
            market,C,,3,0
            market,D,,1,0
            fire,A,,2,0
            fire,B,,2,0
            fire,C,,2,0
            fire,D,,1,0
            health,A,,1,0
            health,B,,1,0
            health,C,,1,0
            health,D,,1,0
            """
        fixture.inspectorsPerDepartment = 30
        let directory = try TemporaryDirectory("plan")
        defer { directory.remove() }
        let inputs = try PlanInputs.read(try fixture.write(to: directory))
        let replicates = 2_000
        var counts: [DirectoryMembership: Int] = [:]
        var reference: Plan?
        for r in 0..<replicates {
            let plan = try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q2")!, seed: "seed-\(r)"))
            reference = reference ?? plan
            for check in plan.checks {
                for d in check.departments { counts[DirectoryMembership(department: d, entity: check.entity), default: 0] += 1 }
            }
        }
        var maxZ = 0.0
        for design in try #require(reference).inclusion {
            for (entity, pi) in zip(design.entities, design.probabilities) where pi < 1 {
                let expected = Double(replicates) * pi
                let observed = counts[DirectoryMembership(department: design.department, entity: entity)] ?? 0
                let z = (Double(observed) - expected) / (expected * (1 - pi)).squareRoot()
                maxZ = max(maxZ, abs(z))
            }
        }
        #expect(maxZ < 4.5)
    }

    @Test("bad inputs are refused with the stratum, cap, check or line at fault")
    func badInputs() throws {
        func failure(_ algorithm: PlanAlgorithm = .current, _ change: (inout PlanFixture) -> Void) throws -> any Error {
            var fixture = PlanFixture()
            change(&fixture)
            let directory = try TemporaryDirectory("plan")
            defer { directory.remove() }
            do {
                let inputs = try PlanInputs.read(try fixture.write(to: directory))
                _ = try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q1")!, seed: "s",
                                                                             algorithm: algorithm))
            } catch { return error }
            Issue.record("expected an error")
            return PlanError.emptySeed
        }
        let missing = try failure { $0.quotas = $0.quotas.replacingOccurrences(of: "fire,C,0.400,,0\n", with: "") }
        #expect(missing as? PlanError == .missingQuota(Stratum(department: "fire", grade: .c), entities: 10) || "\(missing)".contains("fire, grade C"))
        // A count above the stratum is refused by v2 (v3 plans every entity and names the shortfall: PlanAlgorithmTests).
        let tooMany = try failure(.poissonV2) { $0.quotas = $0.quotas.replacingOccurrences(of: "fire,B,,3,0", with: "fire,B,,300,0") }
        #expect("\(tooMany)".contains("department fire, grade B cannot be met"))
        let caps = try failure { $0.caps = "scope,max_checks_per_year\nall,3\nmarket,4\n" }
        #expect("\(caps)".contains("department market allows 4"))
        let certainCap = try failure { $0.caps = "scope,max_checks_per_year\nall,6\nhealth,3\n" }
        #expect("\(certainCap)".contains("above the department's cap of 3"))
        let staff = try failure { $0.inspectorsPerDepartment = 1 }
        #expect("\(staff)".contains("cannot staff the plan: check 2026Q1-E"))
        // A grade outside A–D is now refused first, at its column, so the row with two sizes has a valid grade.
        let row = try failure { $0.quotas += "\nconstruction,A,0.5,3,0" }
        #expect("\(row)".contains("quotas.csv") && "\(row)".contains("exactly one of ratio, count, certain=1"))
        let grade = try failure { $0.quotas += "\nmarket,E,0.5,,0" }
        #expect("\(grade)".contains("quotas.csv:14:2") && "\(grade)".contains("expected a grade A, B, C or D"), "\(grade)")
    }

    @Test("verification reproduces the plan, detects a tampered plan and a changed input")
    func verification() throws {
        let (plan, inputs, paths, dir) = try Self.plan()
        defer { dir.remove() }
        let frame = try paths.commitment()
        let output = PlanDirectory(path: dir.file("out").path)
        try output.write(plan, inputs: inputs, inputFiles: paths, frame: frame)
        let manifestPath = output.path(of: PlanDirectory.manifestFile)
        let manifest = try PlanDirectory.readManifest(at: manifestPath)
        let recorded = try InputLocator().paths(for: manifest, at: manifestPath)
        let derived = try PlanVerification.rederive(manifest: manifest, paths: recorded).plan
        #expect(PlanVerification.compare(file: "plan.csv", expected: PlanOutputs.planCSV(derived),
                                         found: PlanOutputs.planCSV(plan)) == .identical)
        let tampered = PlanOutputs.planCSV(plan).replacingOccurrences(of: plan.checks[0].date.description, with: "2026-12-31")
        guard case let .different(_, line, _, _) = PlanVerification.compare(
            file: "plan.csv", expected: PlanOutputs.planCSV(derived), found: tampered) else {
            Issue.record("tampering not detected"); return
        }
        #expect(line >= 2)
        try (String(contentsOfFile: paths.quotas, encoding: .utf8) + "\n").write(toFile: paths.quotas, atomically: true, encoding: .utf8)
        #expect(throws: PlanError.self) { try PlanVerification.rederive(manifest: manifest, paths: paths) }
        #expect(frame.firstDifference(from: try paths.commitment()) != nil)
    }

    @Test("adjustments draw from the reserve, keep untouched checks, are idempotent and replayable")
    func adjustments() throws {
        let (plan, inputs, paths, dir) = try Self.plan()
        defer { dir.remove() }
        let target = try #require(plan.checks.first { $0.departments.count == 1 })
        var once = plan
        try once.apply(.closed(entity: target.entity), inputs: inputs)
        var twice = once
        try twice.apply(.closed(entity: target.entity), inputs: inputs)
        #expect(once == twice)
        #expect(!once.checks.contains { $0.entity == target.entity })
        let department = target.departments[0]
        // The replacement keeps the grade's size: the first reserve of the closed entity's grade without a check.
        let grade = inputs.grade(of: target.entity, department: department)
        let expectedReplacement = try #require(plan.reserves[department]?.first { id in
            !plan.checks.contains { $0.entity == id } && inputs.grade(of: id, department: department) == grade
        })
        #expect(once.checks.contains { $0.entity == expectedReplacement && $0.departments == [department] })
        let untouched = plan.checks.filter { $0.entity != target.entity }
        #expect(untouched.allSatisfy { once.checks.contains($0) })

        let busy = try #require(plan.checks.first?.inspectors.first)
        try once.apply(.unavailable(inspector: busy), inputs: inputs)
        #expect(!once.checks.contains { $0.inspectors.contains(busy) })
        #expect(once.checks.filter { !plan.checks.map(\.inspectors).contains($0.inspectors) }.count
            <= plan.checks.filter { $0.inspectors.contains(busy) }.count + 1)

        let output = PlanDirectory(path: dir.file("out").path)
        try output.write(once, inputs: inputs, inputFiles: paths, frame: try paths.commitment())
        let manifest = try PlanDirectory.readManifest(at: output.path(of: PlanDirectory.manifestFile))
        let replayed = try PlanVerification.rederive(manifest: manifest, paths: paths).plan
        #expect(PlanOutputs.planCSV(replayed) == PlanOutputs.planCSV(once))
        #expect(throws: PlanError.self) { var copy = plan; try copy.apply(.closed(entity: "nobody"), inputs: inputs) }
    }

    @Test("working days of a quarter are Monday to Friday")
    func workingDays() throws {
        let days = try #require(Period("2026Q1")).weekdays
        #expect(days.first == CalendarDate("2026-01-01") && days.count == 64)  // 2026-01-01 is a Thursday
        #expect(!days.contains(CalendarDate("2026-01-03")!) && days.last == CalendarDate("2026-03-31"))
        #expect(Period("2026Q5") == nil && Period("26Q1") == nil)
    }
}
