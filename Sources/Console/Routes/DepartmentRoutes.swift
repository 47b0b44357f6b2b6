import Foundation
import Hummingbird
import Registry
import Supervision

/// A department officer's pages: only their department's checks of the period; recording findings and disposals
/// by form or CSV upload (the workspace refuses anything about another department's check); publishing their
/// department's results; their overdue list.
struct DepartmentRoutes {
    let console: Console

    func register(_ table: inout RouteTable) {
        table.add(.get, "/department", access: .department, checks)
        table.add(.get, "/department/check/{id}", access: .department, check)
        table.add(.post, "/department/check/{id}/finding", access: .department, finding)
        table.add(.post, "/department/check/{id}/disposal", access: .department, disposal)
        table.add(.post, "/department/upload", access: .department, upload)
        table.add(.post, "/department/publish", access: .department, publish)
        table.add(.get, "/department/overdue", access: .department, overdue)
    }

    func officerDepartment(_ context: ConsoleContext) throws -> DepartmentCode {
        guard let department = context.user?.role.department else { throw HTTPError(.forbidden) }
        return department
    }

    var now: String { Workspace.timestamp(console.clock.now()) }

    @Sendable func checks(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let department = try officerDepartment(context)
        let periods = try console.plannedPeriods()
        let period = console.selectedPeriod(request, among: periods)
        let after = request.uri.queryParameters["after"].map { CheckID(String($0.prefix(100))) }
        let limit = 50
        let rows = try period.map {
            try console.workspace.checkPage(CheckPageQuery(period: $0, department: department, after: after, limit: limit))
        } ?? []
        var next = ""
        if rows.count == limit, let period, let last = rows.last {
            var components = URLComponents()
            components.path = "/department"
            components.queryItems = [URLQueryItem(name: "period", value: period.description),
                                     URLQueryItem(name: "after", value: last.check.id.rawValue)]
            next = components.string ?? ""
        }
        let data: [String: Any] = [
            "periods": Console.periodOptions(periods, selected: period), "period": period?.description ?? "",
            "csrf": context.session?.csrfToken ?? "", "today": console.today.description, "nextHref": next,
            "rows": rows.map { listing -> [String: Any] in
                let found = listing.outcomes.findings
                return ["id": listing.check.id.rawValue, "name": listing.entityName, "date": listing.check.checkedOn.description,
                        "findings": "\(found.minor + found.serious) / \(found.total)",
                        "published": listing.publication?.publishedOn.description ?? Strings.text("dept_unpublished", context.language)]
            },
        ]
        return console.renderer.page("dept_checks", title: "\(Strings.text("nav_checks", context.language)) · \(department)",
                                     data, request: request, context: context,
                                     notice: request.uri.queryParameters["saved"] != nil ? Strings.text("dept_saved", context.language) : nil)
    }

    /// The check `{id}` of the officer's department; 404 for any other (an officer cannot even see it).
    func ownCheck(_ context: ConsoleContext) throws -> (listing: CheckListing, findings: [Finding], disposals: [Disposal]) {
        let id = CheckID(String(try context.parameters.require("id").prefix(100)))
        guard let record = try console.workspace.checkRecord(id), record.listing.check.department == (try officerDepartment(context)) else {
            throw HTTPError(.notFound)
        }
        return record
    }

    @Sendable func check(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let record = try ownCheck(context)
        let listing = record.listing
        let items = try console.workspace.catalogue().items.filter {
            $0.department == listing.check.department && $0.scenario == listing.scenario
        }
        let data: [String: Any] = [
            "id": listing.check.id.rawValue, "name": listing.entityName, "code": listing.check.entity.rawValue,
            "date": listing.check.checkedOn.description, "csrf": context.session?.csrfToken ?? "",
            "published": listing.publication?.publishedOn.description ?? Strings.text("dept_unpublished", context.language),
            "items": items.map { ["code": $0.code.rawValue, "name": $0.name] },
            "findings": record.findings.map { ["item": $0.item.rawValue, "outcome": $0.outcome.rawValue,
                                               "penalty": HTML.number($0.penalty, decimals: 2), "note": $0.note] },
            "disposals": record.disposals.map { ["item": $0.item.rawValue, "action": $0.action, "opened": $0.openedOn.description,
                                                 "closed": $0.closedOn?.description ?? ""] },
        ]
        return console.renderer.page("dept_check", title: "\(Strings.text("col_check", context.language)) \(listing.check.id)",
                                     data, request: request, context: context,
                                     notice: request.uri.queryParameters["saved"] != nil ? Strings.text("dept_saved", context.language) : nil)
    }

