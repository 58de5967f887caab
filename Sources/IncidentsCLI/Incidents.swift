import ArgumentParser
import Foundation
import LedgerModel
import LedgerStore
import Logging

@main
struct Incidents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "Keep the record of incidents in an append-only, hash-chained ledger.",
        discussion: """
            Every fact about an incident is an event appended to one log kept in LMDB. Nothing is ever \
            overwritten: a correction is a new event, and `incidents verify` proves the log unaltered.

            The ledger is the directory ./\(Ledger.defaultDirectoryName) unless --ledger or the environment \
            variable INCIDENTS_LEDGER names another. Events may be dated at most 300 seconds in the \
            future unless INCIDENTS_MAX_FUTURE_SKEW_SECONDS allows more. Set INCIDENTS_LOG_LEVEL (trace, debug, info, warning, \
            error) to see more of what the ledger does; logs go to standard error.

            Exit codes:
              0  success
              1  verification found damage, or stored data (the log, a record, a projection) is damaged
              2  usage error: an unknown command, option or value (a value outside an option's choices \
            or range, a malformed time, an empty path)
              3  invalid input: the event, file or incident named was refused; nothing was written
              4  conflict: the incident was not at the expected version, or an event id is already used
              5  ledger unavailable: missing, not a ledger, from a newer version, or not accessible
              6  storage failure: the disk is full, a size limit was reached or an I/O error occurred, \
            writing the ledger or any file; nothing was written
              7  `incidents due` found something overdue
              8  outcome unknown: a write to PostgreSQL was cut off while it committed; send the same \
            events again with the same ids

            Every failure is one line on standard error: `incidents: <what is wrong> — <what to do>`.
            """,
        version: "0.1.0",
        subcommands: [InitCommand.self, AppendCommand.self, GenerateCommand.self, ImportCommand.self],
        groupedSubcommands: [
            CommandGroup(name: "Record events", subcommands: recordingCommands),
            CommandGroup(name: "Run an outage", subcommands: [PolicyCommand.self, TemplatesCommand.self]),
            CommandGroup(
                name: "Read and review",
                subcommands: [
                    ListCommand.self, ShowCommand.self, DueCommand.self, TimelineCommand.self, ReplayCommand.self, LogCommand.self,
                    ReviewCommand.self, MetricsCommand.self,
                ]),
            CommandGroup(
                name: "The ledger",
                subcommands: [VerifyCommand.self, InfoCommand.self, ProjectionsCommand.self, SchemaCommand.self, MigrateCommand.self]),
            CommandGroup(name: "Serve a team", subcommands: [ServeCommand.self, TokensCommand.self, WebhooksCommand.self]),
            CommandGroup(
                name: "Audit",
                subcommands: [CheckpointCommand.self, ExportCommand.self, VerifyExportCommand.self, KeysCommand.self]),
        ]
    )

    static func main() async {
        FaultHandler.install()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = ProcessInfo.processInfo.environment["INCIDENTS_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            handler.logLevel = level ?? .warning
            return handler
        }
        var parsed: (any ParsableCommand)?
        do {
            var command = try parseAsRoot()
            parsed = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Output.standard.flush()
            if let failure = Output.standard.failure {
                exit(failingWith: CommandFailure(failure, "cannot write standard output"), running: type(of: command))
            }
        } catch {
            Output.standard.flush()
            exit(failingWith: error, running: parsed.map { type(of: $0) })
        }
    }

    /// Prints one line for a failure, `incidents: <what is wrong> — <what to do>`, and exits with its
    /// documented code. Help and version requests print their text and exit 0.
    ///
    /// `command` is the command that was running, nil when the arguments did not parse: then the
    /// failure is a usage error, pointing at the `--help` of the command the arguments named (or, for
    /// a word that names no command, at the nearest command's name).
    static func exit(failingWith error: any Error, running command: (any ParsableCommand.Type)?) -> Never {
        if exitCode(for: error) == .success {
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        let failure: CommandFailure
        if let command {
            if error is ValidationError {
                failure = usage(message(for: error), path: CommandTree.path(to: command) ?? [])
            } else {
                failure = CommandFailure(reporting: error)
            }
        } else {
            let words = CommandTree.resolve(Array(CommandLine.arguments.dropFirst()))
            if let unknown = words.unknown {
                failure = CommandTree.unknownCommand(unknown, after: words.path)
            } else {
                failure = usage(message(for: error), path: words.path)
            }
        }
        FileHandle.standardError.write(Data("incidents: \(MessageText.oneLine(failure.message))\n".utf8))
        Foundation.exit(failure.status.rawValue)
    }

    /// A usage error: the parser's or a command's sentence, then the help to read.
    static func usage(_ message: String, path: [String]) -> CommandFailure {
        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        while text.hasSuffix(".") { text.removeLast() }
        return CommandFailure(.usage, "\(text) — run `\((["incidents"] + path + ["--help"]).joined(separator: " "))`")
    }
}
