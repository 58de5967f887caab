import ArgumentParser
import Foundation
import IncidentGenerator
import LedgerModel

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic synthetic incident history as JSON Lines.",
        discussion: """
            Incidents of every kind and severity with heavy-tailed durations, customers writing in on \
            several channels in bursts, replies, public updates at a cadence that is sometimes missed, \
            escalations up to executives, surveys, postmortems with action items, corrections and late \
            entries — about 100 events an incident. Incidents start between 2024-07-01 and 2026-06-01, and \
            nothing is recorded after 2026-11-01 (a long incident is cut there, as history stops at "now"). \
            The same seed gives the same bytes. Every event keeps the catalog's rules, so the output can be \
            appended: `incidents generate --incidents 50 | incidents append`; and the playbook's checks \
            under the standard policy (docs/playbook.md): updates that say where the incident stands, within \
            the cadence, with no early or slipped ETA, and maintenance on Saturday night, at most 20 minutes, \
            announced a week or two ahead and done inside its window.
            """)

    @Option(help: ArgumentHelp("How many incidents.", valueName: "n"))
    var incidents: Int = 100

    @Option(help: ArgumentHelp("The random seed.", valueName: "seed"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var file: OutputFileOptions

    func validate() throws {
        try PathOption.require(output, "--output")
        guard incidents >= 1, incidents <= 1_000_000 else { throw ValidationError("--incidents must be from 1 to 1,000,000") }
    }

    func run() async throws {
        if let output { try OutputFile.check(output, force: file.force, ledger: LedgerOptions.path(given: nil)) }
        var generator = HistoryGenerator(.init(incidents: incidents, seed: seed))
        let events = generator.events()
        if let output {
            try OutputFile.write(to: output, force: file.force, ledger: LedgerOptions.path(given: nil)) { append in
                var buffer = [UInt8]()
                for event in events {
                    buffer.append(contentsOf: event.jsonLine.utf8)
                    buffer.append(0x0A)
                    if buffer.count > 1 << 20 {
                        try append(buffer)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                try append(buffer)
            }
            FileHandle.standardError.write(Data("wrote \(events.count) events of \(incidents) incidents to \(output)\n".utf8))
        } else {
            for event in events { Output.standard.line(event.jsonLine) }
        }
    }
}
