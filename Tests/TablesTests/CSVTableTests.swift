import Foundation
import Testing
import Tables
import TestSupport

@Suite("CSVTable and TableSchema")
struct CSVTableTests {
    @Test("German credit: 1000 rows × 21 columns, quoted commas, typed getters",
          .enabled(if: SharedData.shouldRun("german-credit/germancredit.csv")))
    func germanCredit() throws {
        let url = try SharedData.url("german-credit/germancredit.csv")
        let table = try CSVTable.read(url)
        #expect(table.fileName == "germancredit.csv")
        #expect(table.header.count == 21)
        #expect(table.rowCount == 1000)
        #expect(table.header.first == "status_of_existing_checking_account")
        #expect(table.header.last == "creditability")
        #expect(table.lineNumbers == Array(2...1001))
        // The telephone column holds a value with a comma, which must have been quoted.
        let telephone = try table.strings(named: "telephone")
        #expect(Set(telephone) == ["none", "yes, registered under the customers name"])
        let outcome = try table.strings(named: "creditability")
        #expect(outcome.filter { $0 == "bad" }.count == 300)
        let amounts = try table.doubles(named: "credit_amount")
        #expect(amounts.count == 1000 && amounts.allSatisfy { $0 > 0 && $0 == $0.rounded() })
        let ages = try table.doubles(named: "age_in_years")
        #expect(ages.allSatisfy { $0 >= 18 && $0 <= 100 })
        #expect(ages[0] == 67 && ages[1] == 22)

        // The streaming reader with small blocks sees exactly the same table.
        let streamed = try readAll(url.path, blockSize: 997)
        #expect(streamed.rows == table.rows)
        #expect(streamed.blocks > 50)

        // Schema: numeric and categorical columns resolve; everything else is extra.
        let schema = TableSchema([
            .numeric("credit_amount"), .numeric("duration_in_month"),
            .categorical("creditability", categories: ["good", "bad"]), .text("purpose"),
        ])
        let resolved = try schema.resolve(table)
        #expect(resolved.columnIndices == [4, 1, 20, 3])
        #expect(resolved.extraColumnIndices.count == 17)
        try resolved.validate(table)
        #expect(tableErrorMessage { _ = try table.doubles(named: "purpose") }
                == "germancredit.csv:2:4 (column \"purpose\"): \"radio/television\" is not a number; expected a decimal number like 12.5")
    }

    @Test("schema: missing columns listed, extras reported, values validated with locations")
    func schema() throws {
        let scratch = try Scratch()
        let path = try scratch.write("entities.csv",
                                     "id,sector,note,age,extra\nE1,food,,30,x\nE2,mining,hi,41,y\nE1,food,,,z\n")
        let table = try CSVTable.read(path: path)
        let missing = TableSchema([.identifier("id"), .numeric("income"), .numeric("age"), .text("owner")])
        #expect(tableErrorMessage { _ = try missing.resolve(table) }
                == "entities.csv:1: missing required columns \"income\", \"owner\"")

        let schema = TableSchema([
            .identifier("id"), .categorical("sector", categories: ["food", "retail"]),
            .numeric("age", policy: .missingAsNaN), .text("note"),
        ])
        let resolved = try schema.resolve(table)
        #expect(resolved.columnIndices == [0, 1, 3, 2])
        #expect(resolved.extraColumnNames == ["extra"])
        #expect(resolved.schemaIndex(of: "age") == 2)
        #expect(tableErrorMessage { try resolved.validate(table) }
                == "entities.csv:3:2 (column \"sector\"): \"mining\" is not a known category; expected one of \"food\" or \"retail\"")

        let loose = TableSchema([.identifier("id"), .categorical("sector"), .numeric("age", policy: .missingAsNaN)])
        let duplicate = tableError { try loose.resolve(table).validate(table) }
        #expect(duplicate?.kind == .duplicateKey(firstLine: 2))
        #expect(duplicate?.description
                == "entities.csv:4:1 (column \"id\"): duplicate key \"E1\" (first on line 2); expected a unique key")

        // Streaming: the same checks on blocks.
        var reader = try CSVReader(path: path)
        let streamed = try schema.resolve(reader)
        let block = try #require(try reader.nextBlock())
        #expect(try streamed.double(block, row: 0, column: 2) == 30)
        #expect(try streamed.double(block, row: 2, column: 2).isNaN)
        #expect(try streamed.string(block, row: 0, column: 1) == "food")
        #expect(tableErrorMessage { _ = try streamed.string(block, row: 1, column: 1) }
                == "entities.csv:3:2 (column \"sector\"): \"mining\" is not a known category; expected one of \"food\" or \"retail\"")
        #expect(tableErrorMessage { try streamed.validate(block) }
                == "entities.csv:3:2 (column \"sector\"): \"mining\" is not a known category; expected one of \"food\" or \"retail\"")
        let strict = try TableSchema([.numeric("age")]).resolve(reader)
        #expect(tableErrorMessage { try strict.validate(block) }
                == "entities.csv:4:4 (column \"age\"): missing value; expected a decimal number like 12.5")
    }

    @Test("integers, table round trip through write(to:), key registry across blocks")
    func integersAndKeys() throws {
        let scratch = try Scratch()
        let table = CSVTable(fileName: "t.csv", header: ["id", "n", "note"],
                             rows: [["a", "1", "x, \"y\""], ["b", "-42", "line\nbreak"], ["a", "+7", ""]])
        let url = scratch.directory.file("t.csv")
        try table.write(to: url)
        let back = try CSVTable.read(url)
        #expect(back.rows == table.rows)
        #expect(back.lineNumbers == [2, 3, 5])
        #expect(try back.ints(named: "n") == [1, -42, 7])
        #expect(tableErrorMessage { _ = try back.ints(named: "note") }
                == "t.csv:2:3 (column \"note\"): \"x, \\\"y\\\"\" is not valid; expected an integer like 42")

        var keys = UniqueKeys()
        var reader = try CSVReader(url: url, options: .init(blockSize: 8))
        var error: TableError?
        while let block = try reader.nextBlock() {
            for row in 0..<block.rowCount {
                do { try keys.insert(block, row: row, column: 0) } catch let e as TableError { error = e }
            }
        }
        #expect(keys.count == 2 && keys.firstLine(of: "b") == 3)
        #expect(error?.description == "t.csv:5:1 (column \"id\"): duplicate key \"a\" (first on line 2); expected a unique key")
    }

    @Test("in-memory tables and caller-raised errors carry the row's line")
    func inMemory() {
        let table = CSVTable(fileName: "roster.csv", header: ["name", "team"], rows: [["a", "x"], ["b", ""]])
        #expect(table.lineNumbers == [2, 3])
        let error = table.error(.invalidValue, row: 1, column: 1, expected: "a team code like T1")
        #expect(error.description == "roster.csv:3:2 (column \"team\"): the empty value is not valid; expected a team code like T1")
    }
}
