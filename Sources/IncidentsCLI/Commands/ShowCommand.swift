import ArgumentParser
import Foundation
import LedgerModel
import LedgerStore
import Projections

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one incident: its current state, then its events in the order recorded.",
        discussion: "The state comes from the incident-state projection, caught up with the log first. `incidents timeline` orders the history by when things happened.")

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    @Flag(help: "Print the state as one JSON object and the events as JSON Lines.")
    var json = false

    func run() async throws {
        let ledger = try options.open()
        let runner = ProjectionRunner.reporting(ledger)
        try runner.catchUp(IncidentStateProjection.self)
        guard let summary = try runner.state(IncidentStateProjection.self, key: incident) else {
            throw CommandFailure(.invalidInput, "no incident \(incident) in the ledger at \(ledger.path) — `incidents list` shows what is there")
        }
        let output = Output.standard
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            output.line(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            output.write(summary.text)
            output.line()
        }
        try ledger.read { reader in
            try reader.forEachEvent(inStream: incident) { event in
                if json {
                    output.write(bytes: event.jsonLine)
                    output.write("\n")
                } else {
                    output.write(EventText.lines(for: event))
                }
                return true
            }
        }
    }
}
