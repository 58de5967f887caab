import ArgumentParser
import IncidentService
import LedgerModel
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
            """)

    @OptionGroup var options: LedgerOptions

    func run() async throws {
        // The page structure first, before LMDB opens the file and follows its pointers.
        try Ledger.checkPageStructure(at: options.path)
        let verification = try options.service().verify()
        switch verification.verdict {
        case .failure(let failure): throw CommandFailure(failure)
        case .success(let lines): lines.forEach(Output.standard.line)
        }
    }
}
