import ArgumentParser
import IncidentService
import LedgerModel
import LedgerPostgres
import LedgerStore
import IncidentProjections

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain and check the indexes against the log.",
        discussion: """
            First checks LMDB's page structure in data.mdb with plain reads (page numbers, headers, \
            node offsets and sizes, key order, page counts), so that a damaged file is named rather \
            than followed. Then reads every record, recomputes the SHA-256 chain, and checks that \
            positions have no gaps, stream versions run in order, the indexes point at the right \
            records and the stored chain head matches. Then rebuilds every projection in memory, up \
            to its stored checkpoint, and compares it with the stored states byte for byte (a \
            projection merely behind the log is not damage). Exits 0 when everything agrees, 1 \
            naming the first damaged page or position, or the damaged projection and key, \
            otherwise. Writes nothing.

            For a ledger in PostgreSQL (--ledger postgres://…), checks this machine's mirror so, \
            then reads the database's whole log and checks it the same way (positions without a \
            gap, every hash, every link, the chain_head row).
            """)

    @OptionGroup var options: LedgerOptions

    func run() async throws {
        // The page structure first, before LMDB opens the file and follows its pointers.
        try Ledger.checkPageStructure(at: options.path)
        let verification = try await options.service().verify()
        switch verification.verdict {
        case .failure(let failure): throw CommandFailure(failure)
        case .success(let lines): lines.forEach(Output.standard.line)
        }
        if options.isPostgres {
            // The log of record itself, not only this machine's copy of it.
            let store = try await OpenMirror.mirror(url: options.location, directory: options.path).store
            let head = try await store.verify()
            Output.standard.line("the database \(store.location): \(head.position) events, positions 1 to \(head.position) without a gap, every hash and link checked; head \(head.hash.hex)")
        }
    }
}
