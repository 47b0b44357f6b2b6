import Tables

/// Row-level readers of the plan's input tables; each error names file, line, column, value and form.
enum PlanInputReaders {
    static func split(_ list: String) -> [String] {
        list.split(separator: ";", omittingEmptySubsequences: true).map(String.init)
    }

    /// `quotas.csv`: `department, grade, ratio, count, certain` — exactly one of them applies per row.
    static func quotas(_ table: CSVTable) throws -> [Stratum: Quota] {
        let c = try table.requireColumns(["department", "grade", "ratio", "count", "certain"])
        var quotas: [Stratum: Quota] = [:]
        var firstLine: [Stratum: Int] = [:]
        for row in 0..<table.rowCount {
            let fields = table.rows[row]
            guard !fields[c[0]].isEmpty else { throw table.error(.missingValue, row: row, column: c[0], expected: "a department id") }
            guard !fields[c[1]].isEmpty else { throw table.error(.missingValue, row: row, column: c[1], expected: "a grade such as A") }
            let stratum = Stratum(department: fields[c[0]], grade: fields[c[1]])
            if let line = firstLine[stratum] {
                throw table.error(.duplicateKey(firstLine: line), row: row, column: c[1], expected: "one row per department and grade")
            }
            firstLine[stratum] = table.lineNumbers[row]
            let certain = fields[c[4]]
            guard certain == "" || certain == "0" || certain == "1" else {
                throw table.error(.invalidValue, row: row, column: c[4], expected: "0 or 1 (or empty)")
            }
            let ratio = fields[c[2]], count = fields[c[3]]
            let given = [certain == "1", !ratio.isEmpty, !count.isEmpty].filter { $0 }.count
            guard given == 1 else {
                throw table.error(.invalidValue, row: row, column: given == 0 ? c[2] : c[3],
                                  expected: "exactly one of ratio, count, certain=1 per row")
            }
            if certain == "1" {
                quotas[stratum] = .census
            } else if !ratio.isEmpty {
                guard let value = Double(ratio), value.isFinite, value >= 0, value <= 1 else {
                    throw table.error(.invalidValue, row: row, column: c[2], expected: "a ratio in [0, 1] like 0.05")
                }
                quotas[stratum] = .ratio(value)
            } else {
                guard let value = Int(count), value >= 0 else {
                    throw table.error(.invalidValue, row: row, column: c[3], expected: "an integer ≥ 0 like 12")
                }
                quotas[stratum] = .count(value)
            }
        }
        guard !quotas.isEmpty else {
            throw TableError(.emptyFile, file: table.fileName, expected: "at least one quota row")
        }
        return quotas
    }

    /// `departments.csv`: `department, risk_head` (head of the scores giving that department's risk).
    static func departmentHeads(_ table: CSVTable, required: [String], defaults: [String: String]) throws -> [String: String] {
        let c = try table.requireColumns(["department"])
        let headColumn = table.columnIndex(named: "risk_head")
        var heads = defaults
        var known = Set<String>()
        for row in 0..<table.rowCount {
            let department = table.rows[row][c[0]]
            known.insert(department)
            if let column = headColumn, !table.rows[row][column].isEmpty { heads[department] = table.rows[row][column] }
        }
        for department in required where !known.contains(department) {
            throw PlanError.unknownDepartment(department, file: table.fileName)
        }
        return heads
    }

    /// `scenarios.csv`: `scenario, lead, partners` (`;`-separated).
    static func scenarios(_ table: CSVTable, known: Set<String>) throws -> [String: Set<String>] {
        let c = try table.requireColumns(["scenario", "lead", "partners"])
        var scopes: [String: Set<String>] = [:]
        var firstLine: [String: Int] = [:]
        for row in 0..<table.rowCount {
            let fields = table.rows[row]
            let scenario = fields[c[0]]
            guard !scenario.isEmpty else { throw table.error(.missingValue, row: row, column: c[0], expected: "a scenario id") }
            if let line = firstLine[scenario] {
                throw table.error(.duplicateKey(firstLine: line), row: row, column: c[0], expected: "unique scenario ids")
            }
            firstLine[scenario] = table.lineNumbers[row]
            guard !fields[c[1]].isEmpty else { throw table.error(.missingValue, row: row, column: c[1], expected: "the lead department") }
            scopes[scenario] = Set([fields[c[1]]] + split(fields[c[2]]))
        }
        return scopes
    }

