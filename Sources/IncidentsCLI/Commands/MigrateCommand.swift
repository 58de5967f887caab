import ArgumentParser
import LedgerModel
import LedgerPostgres
import LedgerStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the ledger into PostgreSQL, or out of it into a directory.",
        discussion: """
            Copies every record of the ledger named by --ledger (a directory or a postgres:// URL) \
            into a new ledger at --to (the other kind), with its positions, times and hashes as \
            they are, and its settings (access tokens, webhook receivers). Then verifies the copy \
            and checks that its chain head is the source's: the same head means the same records, \
            so checkpoints and exports of either verify against the other. The source is only read.

            The destination must hold no ledger yet (a database: created and empty; a directory: \
            absent or empty). Stop the servers that write the source first: records appended while \
            the copy runs are not copied. Projections are not copied; they are rebuilt on first use.

              incidents migrate --ledger ./incident-ledger --to postgres://incidents@db:5432/incidents
              incidents migrate --ledger postgres://incidents@db:5432/incidents --to ./copy
            """)

    @OptionGroup var options: LedgerOptions

    @Option(name: .long, help: ArgumentHelp("Where the copy goes: a postgres:// URL, or a directory.", valueName: "url-or-path"))
    var to: String

    func validate() throws {
        try PathOption.require(to, "--to")
    }

    func run() async throws {
        let outcome = try await LedgerMigration.copy(from: options.location, to: to)
        Output.standard.line("copied \(outcome.head.position) events and \(outcome.settings) settings from \(outcome.source) to \(outcome.destination)")
        Output.standard.line("the copy verifies, and its chain head is the source's: position \(outcome.head.position), hash \(outcome.head.hash.hex)")
    }
}
