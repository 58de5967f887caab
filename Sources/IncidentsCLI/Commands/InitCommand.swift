import ArgumentParser
import LedgerStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty ledger.",
        discussion: "Creates the ledger directory if it does not exist. An existing ledger is never touched.")

    @OptionGroup var options: LedgerOptions

    func run() async throws {
        let ledger = try Ledger.create(at: options.path)
        Output.standard.line("created an empty ledger at \(ledger.path)")
    }
}
