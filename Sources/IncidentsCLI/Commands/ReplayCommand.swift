import ArgumentParser
import Foundation
import IncidentService
import LedgerModel
import LedgerStore
import IncidentProjections
import IncidentReports

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay an incident: as the ledger knew it at a time, or step by step.",
        discussion: """
            With --at TIME: the incident as it was known then — only events known by then — which is \
            what a reviewer needs to judge a decision fairly. An event is known from when its source \
            recorded it (sourceRecordedAt: the status page's post, the ticket's change) or, without one, \
            from when the ledger recorded it; so an imported history replays as its source knew it. \
            Add --as-occurred for the state of the world at that time with everything learned later \
            applied (late entries and corrections). Without --at: every event in the order recorded, \
            with the fields of the incident it changed.

            Example: incidents replay SP-p0p8wq1v2xz3 --at 2024-03-05T10:30:00Z
            """)

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"), transform: IncidentArgument.normalized)
    var incident: String

    @Option(help: ArgumentHelp("The moment to replay to (RFC 3339).", valueName: "time"))
    var at: TimestampArgument?

    @Flag(help: "With --at: the world as it was then, with everything learned later applied.")
    var asOccurred = false

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if asOccurred, at == nil { throw ValidationError("--as-occurred needs --at TIME") }
    }

    func run() async throws {
        let service = try await options.service()
        let output = Output.standard
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let at {
            let summary: IncidentSummary
            switch try service.replay(incident, at: at.value, asOccurred: asOccurred) {
            case .state(let state): summary = state
            case .nothingYet:
                throw CommandFailure(.invalidInput, "nothing of \(incident) was known at \(at.value.rfc3339); its first event was recorded later — give a later --at")
            case .noSuchIncident:
                throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
            }
            if json {
                output.line(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                output.line(asOccurred ? "\(incident) as it stood at \(at.value.rfc3339), with everything learned since:" : "\(incident) as known at \(at.value.rfc3339):")
                output.line()
                output.write(summary.text)
            }
            return
        }
        let steps = try service.replaySteps(incident)
        guard !steps.isEmpty else {
            throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
        }
        for line in json ? ReplayLines.json(steps) : ReplayLines.text(steps) { output.line(line) }
    }
}