    /// `items.csv`: `item, department, scenario`.
    static func items(_ table: CSVTable) throws -> [String: [String]] {
        let c = try table.requireColumns(["item", "department", "scenario"])
        var items: [String: [String]] = [:]
        var firstLine: [String: Int] = [:]
        for row in 0..<table.rowCount {
            let fields = table.rows[row]
            for column in c where fields[column].isEmpty {
                throw table.error(.missingValue, row: row, column: column, expected: "a non-empty id")
            }
            if let line = firstLine[fields[c[0]]] {
                throw table.error(.duplicateKey(firstLine: line), row: row, column: c[0], expected: "unique item ids")
            }
            firstLine[fields[c[0]]] = table.lineNumbers[row]
            items[fields[c[1]] + "|" + fields[c[2]], default: []].append(fields[c[0]])
        }
        return items.mapValues { $0.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    }

    /// `caps.csv`: `scope, max_checks_per_year` (`all` or a department id).
    static func caps(_ table: CSVTable) throws -> PlanInputs.Caps {
        let c = try table.requireColumns(["scope", "max_checks_per_year"])
        var caps = PlanInputs.Caps()
        var firstLine: [String: Int] = [:]
        for row in 0..<table.rowCount {
            let scope = table.rows[row][c[0]]
            guard !scope.isEmpty else { throw table.error(.missingValue, row: row, column: c[0], expected: "all or a department id") }
            if let line = firstLine[scope] {
                throw table.error(.duplicateKey(firstLine: line), row: row, column: c[0], expected: "one cap per scope")
            }
            firstLine[scope] = table.lineNumbers[row]
            guard let cap = Int(table.rows[row][c[1]]), cap >= 0 else {
                throw table.error(.invalidValue, row: row, column: c[1], expected: "an integer ≥ 0 like 4")
            }
            if scope == "all" { caps.all = cap } else { caps.byDepartment[scope] = cap }
        }
        return caps
    }

    /// `inspectors.csv`: `inspector_id, department, district, qualified_items, cap_per_period, cap_per_day,
    /// conflicts, last_checked`.
    static func inspectors(_ table: CSVTable) throws -> ([Inspector], [String: Int]) {
        let c = try table.requireColumns(["inspector_id", "department", "qualified_items", "cap_per_period"])
        let district = table.columnIndex(named: "district")
        let perDay = table.columnIndex(named: "cap_per_day")
        let conflicts = table.columnIndex(named: "conflicts")
        let last = table.columnIndex(named: "last_checked")
        var roster: [Inspector] = []
        var daily: [String: Int] = [:]
        var firstLine: [String: Int] = [:]
        for row in 0..<table.rowCount {
            let f = table.rows[row]
            guard !f[c[0]].isEmpty else { throw table.error(.missingValue, row: row, column: c[0], expected: "an inspector id") }
            guard !f[c[1]].isEmpty else { throw table.error(.missingValue, row: row, column: c[1], expected: "a department id") }
            if let line = firstLine[f[c[0]]] {
                throw table.error(.duplicateKey(firstLine: line), row: row, column: c[0], expected: "unique inspector ids")
            }
            firstLine[f[c[0]]] = table.lineNumbers[row]
            guard let cap = Int(f[c[3]]), cap >= 0 else {
                throw table.error(.invalidValue, row: row, column: c[3], expected: "an integer ≥ 0 like 60")
            }
            var day = 2
            if let perDay {
                guard let value = Int(f[perDay]), value >= 1 else {
                    throw table.error(.invalidValue, row: row, column: perDay, expected: "an integer ≥ 1 like 2")
                }
                day = value
            }
            daily[f[c[0]]] = day
            roster.append(Inspector(
                id: f[c[0]], department: f[c[1]], qualifiedItems: Set(split(f[c[2]])),
                district: district.map { f[$0] }, conflicts: Set(conflicts.map { split(f[$0]) } ?? []),
                capPerPeriod: cap, checkedLastTime: Set(last.map { split(f[$0]) } ?? [])))
        }
        return (roster, daily)
    }
}
