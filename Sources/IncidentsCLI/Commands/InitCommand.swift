import ArgumentParser
import LedgerPostgres
import LedgerStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty ledger.",
        discussion: """
            Creates the ledger directory if it does not exist. An existing ledger is never touched.

            With --ledger postgres://user@host:port/db, makes the ledger's tables in that existing, \
            empty database (create it first, e.g. `createdb incidents`); every server and command \
            then names the same URL. See docs/postgres.md.

              incidents init
              incidents init --ledger postgres://incidents@db.internal:5432/incidents
            """)

    @OptionGroup var options: LedgerOptions

    func run() async throws {
        if options.isPostgres {
            let store = try await PostgresEventStore.create(url: options.location)
            await store.close()
            Output.standard.line("created an empty ledger in \(store.location)")
            return
        }
        let ledger = try Ledger.create(at: options.path)
        Output.standard.line("created an empty ledger at \(ledger.path)")
    }
}
