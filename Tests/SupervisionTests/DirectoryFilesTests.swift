import Foundation
import Supervision
import Tables
import Testing
import TestSupport

/// One reader per city file: the rules each file's fields follow, and the errors for each broken rule.
@Suite("City directory files")
struct DirectoryFilesTests {
    static func write(_ text: String, _ name: String, in directory: TemporaryDirectory) throws -> URL {
        let url = directory.file(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func failure(_ body: () throws -> Void) -> TableError? {
        do { try body() } catch let error as TableError { return error } catch { Issue.record("\(error)") }
        return nil
    }

    @Test func readsTheBundledCatalogueAndWritesItBackByteForByte() throws {
        let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("datasets")
        let departments = try DepartmentsFile.read(bundled.appendingPathComponent(DepartmentsFile.fileName))
        let scenarios = try ScenariosFile.read(bundled.appendingPathComponent(ScenariosFile.fileName),
                                               context: DirectoryContext(departments: departments, scenarios: nil))
        let context = DirectoryContext(departments: departments, scenarios: scenarios)
        let items = try ItemsFile.read(bundled.appendingPathComponent(ItemsFile.fileName), context: context)
        let caps = try CapsFile.read(bundled.appendingPathComponent(CapsFile.fileName), context: context)
        let quotas = try QuotasFile.read(bundled.appendingPathComponent(QuotasFile.fileName), context: context)
        let inspectors = try InspectorsFile.read(bundled.appendingPathComponent(InspectorsFile.fileName), context: context)
        let districts = try DistrictsFile.read(bundled.appendingPathComponent(DistrictsFile.fileName))
        #expect(departments.count == 8 && departments[0].riskHead == "risk_market")
        #expect(scenarios.first?.departments.map(\.rawValue) == ["market", "fire", "environment", "urban"])
        #expect(items.allSatisfy { $0.element != nil && $0.measure != nil })
        #expect(quotas.contains { $0.stratum == Stratum(department: "emergency", grade: .d) && $0.size == .census })
        #expect(quotas.contains { $0.department == "education" && $0.grade == .a && $0.size == .count(8) })
        #expect(inspectors.allSatisfy { $0.capPerPeriod != nil && !$0.qualifiedItems.isEmpty })

        func bytes(_ write: (CSVRowBuffer) -> Void) -> [UInt8] {
            let buffer = CSVRowBuffer()
            write(buffer)
            return Array(buffer.bytes)
        }
        func file(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: bundled.appendingPathComponent(name))) }
        #expect(bytes { DepartmentsFile.write(departments, to: $0) } == (try file(DepartmentsFile.fileName)))
        #expect(bytes { ItemsFile.write(items, to: $0) } == (try file(ItemsFile.fileName)))
        #expect(bytes { CapsFile.write(caps, to: $0) } == (try file(CapsFile.fileName)))
        #expect(bytes { QuotasFile.write(quotas, to: $0) } == (try file(QuotasFile.fileName)))
        #expect(bytes { InspectorsFile.write(inspectors, to: $0) } == (try file(InspectorsFile.fileName)))
        #expect(bytes { DistrictsFile.write(districts, to: $0) } == (try file(DistrictsFile.fileName)))
        let shares = try CSVTable.read(bundled.appendingPathComponent(ScenariosFile.fileName)).doubles(named: "entity_share")
        #expect(bytes { ScenariosFile.write(scenarios, shares: shares, to: $0) } == (try file(ScenariosFile.fileName)))
    }

