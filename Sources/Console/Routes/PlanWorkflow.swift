import Foundation
import Hummingbird
import Planning
import Registry
import Supervision

/// The plan workflow: commit the frame (the inputs' digests, before the seed is known) → enter the announced seed
/// and draw → review → lock, which records the draw exactly as `onecheck import draw` does. Adjustments replace a
/// closed entity from the reserve order, with a reason in the audit log. Files are written only under the
/// console's plans folder, at names made from a parsed period, never from request text.
struct PlanWorkflow {
    let console: Console

    var root: String? { console.configuration.plansDirectory }

    func framePath(_ period: Period) -> String? {
        root.map { URL(fileURLWithPath: $0).appendingPathComponent("frame-\(period).json").path }
    }

    func formPeriod(_ context: ConsoleContext) throws -> Period {
        guard let text = context.form["period"], let period = Period(text) else {
            throw HTTPError(.badRequest, message: "period: expected a quarter like 2026Q2")
        }
        return period
    }

    @Sendable func list(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let recorded = try console.workspace.plans()
        let dirs = console.plans.directories().map { entry -> [String: Any] in
            let locked = recorded.contains { $0.period == entry.period && $0.seed == entry.seed }
            return ["name": entry.name, "period": entry.period.description, "seed": entry.seed,
                    "status": Strings.text(locked ? "plan_locked" : "plan_draft", context.language)]
        }
        let frames = ((try? FileManager.default.contentsOfDirectory(atPath: root ?? "")) ?? [])
            .filter { $0.hasPrefix("frame-") && $0.hasSuffix(".json") }.sorted()
        return console.renderer.page("plan_list", title: Strings.text("nav_workflow", context.language),
                                     ["dirs": dirs, "frames": frames,
                                      "canDraw": console.configuration.planInputs != nil && root != nil,
                                      "csrf": context.session?.csrfToken ?? ""],
                                     request: request, context: context)
    }

    @Sendable func commit(_ request: Request, _ context: ConsoleContext) throws -> Response {
        guard let inputs = console.configuration.planInputs else { throw HTTPError(.notFound) }
        let period = try formPeriod(context)
        guard let path = framePath(period) else { throw HTTPError(.notFound) }
        do {
            let frame = try Planner.commit(inputs: inputs, output: path)
            try console.workspace.recordPlanStep("commit frame \(frame.inputs.count) inputs", period: period,
                                                 user: context.user!.name, at: Workspace.timestamp(console.clock.now()))
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/planner/plans", type: .normal)
    }

    @Sendable func draw(_ request: Request, _ context: ConsoleContext) throws -> Response {
        guard let inputs = console.configuration.planInputs, let root else { throw HTTPError(.notFound) }
        let period = try formPeriod(context)
        let seed = (context.form["seed"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !seed.isEmpty, seed.count <= 200, !seed.contains(where: { $0.isNewline }) else {
            throw HTTPError(.badRequest, message: "seed: expected the announced seed, one line")
        }
        let name = "plan-\(period)"
        do {
            guard let frame = framePath(period), FileManager.default.fileExists(atPath: frame) else {
                throw PlanError.manifestMismatch("no frame committed for \(period): commit the frame before the seed")
            }
            let run = try Planner.plan(inputs: inputs, parameters: PlanParameters(period: period, seed: seed),
                                       committedFrame: frame,
                                       output: PlanDirectory(path: URL(fileURLWithPath: root).appendingPathComponent(name).path))
            try console.workspace.recordPlanStep("draw \(name) seed \(seed) checks=\(run.plan.checks.count)", period: period,
                                                 user: context.user!.name, at: Workspace.timestamp(console.clock.now()))
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/planner/plans/\(name)", type: .normal)
    }

    func planEntry(_ context: ConsoleContext) throws -> PlanLibrary.Entry {
        let name = try context.parameters.require("name")
        guard let entry = console.plans.directories().first(where: { $0.name == name }) else { throw HTTPError(.notFound) }
        return entry
    }

    @Sendable func review(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let entry = try planEntry(context)
        let review: PlanReview
        do {
            review = try console.plans.cache.review(entry.path) {
                try PlanReview.read(path: entry.path,
                                    inspectorDepartments: try console.workspace.store.read { try $0.inspectorDepartments() })
            }
        } catch {
            return console.refusal(error, request: request, context: context)
        }
        var data = review.templateData(context.language, maxPairs: 200)
        let locked = try console.workspace.plans().contains { $0.period == entry.period && $0.seed == entry.seed }
        if !locked { data["actions"] = ["name": entry.name, "csrf": context.session?.csrfToken ?? ""] }
        return console.renderer.page("plan_review", title: "\(Strings.text("plan_review", context.language)) · \(entry.name)",
                                     data, request: request, context: context)
    }

    @Sendable func adjust(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let entry = try planEntry(context)
        guard let root else { throw HTTPError(.notFound) }
        let reason = (context.form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let code = try? CreditCode(validating: context.form["entity"] ?? ""), !reason.isEmpty, reason.count <= 300 else {
            throw HTTPError(.badRequest, message: "entity: expected an 18-character credit code; reason: required")
        }
        let name = "\(entry.name)-adjusted-\(entry.manifest.adjustments.count + 1)"
        do {
            let directory = PlanDirectory(path: entry.path)
            let run = try Planner.adjust(manifest: directory.path(of: PlanDirectory.manifestFile),
                                         plan: directory.path(of: PlanDirectory.planFile),
                                         adjustment: .closed(entity: EntityID(code)), locator: InputLocator(),
                                         output: PlanDirectory(path: URL(fileURLWithPath: root).appendingPathComponent(name).path))
            try console.workspace.recordPlanStep("adjust \(entry.name) → \(name): closed \(code); reason: \(reason); "
                                                 + "checks=\(run.plan.checks.count)", period: entry.period,
                                                 user: context.user!.name, at: Workspace.timestamp(console.clock.now()))
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/planner/plans/\(name)", type: .normal)
    }

    @Sendable func lock(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let entry = try planEntry(context)
        do {
            try console.workspace.importDraw(planDirectory: URL(fileURLWithPath: entry.path),
                                             auditTime: Workspace.timestamp(console.clock.now()), user: context.user!.name)
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/plans", type: .normal)
    }
}
