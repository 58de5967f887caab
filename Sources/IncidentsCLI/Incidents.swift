import ArgumentParser
import Foundation
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
              1  verification found damage, or stored data could not be read
              2  usage error: an unknown command, option or value
              3  invalid input: the event, file or incident named was refused; nothing was written
              4  conflict: the incident was not at the expected version, or an event id is already used
              5  ledger unavailable: missing, not a ledger, from a newer version, or not accessible
              6  storage failure: the disk is full or an I/O error occurred; nothing was written
            """,
        version: "0.1.0",
        subcommands: [InitCommand.self, AppendCommand.self, GenerateCommand.self, ImportCommand.self],
        groupedSubcommands: [
            CommandGroup(name: "Record events", subcommands: recordingCommands),
            CommandGroup(
                name: "Read and review",
                subcommands: [
                    ListCommand.self, ShowCommand.self, TimelineCommand.self, ReplayCommand.self, LogCommand.self,
                    ReviewCommand.self, MetricsCommand.self,
                ]),
            CommandGroup(
                name: "The ledger",
                subcommands: [VerifyCommand.self, InfoCommand.self, ProjectionsCommand.self, SchemaCommand.self]),
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
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Output.standard.flush()
        } catch {
            Output.standard.flush()
            exit(failingWith: error)
        }
    }

    /// Prints one clear line for a failure and exits with its documented code.
    static func exit(failingWith error: any Error) -> Never {
        let failure: CommandFailure
        switch error {
        case let error as CommandFailure: failure = error
        case let error as LedgerError: failure = CommandFailure(error)
        default:
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(CommandFailure.ExitStatus.usage.rawValue)
        }
        FileHandle.standardError.write(Data("incidents: \(failure.message)\n".utf8))
        Foundation.exit(failure.status.rawValue)
    }
}
