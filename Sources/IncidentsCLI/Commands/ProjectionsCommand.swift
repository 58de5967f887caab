import LedgerModel
import ArgumentParser
import LedgerStore
import IncidentMetrics
import IncidentProjections

struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections", abstract: "Show or rebuild the read models kept beside the log.",
        subcommands: [Status.self, Rebuild.self])

    /// A stored projection, as the commands see it.
    struct Entry: Sendable {
        var name: String
        var status: @Sendable (ProjectionRunner) throws -> ProjectionRunner.Status
        var rebuild: @Sendable (ProjectionRunner) throws -> Int
        /// A rebuild in memory compared with what is stored (for `verify`).
        var compare: @Sendable (ProjectionRunner) throws -> ProjectionComparison
    }

    /// The stored projections. Timelines, replays and reports are computed per incident on demand.
    static let entries = [
        Entry(
            name: IncidentStateProjection.name, status: { try $0.status(IncidentStateProjection.self) },
            rebuild: { try $0.rebuild(IncidentStateProjection.self) }, compare: { try $0.compareWithLog(IncidentStateProjection.self) }),
        Entry(
            name: IncidentMetricsProjection.name, status: { try $0.status(IncidentMetricsProjection.self) },
            rebuild: { try $0.rebuild(IncidentMetricsProjection.self) }, compare: { try $0.compareWithLog(IncidentMetricsProjection.self) }),
    ]

    static var names: [String] { entries.map(\.name) }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Each projection's checkpoint against the head of the log.")

        @OptionGroup var options: LedgerOptions

        func run() async throws {
            let runner = ProjectionRunner.reporting(try options.open())
            for entry in ProjectionsCommand.entries {
                let status = try entry.status(runner)
                let at = status.checkpoint.map { "position \($0.position) (version \($0.version))" } ?? "never built"
                let state = if let damage = status.damage {
                    "damaged (\(damage.key.map { "the state of \($0) " } ?? "")\(damage.reason)); rebuilt on next use"
                } else if status.isCurrent {
                    "current"
                } else if status.checkpoint?.version != status.version && status.checkpoint != nil {
                    "built by another version; rebuilt on next use"
                } else {
                    "\(status.head - (status.checkpoint?.position ?? 0)) events behind; caught up on next use"
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
            if let name, !ProjectionsCommand.names.contains(name) {
                throw ValidationError("no projection \(MessageText.quoted(name)); the projections are \(ProjectionsCommand.names.joined(separator: ", "))")
            }
        }

        func run() async throws {
            let runner = ProjectionRunner.reporting(try options.openForWriting())
            for entry in ProjectionsCommand.entries where name == nil || entry.name == name {
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
