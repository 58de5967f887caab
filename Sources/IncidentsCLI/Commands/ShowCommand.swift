import ArgumentParser
import Foundation
import LedgerModel
import LedgerStore
import IncidentProjections
import IncidentReports

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
        let ledger = try options.open()
        let runner = ProjectionRunner.reporting(ledger)
        try runner.catchUp(IncidentStateProjection.self)
        guard let summary = try runner.state(IncidentStateProjection.self, key: incident) else {
            throw CommandFailure(.invalidInput, "no incident \(incident) in the ledger at \(ledger.path) — `incidents list` shows what is there")
        }
        let output = Output.standard
        var recorded = [RecordedEvent]()
        try ledger.read { reader in try reader.forEachEvent(inStream: incident) { recorded.append($0); return true } }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            output.line(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            output.write(summary.text)
            // A promise of a next update that nothing has fulfilled, judged on the report's time, not
            // on the ledger's last write.
            let now = reportTime.time
            if let overdue = Timeline.build(incident, events: recorded, asOf: now).missedUpdates.first(where: { $0.fulfilledAt == nil }) {
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
