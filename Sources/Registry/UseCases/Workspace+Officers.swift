import Foundation
import Supervision

// What a department officer records from the console: findings and disposals of their own department's checks,
// by form or CSV upload, and the publication of their department's results. The rules are those of the command
// line's use cases (`recordFindings`, `recordDisposals`, `importCSV`, `publish`); this file adds only who may.

extension Workspace {
    /// The department an account records for.
    /// - Throws: `RegistryError.notPermitted` for an account that is not a department officer.
    static func recordingDepartment(of user: UserAccount, action: String) throws -> DepartmentCode {
        guard let department = user.role.department, !user.disabled else {
            throw RegistryError.notPermitted(user: user.name, action: action, reason: "only a department officer records results")
        }
        return department
    }

    /// Records findings of the officer's own department's checks, with an audit line naming the officer.
    /// - Throws: `RegistryError.notPermitted` when a finding concerns another department's check (nothing is
    ///   written); whatever ``recordFindings(_:)`` throws.
    public func recordFindings(_ findings: [Finding], by user: UserAccount, at: String = Workspace.timestamp()) throws {
        let department = try Self.recordingDepartment(of: user, action: "record findings")
        try store.write { tx in
            let checks = try Self.checkFindings(findings, tx: tx)
            for finding in findings where checks[finding.checkId]?.check.department != department {
                throw RegistryError.notPermitted(user: user.name, action: "record findings",
                                                 reason: "check \(finding.checkId) is not a check of \(department)")
            }
            try tx.upsertFindings(findings)
            try tx.appendAudit(AuditEntry(at: at, action: .findings, detail: Self.keysDetail(findings.map {
                "\($0.checkId)/\($0.item)=\($0.outcome.rawValue)" }), user: user.name))
        }
    }

    /// Records disposals of the officer's own department's checks, with an audit line naming the officer.
    public func recordDisposals(_ disposals: [Disposal], by user: UserAccount, at: String = Workspace.timestamp()) throws {
        let department = try Self.recordingDepartment(of: user, action: "record disposals")
        try store.write { tx in
            let checks = try tx.checks(disposals.map(\.checkId))
            for disposal in disposals where checks[disposal.checkId]?.check.department != department {
                throw RegistryError.notPermitted(user: user.name, action: "record disposals",
                                                 reason: "check \(disposal.checkId) is not a check of \(department)")
            }
            try Self.checkDisposals(disposals, tx: tx)
            try tx.upsertDisposals(disposals)
            try tx.appendAudit(AuditEntry(at: at, action: .disposals, detail: Self.keysDetail(disposals.map {
                "\($0.checkId)/\($0.item)=\($0.action)" }), user: user.name))
        }
    }

    /// Imports an officer's findings or disposals file: ``importCSV(_:from:options:)`` restricted to the officer's
    /// department (a row about another department's check refuses the file, naming line and column).
    @discardableResult
    public func importResults(_ kind: ImportKind, from url: URL, by user: UserAccount,
                              at: String = Workspace.timestamp()) throws -> ImportSummary {
        guard kind == .findings || kind == .disposals else {
            throw RegistryError.notPermitted(user: user.name, action: "import \(kind.rawValue)",
                                             reason: "an officer uploads findings or disposals only")
        }
        let department = try Self.recordingDepartment(of: user, action: "import \(kind.rawValue)")
        return try importCSV(kind, from: url, options: ImportOptions(auditTime: at, department: department,
                                                                     user: user.name))
    }

    /// Publishes the results of the officer's department's performed checks of `period` made on or before
    /// `day` (the rule of ``publish(on:scenario:period:calendar:to:at:)``), with an audit line naming the officer.
    /// - Returns: the number of results newly published.
    @discardableResult
    public func publishResults(on day: CalendarDate, period: Period, by user: UserAccount,
                               calendar: DisclosureCalendar = DisclosureCalendar(),
                               at: String = Workspace.timestamp()) throws -> Int {
        let department = try Self.recordingDepartment(of: user, action: "publish results")
        return try store.write { tx in
            var facts = try tx.checkFacts(CheckSelection(period: period))
            let published = Self.newPublications(&facts, on: day, calendar: calendar) { $0.department == department }
            try tx.insertPublications(published)
            try tx.appendAudit(AuditEntry(at: at, action: .publish, period: period.description,
                                          detail: "published=\(published.count) on \(day) department \(department)",
                                          user: user.name))
            return published.count
        }
    }

    /// "a/b=x, c/d=y" for the audit log, at most 20 keys, then how many more.
    static func keysDetail(_ keys: [String]) -> String {
        keys.prefix(20).joined(separator: ", ") + (keys.count > 20 ? ", … (\(keys.count) in all)" : "")
    }
}
