import Foundation
import Testing
import TestSupport

/// Executes the Markdown notebooks in `notebooks-md/` so that their recorded outputs never drift from the code.
///
/// Format: every fenced block whose info string is `console` is executed. Each line starting with `$ ` is a
/// command run by `/bin/sh` in one fresh temporary directory per notebook (shared by its blocks, in order), with
/// the built `onecheck` first on `PATH`, `$REPO` the repository root and `$SHARED` the shared datasets directory.
/// The lines after a command, up to the next `$ ` line or the end of the block, are its exact expected standard
/// output (trailing whitespace and trailing blank lines ignored). A command must exit 0.
@Suite struct NotebookTests {
    struct Step: CustomStringConvertible {
        let command: String
        let expected: String
        let line: Int
        var description: String { "line \(line): $ \(command)" }
    }

    static let directory = SharedData.bundled("notebooks-md")

    static var notebooks: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".md") }.sorted()
    }

    /// The commands and expected outputs of a notebook, in order.
    static func steps(of text: String) -> [Step] {
        var steps: [Step] = []
        var inConsole = false, inOtherFence = false
        var command: String?, commandLine = 0, output: [String] = []
        func flush() {
            if let c = command { steps.append(Step(command: c, expected: normalise(output.joined(separator: "\n")), line: commandLine)) }
            command = nil
            output = []
        }
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                if inConsole { flush(); inConsole = false; continue }
                if inOtherFence { inOtherFence = false; continue }
                if trimmed == "```console" { inConsole = true } else { inOtherFence = true }
                continue
            }
            guard inConsole else { continue }
            if line.hasPrefix("$ ") {
                flush()
                command = String(line.dropFirst(2))
                commandLine = i + 1
            } else if command != nil {
                output.append(line)
            }
        }
        return steps
    }

    static func normalise(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n").map { line -> String in
            var l = Substring(line)
            while let last = l.last, last == " " || last == "\t" || last == "\r" { l = l.dropLast() }
            return String(l)
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    @Test func parserFindsCommandsAndOutputs() {
        let text = "intro\n```console\n$ echo a\na\n$ true\n```\n```sh\n$ not run\n```\n```console\n$ printf 'x\\n\\n'\nx\n\n```\n"
        let s = Self.steps(of: text)
        #expect(s.map(\.command) == ["echo a", "true", "printf 'x\\n\\n'"])
        #expect(s.map(\.expected) == ["a", "", "x"])
    }

    @Test(arguments: notebooks)
    func notebookOutputsMatch(_ name: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
        if text.contains("$SHARED") && !SharedData.isCI
            && !FileManager.default.fileExists(atPath: SharedData.sharedDatasets.path) {
            return   // shared data absent outside CI: nothing to check against
        }
        let work = try TemporaryDirectory("notebook")
        defer { work.remove() }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = OneCheckBinary.url.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
        environment["REPO"] = SharedData.repositoryRoot.path
        environment["SHARED"] = SharedData.sharedDatasets.path
        for step in Self.steps(of: text) {
            let r = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", step.command], in: work.url,
                                          environment: environment)
            #expect(r.status == 0, "\(name) \(step): exit \(r.status): \(r.stderr)")
            #expect(Self.normalise(r.stdout) == step.expected, "\(name) \(step)")
        }
    }
}
