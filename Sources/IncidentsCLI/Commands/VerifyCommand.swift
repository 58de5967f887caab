import ArgumentParser
import LedgerModel
import LedgerStore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain and check the indexes against the log.",
        discussion: """
            First checks LMDB's page structure in data.mdb with plain reads (page numbers, headers, \
            node offsets and sizes, key order, page counts), so that a damaged file is named rather \
            than followed. Then reads every record, recomputes the SHA-256 chain, and checks that \
            positions have no gaps, stream versions run in order, the indexes point at the right \
            records and the stored chain head matches. Exits 0 when everything agrees, 1 naming the \
            first damaged page or position otherwise.
            """)

    @OptionGroup var options: LedgerOptions

    func run() async throws {
        // The page structure first, before LMDB opens the file and follows its pointers.
        try Ledger.checkPageStructure(at: options.path)
        let ledger = try options.open()
        let report = try ledger.verify(checkingPageStructure: false)
        if let problem = report.problem {
            throw CommandFailure(.damaged, "verification failed at \(problem) — the ledger is damaged: keep this copy as evidence and restore it from a backup")
        }
        Output.standard.line("ok: \(report.eventsChecked) events verified; chain head \(report.head.hash.hex) at position \(report.head.position)")
    }
}
