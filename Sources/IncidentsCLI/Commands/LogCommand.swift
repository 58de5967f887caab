import ArgumentParser
import IncidentService
import LedgerModel
import LedgerStore

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print events in log order, optionally filtered.",
        discussion: """
            Prints every event from the oldest on, or those of one incident, of some types, or in a \
            time range (by when they happened). Readable text by default; --json prints JSON Lines \
            with every envelope field, the form other tools read.
            """)

    @OptionGroup var options: LedgerOptions

    @OptionGroup var filter: EventFilterOptions

    @Option(help: ArgumentHelp("Start at this global position.", valueName: "position"))
    var from: UInt64 = 1

    @Option(help: ArgumentHelp("Print at most this many events.", valueName: "count"))
    var limit: Int?

    @Flag(help: "Print JSON Lines instead of text.")
    var json = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() async throws {
        let output = Output.standard
        try await options.service().forEachEvent(matching: filter.query, from: from, limit: limit) { event in
            if json {
                output.write(bytes: event.jsonLine)
                output.write("\n")
            } else {
                output.write(EventText.lines(for: event))
            }
        }
    }
}
