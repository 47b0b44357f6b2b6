import Tables

/// The small reference tables of the city, formatted as CSV (see `datasets/README.md` for every column).
struct PlanningTables {
    /// Number of in-scope entities per department (``Department/all`` order), to size count quotas.
    var inScope: [Int]

    struct Table {
        let buffer = CSVRowBuffer()
        var rows = 0
        init(_ header: [String]) { buffer.appendRow(header) }
        /// Appends a row of text fields (quoted per RFC 4180 when needed; an empty string is an empty field).
        mutating func row(_ fields: [String]) {
            buffer.appendRow(fields)
            rows += 1
        }
    }

    /// `x` with three decimals, formatted by the Tables formatter (exact decimal rounding of the binary value).
    static func threeDecimals(_ x: Double) -> String {
        let b = CSVRowBuffer(capacity: 32)
        b.appendField((x * 1000).rounded() / 1000, decimals: 3)
        return String(decoding: b.bytes, as: UTF8.self)
    }

    func departments() -> Table {
        var t = Table(["department", "name", "risk_head"])
        for d in Department.all { t.row([d.id, d.name, "risk_\(d.id)"]) }
        return t
    }

    func districts() -> Table {
        var t = Table(["district", "name"])
        for d in District.all { t.row([String(d.code), d.name]) }
        return t
    }

    func scenarios() -> Table {
        var t = Table(["scenario", "name", "lead", "partners", "entity_share"])
        var total = 0.0
        for s in Scenario.all { total += s.weight }
        for s in Scenario.all {
            t.row([s.id, s.name, s.lead, s.partners.joined(separator: ";"), Self.threeDecimals(s.weight / total)])
        }
        return t
    }

    func items() -> Table {
        var t = Table(["item", "department", "scenario", "element", "measure", "key_item", "name"])
        for i in Item.all {
            t.row([i.id, i.department, i.scenario, i.element.rawValue, i.measure.rawValue, i.isKey ? "1" : "0", i.name])
        }
        return t
    }

    func quotas() -> Table {
        var t = Table(["department", "grade", "ratio", "count", "certain"])
        for q in QuotaPolicy.quotas(inScope: inScope) {
            t.row([q.department, q.grade, q.ratio.map(Self.threeDecimals) ?? "", q.count.map(String.init) ?? "",
                   q.certain ? "1" : "0"])
        }
        return t
    }

    func caps() -> Table {
        var t = Table(["scope", "max_checks_per_year"])
        t.row(["all", String(QuotaPolicy.allDepartmentsYearlyCap)])
        for d in Department.all { t.row([d.id, String(QuotaPolicy.perDepartmentYearlyCap)]) }
        return t
    }

    func inspectors(_ roster: Roster, code: (Int) -> [UInt8]) -> Table {
        var t = Table(["inspector_id", "department", "district", "qualified_items", "cap_per_period", "cap_per_day",
                       "conflicts", "last_checked"])
        func list(_ entities: [Int]) -> String {
            entities.map { String(decoding: code($0), as: UTF8.self) }.joined(separator: ";")
        }
        for i in roster.inspectors {
            t.row([i.id, Department.all[i.department].id, String(District.all[i.district].code),
                   i.items.joined(separator: ";"), String(i.capPerPeriod), String(i.capPerDay), list(i.conflicts),
                   list(i.lastChecked)])
        }
        return t
    }
}
