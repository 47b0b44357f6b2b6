import ArgumentParser
import Console
import Foundation
import Registry

/// `onecheck user`: the console's accounts.
public struct UserCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list and disable the console's accounts.",
        subcommands: [UserAddCommand.self, UserListCommand.self, UserDisableCommand.self])
    public init() {}
}

struct UserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account; the password is read from standard input (never an argument).",
        discussion: "Example: printf '%s\\n' \"$PASSWORD\" | onecheck user add -w W --name li --role department:market --password-stdin")
    @OptionGroup var options: WritingWorkspaceOptions
    @Option(help: "User name: letters, digits, '.', '_', '-'.") var name: String
    @Option(help: ArgumentHelp("planner, admin or department:<code>.", valueName: "ROLE")) var role: String
    @Flag(help: "Read the password from standard input (its first line).") var passwordStdin = false

    func validate() throws {
        guard passwordStdin else {
            throw ValidationError("--password-stdin is required: a password on the command line would show in process lists")
        }
        guard UserRole(role) != nil else { throw ValidationError(OptionValue.invalid(role, UserRole.expectedForm)) }
        guard UserAccount.isValidName(name) else {
            throw ValidationError(OptionValue.invalid(name, "1–64 letters, digits, '.', '_' or '-'"))
        }
    }

    func run() throws {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("standard input: expected the password on its first line")
        }
        let hash = try Passwords.hash(line)
        try options.openForWriting().addUser(name: name, role: UserRole(role)!, passwordHash: hash)
        print("added \(name) (\(role))")
    }
}

struct UserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List accounts: name, role, state.")
    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        for user in try options.openForReading().users() {
            print("\(user.name)\t\(user.role)\t\(user.disabled ? "disabled" : "enabled")")
        }
    }
}

struct UserDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable an account and close its sessions.")
    @OptionGroup var options: WritingWorkspaceOptions
    @Option(help: "User name.") var name: String

    func run() throws {
        try options.openForWriting().setUserDisabled(name)
        print("disabled \(name)")
    }
}
