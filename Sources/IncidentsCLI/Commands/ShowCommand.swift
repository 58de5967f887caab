import ArgumentParser
import Foundation
import LedgerModel
import LedgerStore
import IncidentProjections
import IncidentReports
import IncidentService

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one incident: its current state, then its events in the order recorded.",
        discussion: "The state comes from the incident-state projection, caught up with the log first. `incidents timeline` orders the history by when things happened.")

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"), transform: IncidentArgument.normalized)
    var incident: String

    @Flag(help: "Print the state as one JSON object and the events as JSON Lines.")
    var json = false

    @OptionGroup var reportTime: ReportTimeOptions

    func run() async throws {
        let service = try await options.service()
        // A promise of a next update that nothing has fulfilled is judged on the report's time, not
        // on the ledger's last write.
        let now = reportTime.time
        guard let detail = try service.detail(of: incident, asOf: now) else {
            throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
        }
        let (summary, recorded) = (detail.summary, detail.events)
        let output = Output.standard
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            output.line(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            output.write(summary.text)
            if let overdue = detail.overdueUpdate {
                output.line("overdue update".padding(toLength: 22, withPad: " ", startingAt: 0)
                    + "promised by \(overdue.promisedBy.rfc3339) (event \(overdue.promisedIn)), none since: \(PostmortemText.duration(overdue.lateBySeconds)) late as of \(now.rfc3339)")
            }
            output.line()
        }
        for event in recorded {
            if json {
                output.write(bytes: event.jsonLine)
                output.write("\n")
            } else {
                output.write(EventText.lines(for: event))
            }
        }
    }
}
