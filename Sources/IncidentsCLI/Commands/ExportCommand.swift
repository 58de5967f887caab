import ArgumentParser
import IncidentService
import LedgerAudit
import LedgerModel
import LedgerStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write an audit bundle: events, proofs, a signed checkpoint and a manifest.",
        discussion: """
            Writes the directory --output: events.jsonl (the lines of `log --json`, in position order), \
            checkpoint.txt (signed now, over the whole log), manifest.json (what was asked for, counts, \
            file hashes) and, for a filtered export, proofs.jsonl (an inclusion proof per event). \
            With --since-checkpoint FILE it holds exactly the events after that earlier checkpoint, with \
            a consistency proof between the two. Check a bundle with `incidents verify-export` or \
            Tools/verify-export.py; docs/audit.md explains it for auditors.
            """)

    @OptionGroup var options: LedgerOptions
    @OptionGroup var keys: KeyOptions
    @OptionGroup var signing: SigningOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The bundle directory to create; it must not exist, nor be inside a ledger directory.", valueName: "dir"))
    var output: String

    @OptionGroup var filter: EventFilterOptions

    @Option(
        name: .customLong("since-checkpoint"),
        help: ArgumentHelp("Export exactly the events after this earlier checkpoint of the ledger, with a consistency proof.", valueName: "file"))
    var sinceCheckpoint: String?

    @Flag(help: "Also write the events as events.csv (derived from the same events; checked by the verifiers).")
    var csv = false

    var query: EventQuery {
        filter.query
    }

    func validate() throws {
        try PathOption.require(output, "--output")
        try PathOption.require(sinceCheckpoint, "--since-checkpoint")
        if sinceCheckpoint != nil, query.isFiltered {
            throw ValidationError("--since-checkpoint exports every event after the checkpoint; it takes no --incident, --type, --since or --until")
        }
    }

    func run() async throws {
        try OutputFile.refuseInsideLedger(output, ledger: options.path)
        let service = try await options.service()
        do {
            let previous = try sinceCheckpoint.map { try SignedCheckpoint(contentsOf: $0) }
            let manifest = try service.export(
                query, after: previous, csv: csv, to: output, keys: keys.files(ledger: options), acceptingRollback: signing.acceptRollback)
            let range = manifest.firstPosition.map { "positions \($0)–\(manifest.lastPosition!)" } ?? "no events"
            Output.standard.line(
                "exported \(manifest.eventCount) events (\(range)) to \(output): \(manifest.kind.rawValue) export, checkpoint of \(manifest.treeHead.size) events")
        } catch let error as AuditError {
            throw CommandFailure(error)
        }
    }
}
