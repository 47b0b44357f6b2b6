import Foundation
import Hummingbird
import Registry
import Supervision

/// The public pages (no login): item lists, plan announcements, target lists, published results, an entity's
/// published results. Nothing unpublished is read for these pages: results come from queries with
/// `publishedOnly`, and the target list shows who is drawn (public by law), never what was found. Results are shown
/// as they stand today under the credit-repair rule (``Workspace/publishedCheckPage(_:asOf:)``): a penalty record
/// repaired or past its publication window is no longer shown.
struct PublicRoutes {
    let console: Console

    func register(_ table: inout RouteTable) {
        table.add(.get, "/", access: .everyone) { request, context in
            try cached(request, context) {
                console.renderer.rendered("home", title: Strings.text("app", context.language), [:], request: request, context: context)
            }
        }
        table.add(.get, "/items", access: .everyone) { request, context in try cached(request, context) { try items(request, context) } }
        table.add(.get, "/plans", access: .everyone) { request, context in try cached(request, context) { try plans(request, context) } }
        table.add(.get, "/plans/{name}/manifest.json", access: .everyone, manifest)
        table.add(.get, "/targets", access: .everyone) { request, context in
            try cached(request, context) { try listing(request, context, publishedOnly: false) }
        }
        table.add(.get, "/results", access: .everyone) { request, context in
            try cached(request, context) { try listing(request, context, publishedOnly: true) }
        }
        table.add(.get, "/entity/{code}", access: .everyone) { request, context in
            try cached(request, context) { try entity(request, context) }
        }
    }

    /// `render`'s page, from ``PublicPageCache`` for a visitor without an account when the request is no search;
    /// kept pages are current (keyed by the audit sequence number and the day).
    func cached(_ request: Request, _ context: ConsoleContext, _ render: () throws -> RenderedPage) throws -> Response {
        guard context.user == nil, request.uri.queryParameters["q"] == nil else { return try render().response }
        let key = PublicPageCache.Key(target: request.uri.path + "?" + (request.uri.query ?? ""), language: context.language)
        return try console.publicPages.page(key, seq: try console.workspace.latestAuditSeq(), day: console.today,
                                            render: render).response
    }

    func items(_ request: Request, _ context: ConsoleContext) throws -> RenderedPage {
        let catalogue = try console.workspace.catalogue()
        let quotas = try console.workspace.store.read { try $0.quotas() }
        var groups: [[String: Any]] = []
        var byGroup: [String: [Item]] = [:]
        for item in catalogue.items { byGroup["\(item.department)\u{1}\(item.scenario)", default: []].append(item) }
        let names = Dictionary(uniqueKeysWithValues: catalogue.departments.map { ($0.code, $0.name) })
        let scenarioNames = Dictionary(uniqueKeysWithValues: catalogue.scenarios.map { ($0.code, $0.name) })
        for key in byGroup.keys.sorted() {
            let items = byGroup[key]!
            let department = items[0].department, scenario = items[0].scenario
            let ratios = quotas.filter { $0.department == department }.map { ["grade": $0.grade.label, "ratio": $0.size.description] }
            groups.append([
                "hasRatios": !ratios.isEmpty,
                "department": "\(names[department] ?? "") (\(department))",
                "scenario": "\(scenarioNames[scenario] ?? "") (\(scenario))",
                "items": items.map { ["code": $0.code.rawValue, "name": $0.name, "element": $0.element?.rawValue ?? "",
                                      "measure": $0.measure?.rawValue ?? "", "basis": $0.legalBasis] },
                "ratios": ratios,
            ])
        }
        return console.renderer.rendered("items", title: Strings.text("nav_items", context.language), ["groups": groups],
                                     request: request, context: context)
    }

    func plans(_ request: Request, _ context: ConsoleContext) throws -> RenderedPage {
        let directories = console.plans.directories()
        let rows: [[String: Any]] = try console.workspace.plans().reversed().map { plan in
            var row: [String: Any] = ["period": plan.period.description, "scenario": plan.scenario.rawValue,
                                      "id": plan.id.rawValue, "seed": plan.seed]
            if let directory = directories.first(where: { $0.period == plan.period && $0.seed == plan.seed }) {
                row["frame"] = ["inputs": directory.frame.inputs.keys.sorted().map { ["role": $0, "sha": directory.frame.inputs[$0]!] }]
                let quotas = directory.agreedQuotas(scenario: plan.scenario)
                row["quotas"] = quotas
                row["hasQuotas"] = !quotas.isEmpty
                row["manifestHref"] = "/plans/\(directory.name)/manifest.json"
            }
            return row
        }
        return console.renderer.rendered("plans", title: Strings.text("nav_plans", context.language), ["plans": rows],
                                     request: request, context: context)
    }