    @Test func quotasNeedExactlyOneForm() throws {
        let d = try TemporaryDirectory("quotas")
        defer { d.remove() }
        let two = try Self.write("department,grade,ratio,count,certain\nmarket,A,0.1,,0\nmarket,B,0.1,4,0\n", "quotas.csv", in: d)
        let error = try #require(Self.failure { _ = try QuotasFile.read(two) })
        #expect(error.line == 3 && error.columnName == "ratio")
        #expect(error.description.contains("exactly one of ratio, count, certain=1"))
        let none = try Self.write("department,grade,ratio\nmarket,A,\n", "quotas.csv", in: d)
        #expect(Self.failure { _ = try QuotasFile.read(none) }?.line == 2)
        let badGrade = try Self.write("department,grade,ratio\nmarket,E,0.1\n", "quotas.csv", in: d)
        let gradeError = try #require(Self.failure { _ = try QuotasFile.read(badGrade) })
        #expect(gradeError.columnName == "grade" && gradeError.description.contains("A, B, C or D"))
        let badRatio = try Self.write("department,grade,ratio\nmarket,A,1.5\n", "quotas.csv", in: d)
        #expect(Self.failure { _ = try QuotasFile.read(badRatio) }?.kind == .invalidValue)
        // The Tables decimal parser, not Swift's: "0x1p-3" is a Swift Double literal but not a decimal number.
        let hex = try Self.write("department,grade,ratio\nmarket,A,0x1p-3\n", "quotas.csv", in: d)
        #expect(Self.failure { _ = try QuotasFile.read(hex) }?.kind == .notANumber)
        let repeated = try Self.write("department,grade,count\nmarket,A,1\nmarket,A,2\n", "quotas.csv", in: d)
        #expect(Self.failure { _ = try QuotasFile.read(repeated) }?.kind == .duplicateKey(firstLine: 2))
        let unknown = try Self.write("department,grade,count\npolice,A,1\n", "quotas.csv", in: d)
        let context = DirectoryContext(departments: Set<DepartmentCode>(["market"]), scenarios: nil)
        #expect(Self.failure { _ = try QuotasFile.read(unknown, context: context) }?.kind == .unknownCategory)
        #expect(try QuotasFile.read(unknown).first?.size == .count(1))
    }

    @Test func itemsCheckTheirDepartmentAndScenario() throws {
        let d = try TemporaryDirectory("items")
        defer { d.remove() }
        let context = DirectoryContext(
            departments: [Department(code: "market", name: "M"), Department(code: "fire", name: "F"),
                          Department(code: "health", name: "H")],
            scenarios: [Scenario(code: "restaurant", name: "R", lead: "market", partners: ["fire"])])
        let outsider = try Self.write("item,department,scenario\nh.1,health,restaurant\n", "items.csv", in: d)
        let error = try #require(Self.failure { _ = try ItemsFile.read(outsider, context: context) })
        #expect(error.columnName == "department" && error.description.contains("a department supervising restaurant (market, fire)"))
        let minimal = try Self.write("item,department,scenario\nf.1,fire,restaurant\n", "items.csv", in: d)
        let item = try #require(try ItemsFile.read(minimal, context: context).first)
        #expect(item.element == nil && item.measure == nil && item.department == "fire")
        #expect(Self.failure { _ = try ItemsFile.read(minimal, requiring: ["element"]) }?.kind == .missingColumns(["element"]))
        let measure = try Self.write("item,department,scenario,measure\nf.1,fire,restaurant,by phone\n", "items.csv", in: d)
        #expect(Self.failure { _ = try ItemsFile.read(measure) }?.description.contains("on-site") == true)
        let spelled = try Self.write("item,department,scenario,measure\nf.1,fire,restaurant,off_site\nf.2,fire,restaurant,on-site\n",
                                     "items.csv", in: d)
        #expect(try ItemsFile.read(spelled).map(\.measure) == [.offSite, .onSite])
    }

