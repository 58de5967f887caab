import ArgumentParser
import LedgerModel
import LedgerStore

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one incident's events in the order they were recorded.")

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    @Flag(help: "Print JSON Lines instead of text.")
    var json = false

    func run() async throws {
        let ledger = try options.open()
        let output = Output.standard
        let found = try ledger.read { reader in
            let version = try reader.version(ofStream: incident)
            guard version > 0 else { return false }
            if !json {
                output.line("\(incident): \(version) event\(version == 1 ? "" : "s")")
                output.line()
            }
            try reader.forEachEvent(inStream: incident) { event in
                if json {
                    output.write(bytes: event.jsonLine)
                    output.write("\n")
                } else {
                    output.write(EventText.lines(for: event))
                }
                return true
            }
            return true
        }
        guard found else {
            throw CommandFailure(.invalidInput, "no incident \(incident) in the ledger at \(ledger.path) — `incidents log` lists what is there")
        }
    }
}