    @Sendable func manifest(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let name = try context.parameters.require("name")
        // Looked up among the plan directories found, by name: the request never becomes a path.
        guard let directory = console.plans.directories().first(where: { $0.name == name }),
              let data = FileManager.default.contents(atPath: directory.manifestPath) else {
            throw HTTPError(.notFound)
        }
        return Response(status: .ok, headers: [.contentType: "application/json",
                                               .contentDisposition: "attachment; filename=\"manifest.json\""],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The target list (who is drawn) or the published results, of one period, searchable, paginated by check id.
    func listing(_ request: Request, _ context: ConsoleContext, publishedOnly: Bool) throws -> RenderedPage {
        let periods = try console.plannedPeriods()
        let period = console.selectedPeriod(request, among: periods)
        let query = request.uri.queryParameters["q"].map { String($0.prefix(60)) } ?? ""
        let after = request.uri.queryParameters["after"].map { CheckID(String($0.prefix(100))) }
        let limit = 50
        var rows: [CheckListing] = [], next: CheckID?
        if let period {
            let page = CheckPageQuery(period: period, publishedOnly: publishedOnly, search: query.isEmpty ? nil : query,
                                      after: after, limit: limit)
            if publishedOnly {
                // Results as the public may see them today: records repaired or past their window left out.
                let published = try console.workspace.publishedCheckPage(page, asOf: console.today)
                (rows, next) = (published.listings, published.next)
            } else {
                rows = try console.workspace.checkPage(page)
                next = rows.count == limit ? rows.last?.check.id : nil
            }
        }
        let base = publishedOnly ? "/results" : "/targets"
        func href(_ after: CheckID?) -> String {
            var items = [URLQueryItem(name: "period", value: period?.description ?? "")]
            if !query.isEmpty { items.append(URLQueryItem(name: "q", value: query)) }
            if let after { items.append(URLQueryItem(name: "after", value: after.rawValue)) }
            var components = URLComponents()
            components.path = base
            components.queryItems = items
            return components.string ?? base
        }
        let data: [String: Any] = [
            "action": base, "query": query, "periods": Console.periodOptions(periods, selected: period),
            "showResults": publishedOnly,
            "intro": publishedOnly ? Strings.text("results_rule", context.language) : "",
            "rows": rows.map { Self.row($0) },
            "nextHref": next.map { href($0) } ?? "",
            "firstHref": after != nil ? href(nil) : "",
        ]
        return console.renderer.rendered("targets", title: Strings.text(publishedOnly ? "nav_results" : "nav_targets", context.language),
                                     data, request: request, context: context)
    }

    /// A listing row; what was found only for a published result.
    static func row(_ listing: CheckListing) -> [String: Any] {
        var row: [String: Any] = [
            "code": listing.check.entity.rawValue, "name": listing.entityName, "department": listing.check.department.rawValue,
            "scenario": listing.scenario.rawValue, "date": listing.check.checkedOn.description,
            "entityHref": "/entity/\(listing.check.entity.rawValue)",
        ]
        if let publication = listing.publication {
            let found = listing.outcomes.findings
            row["findings"] = "\(found.minor + found.serious) / \(found.total)"
            row["penalty"] = HTML.number(listing.outcomes.penalties, decimals: 2)
            row["published"] = publication.publishedOn.description
            row["deadline"] = publication.deadline.description
            row["onTime"] = publication.publishedOn <= publication.deadline ? "✓" : "✗"
        }
        return row
    }

    func entity(_ request: Request, _ context: ConsoleContext) throws -> RenderedPage {
        guard let code = try? CreditCode(validating: try context.parameters.require("code")),
              let entity = try console.workspace.entity(code) else {
            return console.renderer.rendered("error", title: Strings.text("entity_notfound", context.language),
                                         ["message": Strings.text("entity_notfound", context.language)],
                                         request: request, context: context, status: .notFound)
        }
        let rows = try console.workspace.publishedCheckPage(CheckPageQuery(entity: code, publishedOnly: true, limit: 200),
                                                            asOf: console.today).listings
        let data: [String: Any] = [
            "code": code.rawValue, "scenario": entity.scenario.rawValue,
            "rows": rows.map { listing -> [String: Any] in
                let found = listing.outcomes.findings, publication = listing.publication!
                return ["id": listing.check.id.rawValue, "department": listing.check.department.rawValue,
                        "date": listing.check.checkedOn.description, "findings": "\(found.minor + found.serious) / \(found.total)",
                        "penalty": HTML.number(listing.outcomes.penalties, decimals: 2),
                        "disposal": listing.outcomes.openDisposals + listing.outcomes.closedDisposals == 0 ? "–"
                            : listing.outcomes.openDisposals > 0 ? "open" : "closed",
                        "published": publication.publishedOn.description, "deadline": publication.deadline.description]
            },
        ]
        return console.renderer.rendered("entity_public", title: entity.name, data, request: request, context: context)
    }
}