    @Test func scenariosInspectorsAndCaps() throws {
        let d = try TemporaryDirectory("directory")
        defer { d.remove() }
        let context = DirectoryContext(departments: Set<DepartmentCode>(["market", "fire"]), scenarios: nil)
        let police = try Self.write("scenario,name,lead,partners\nrestaurant,R,market,fire;police\n", "scenarios.csv", in: d)
        let error = try #require(Self.failure { _ = try ScenariosFile.read(police, context: context) })
        #expect(error.line == 2 && error.columnName == "partners" && error.description.contains("unknown: police"))
        let noName = try Self.write("scenario,lead,partners\nsalon,fire,market;fire\n", "scenarios.csv", in: d)
        let salon = try #require(try ScenariosFile.read(noName).first)
        #expect(salon.name == "salon" && salon.departments == ["fire", "market"])

        let roster = try Self.write("inspector_id,department\na,market\na,fire\n", "inspectors.csv", in: d)
        let repeated = try #require(Self.failure { _ = try InspectorsFile.read(roster) })
        #expect(repeated.line == 3 && repeated.columnName == "inspector_id" && repeated.description.contains("each key once"))
        let minimal = try Self.write("inspector_id,department\na,market\n", "inspectors.csv", in: d)
        #expect(try InspectorsFile.read(minimal).first?.capPerPeriod == nil)
        #expect(Self.failure { _ = try InspectorsFile.read(minimal, requiring: ["qualified_items", "cap_per_period"]) }?.kind
                == .missingColumns(["qualified_items", "cap_per_period"]))
        let badDay = try Self.write("inspector_id,department,cap_per_period,cap_per_day\na,market,40,0\n", "inspectors.csv", in: d)
        #expect(Self.failure { _ = try InspectorsFile.read(badDay) }?.columnName == "cap_per_day")

        // Lists as written: order, repeats and each code's bytes (codes are kept once, but a canonically equal
        // spelling in other bytes — é composed and decomposed — stays as written). Empty elements are dropped.
        let lists = try Self.write("inspector_id,department,qualified_items,conflicts,last_checked\n"
                                   + "a,market,x.1;x.2,E\u{e9};E\u{e9},E2;Ee\u{301}\nb,market,;x.2;;x.1;,,E2;\n", "inspectors.csv", in: d)
        let listed = try InspectorsFile.read(lists)
        #expect(listed.map(\.qualifiedItems) == [["x.1", "x.2"], ["x.2", "x.1"]])
        #expect(listed[0].conflicts.map { Array($0.rawValue.utf8) } == [Array("E\u{e9}".utf8), Array("E\u{e9}".utf8)])
        #expect(listed[0].checkedLastPeriod.map { Array($0.rawValue.utf8) } == [Array("E2".utf8), Array("Ee\u{301}".utf8)])
        #expect(listed[1].conflicts.isEmpty && listed[1].checkedLastPeriod == ["E2"])

        let caps = try Self.write("scope,max_checks_per_year\nall,6\npolice,2\n", "caps.csv", in: d)
        let capError = try #require(Self.failure { _ = try CapsFile.read(caps, context: context) })
        #expect(capError.line == 3 && capError.description.contains("departments (or all)"))
        let read = Caps(try CapsFile.read(caps))
        #expect(read.allDepartments == 6 && read.byDepartment["police"] == 2)
        #expect(read.yearlyCap(of: "market", fallback: 4) == 6 && read.yearlyCap(of: "police", fallback: 4) == 2)
    }

    @Test func entitiesFileNamesItsFeatures() throws {
        let d = try TemporaryDirectory("entities")
        defer { d.remove() }
        let url = try Self.write("district,entity_id,x,scenario,y\n310101,E1,1,restaurant,\n310101,,2,salon,3\n",
                                 "entities.csv", in: d)
        var reader = try EntitiesFile.Reader(url)
        #expect(reader.featureColumns.map { reader.header[$0] } == ["x", "y"] && reader.districtColumn == 0)
        let block = try #require(try reader.nextBlock())
        #expect(try reader.id(block, row: 0) == "E1")
        #expect(throws: TableError.self) { try reader.scenario(block, row: 0, known: ["salon"]) }
        let missing = try #require(Self.failure { _ = try reader.id(block, row: 1) })
        #expect(missing.line == 3 && missing.kind == .missingValue && missing.columnName == "entity_id")
    }
}
