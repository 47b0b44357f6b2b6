import Foundation
import Hummingbird
import Registry
import Supervision

/// The public pages (no login): item lists, plan announcements, target lists, published results, an entity's
/// published results. Nothing unpublished is read for these pages: results come from queries with
/// `publishedOnly`, and the target list shows who is drawn (public by law), never what was found.
struct PublicRoutes {
    let console: Console

    func register(_ table: inout RouteTable) {
        table.add(.get, "/", access: .everyone) { request, context in
            console.renderer.page("home", title: Strings.text("app", context.language), [:], request: request, context: context)
        }
        table.add(.get, "/items", access: .everyone, items)
        table.add(.get, "/plans", access: .everyone, plans)
        table.add(.get, "/plans/{name}/manifest.json", access: .everyone, manifest)
        table.add(.get, "/targets", access: .everyone) { request, context in
            try listing(request, context, publishedOnly: false)
        }
        table.add(.get, "/results", access: .everyone) { request, context in
            try listing(request, context, publishedOnly: true)
        }
        table.add(.get, "/entity/{code}", access: .everyone, entity)
    }

    @Sendable func items(_ request: Request, _ context: ConsoleContext) throws -> Response {
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
        return console.renderer.page("items", title: Strings.text("nav_items", context.language), ["groups": groups],
                                     request: request, context: context)
    }

    @Sendable func plans(_ request: Request, _ context: ConsoleContext) throws -> Response {
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
        return console.renderer.page("plans", title: Strings.text("nav_plans", context.language), ["plans": rows],
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
    func listing(_ request: Request, _ context: ConsoleContext, publishedOnly: Bool) throws -> Response {
        let periods = try console.plannedPeriods()
        let period = console.selectedPeriod(request, among: periods)
        let query = request.uri.queryParameters["q"].map { String($0.prefix(60)) } ?? ""
        let after = request.uri.queryParameters["after"].map { CheckID(String($0.prefix(100))) }
        let limit = 50
        let rows = try period.map {
            try console.workspace.checkPage(CheckPageQuery(period: $0, publishedOnly: publishedOnly,
                                                           search: query.isEmpty ? nil : query, after: after, limit: limit))
        } ?? []
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
            "nextHref": rows.count == limit ? href(rows.last!.check.id) : "",
            "firstHref": after != nil ? href(nil) : "",
        ]
        return console.renderer.page("targets", title: Strings.text(publishedOnly ? "nav_results" : "nav_targets", context.language),
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

    @Sendable func entity(_ request: Request, _ context: ConsoleContext) throws -> Response {
        guard let code = try? CreditCode(validating: try context.parameters.require("code")),
              let entity = try console.workspace.entity(code) else {
            return console.renderer.page("error", title: Strings.text("entity_notfound", context.language),
                                         ["message": Strings.text("entity_notfound", context.language)],
                                         request: request, context: context, status: .notFound)
        }
        let rows = try console.workspace.checkPage(CheckPageQuery(entity: code, publishedOnly: true, limit: 200))
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
        return console.renderer.page("entity_public", title: entity.name, data, request: request, context: context)
    }
}
