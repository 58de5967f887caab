import LedgerModel
import ArgumentParser
import LedgerStore
import IncidentMetrics
import IncidentProjections
import IncidentService

struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections", abstract: "Show or rebuild the read models kept beside the log.",
        subcommands: [Status.self, Rebuild.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Each projection's checkpoint against the head of the log.")

        @OptionGroup var options: LedgerOptions

        func run() async throws {
            let runner = ProjectionRunner.reporting(try await options.open())
            for entry in StoredReadModel.all {
                let status = try entry.status(runner)
                let at = status.checkpoint.map { "position \($0.position) (version \($0.version))" } ?? "never built"
                let state = if let damage = status.damage {
                    "damaged (\(damage.key.map { "the state of \($0) " } ?? "")\(damage.reason)); rebuilt on next use"
                } else if status.isCurrent {
                    "current"
                } else if status.checkpoint?.version != status.version && status.checkpoint != nil {
                    "built by another version; rebuilt on next use"
                } else {
                    "\(status.head - (status.checkpoint?.position ?? 0)) events behind; reads catch up in memory, the next write stores it"
                }
                Output.standard.line("\(status.name)  version \(status.version)  at \(at)  head \(status.head)  \(state)")
            }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Drop a projection's state and replay the whole log.")

        @OptionGroup var options: LedgerOptions

        @Argument(help: ArgumentHelp("The projection (default: all).", valueName: "name"))
        var name: String?

        func validate() throws {
            if let name, !StoredReadModel.names.contains(name) {
                throw ValidationError("no projection \(MessageText.quoted(name)); the projections are \(StoredReadModel.names.joined(separator: ", "))")
            }
        }

        func run() async throws {
            let runner = ProjectionRunner.reporting(try await options.openForWriting())
            for entry in StoredReadModel.all where name == nil || entry.name == name {
                let clock = ContinuousClock()
                let start = clock.now
                let folded = try entry.rebuild(runner)
                let elapsed = clock.now - start
                let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
                Output.standard.line("rebuilt \(entry.name) from \(folded) events in \(milliseconds) ms")
            }
        }
    }
}