    @Sendable func finding(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let id = CheckID(String(try context.parameters.require("id").prefix(100)))
        let form = context.form
        guard let outcome = Outcome(rawValue: form["outcome"] ?? ""), let item = form["item"], !item.isEmpty,
              let penalty = Double((form["penalty"] ?? "0").isEmpty ? "0" : form["penalty"]!), penalty.isFinite else {
            throw HTTPError(.badRequest, message: "item, outcome (compliant, minor, serious) and penalty (yuan ≥ 0) expected")
        }
        do {
            try console.workspace.recordFindings([Finding(checkId: id, item: ItemCode(String(item.prefix(100))), outcome: outcome,
                                                          penalty: penalty, note: String((form["note"] ?? "").prefix(500)))],
                                                 by: context.user!, at: now)
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/department/check/\(Self.pathSegment(id.rawValue))?saved=1", type: .normal)
    }

    @Sendable func disposal(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let id = CheckID(String(try context.parameters.require("id").prefix(100)))
        let form = context.form
        let closedText = form["closed_on"] ?? ""
        guard let item = form["item"], !item.isEmpty, let action = form["action"], !action.isEmpty,
              let opened = CalendarDate(form["opened_on"] ?? ""),
              closedText.isEmpty || CalendarDate(closedText) != nil else {
            throw HTTPError(.badRequest, message: "item, action and opened_on (YYYY-MM-DD) expected; closed_on optional")
        }
        do {
            try console.workspace.recordDisposals([Disposal(checkId: id, item: ItemCode(String(item.prefix(100))),
                                                            action: String(action.prefix(60)), openedOn: opened,
                                                            closedOn: CalendarDate(closedText))],
                                                  by: context.user!, at: now)
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/department/check/\(Self.pathSegment(id.rawValue))?saved=1", type: .normal)
    }

    @Sendable func upload(_ request: Request, _ context: ConsoleContext) throws -> Response {
        guard let kind = ImportKind(rawValue: context.form["kind"] ?? ""), let bytes = context.form.files["file"] else {
            throw HTTPError(.badRequest, message: "kind (findings or disposals) and a CSV file expected")
        }
        // The upload goes to a private temporary folder for the importer (which reads files), named after its kind
        // so refusals say `findings.csv:3:1`, then is removed.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onecheck-upload-\(SessionTokens.make())")
        let url = folder.appendingPathComponent("\(kind.rawValue).csv")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw HTTPError(.internalServerError, message: "the upload could not be stored")
            }
            try console.workspace.importResults(kind, from: url, by: context.user!, at: now)
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/department?saved=1", type: .normal)
    }

    @Sendable func publish(_ request: Request, _ context: ConsoleContext) throws -> Response {
        guard let period = Period(context.form["period"] ?? ""), let day = CalendarDate(context.form["day"] ?? "") else {
            throw HTTPError(.badRequest, message: "period (2026Q1) and day (YYYY-MM-DD) expected")
        }
        do {
            try console.workspace.publishResults(on: day, period: period, by: context.user!, at: now)
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/department?period=\(period)&saved=1", type: .normal)
    }

    @Sendable func overdue(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let department = try officerDepartment(context)
        let rows = try await console.indicators.overdue(console.workspace, asOf: console.today).filter { $0.department == department }
        return console.renderer.page("overdue", title: "\(Strings.text("nav_overdue", context.language)) · \(department)",
                                     ["rows": rows.prefix(500).map(PlannerRoutes.overdueRow)], request: request, context: context)
    }

    /// A check id percent-encoded as one path segment.
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? ""
    }
}
