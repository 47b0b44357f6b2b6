/// The small reference tables of the city, formatted as CSV (see `datasets/README.md` for every column).
struct PlanningTables {
    /// Number of in-scope entities per department (``Department/all`` order), to size count quotas.
    var inScope: [Int]

    struct Table {
        var buffer = RowBuffer()
        var rows = 0
        init(_ header: [String]) { buffer.appendHeader(header) }
        mutating func row(_ fields: [String]) {
            for (i, f) in fields.enumerated() {
                if i > 0 { buffer.comma() }
                buffer.appendText(f)
            }
            buffer.newline()
            rows += 1
        }
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
            var share = RowBuffer()
            share.appendFixed(Int64((s.weight / total * 1000).rounded()), decimals: 3)
            t.row([s.id, s.name, s.lead, s.partners.joined(separator: ";"), String(decoding: share.bytes, as: UTF8.self)])
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
            var ratio = RowBuffer()
            if let r = q.ratio { ratio.appendFixed(Int64((r * 1000).rounded()), decimals: 3) }
            t.row([q.department, q.grade, String(decoding: ratio.bytes, as: UTF8.self), q.count.map(String.init) ?? "",
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
