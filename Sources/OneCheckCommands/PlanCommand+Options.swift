import ArgumentParser
import Foundation
import Planning
import Supervision
import Tables

/// The input files shared by `plan`, `commit`, `verify` and `adjust` (formats: Sources/Planning/PLAN_FORMATS.md).
struct PlanInputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Scores from `onecheck score`: entity_id, <head>_probability, <head>_grade.", valueName: "scores.csv"))
    var scores: String?
    @Option(name: .long, help: ArgumentHelp("Entity directory: entity_id, scenario.", valueName: "entities.csv"))
    var entities: String?
    @Option(name: .long, help: ArgumentHelp("Agreed quotas: department, grade, ratio, count, certain.", valueName: "quotas.csv"))
    var quotas: String?
    @Option(name: .long, help: ArgumentHelp("Inspector roster: inspector_id, department, qualified_items, cap_per_period, …", valueName: "inspectors.csv"))
    var inspectors: String?
    @Option(name: .long, help: ArgumentHelp("Departments: department, risk_head (default head risk_<department>).", valueName: "departments.csv"))
    var departments: String?
    @Option(name: .long, help: ArgumentHelp("Scenarios: scenario, lead, partners (default: every department supervises every entity).", valueName: "scenarios.csv"))
    var scenarios: String?
    @Option(name: .long, help: ArgumentHelp("Items: item, department, scenario (the check content inspectors must be qualified for).", valueName: "items.csv"))
    var items: String?
    @Option(name: .long, help: ArgumentHelp("Caps: scope (all or a department), max_checks_per_year.", valueName: "caps.csv"))
    var caps: String?
    @Option(name: .long, help: ArgumentHelp("Checks recorded earlier this year, counted against the caps: check_id, period, entity_id, departments.", valueName: "checks-done.csv"))
    var done: String?
    @OptionGroup var text: TextInputOptions

    /// The files given, by role.
    var given: [String: String] {
        var roles: [String: String] = [:]
        roles["scores"] = scores
        roles["entities"] = entities
        roles["quotas"] = quotas
        roles["inspectors"] = inspectors
        roles["departments"] = departments
        roles["scenarios"] = scenarios
        roles["items"] = items
        roles["caps"] = caps
        roles["done"] = done
        return roles
    }

    /// The files of a new plan: --scores, --entities, --quotas and --inspectors are required.
    var paths: PlanInputPaths {
        get throws {
            guard let paths = PlanInputPaths(named: given) else {
                throw ValidationError("--scores, --entities, --quotas and --inspectors are required")
            }
            return paths
        }
    }
}

/// Where `verify` and `adjust` find the inputs recorded in a manifest.
struct RecordedInputOptions: ParsableArguments {
    @OptionGroup var files: PlanInputOptions
    @Option(name: .customLong("inputs-dir"), help: ArgumentHelp(
        "A directory holding the inputs: searched by SHA-256 for each input not found at the path the manifest records (relative to the manifest).",
        valueName: "DIR"))
    var inputsDirectory: String?

    var locator: InputLocator { InputLocator(overrides: files.given, searchDirectory: inputsDirectory) }
}

/// The public seed string announced before a draw (a lottery result, say); never empty.
struct PublicSeed: ExpressibleByArgument {
    let text: String

    init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        text = argument
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// A number in [0, 1], written as a decimal (`0.1`, `.5`, `1`).
struct Fraction: ExpressibleByArgument, CustomStringConvertible {
    let value: Double

    var description: String { "\(value)" }

    init?(argument: String) {
        guard let value = Double(argument), value >= 0, value <= 1 else { return nil }
        self.value = value
    }
}

extension Period: ExpressibleByArgument {
    /// `YYYYQn`.
    public init?(argument: String) { self.init(argument) }
}
