import ArgumentParser
import LedgerAudit
import Foundation

struct VerifyExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-export", abstract: "Check an audit bundle: signature, file hashes, every proof and line.",
        discussion: """
            Needs no ledger: checks the bundle against a public key alone. --key should be a copy of the \
            public key you obtained yourself; without it the key in <ledger>/keys is used. --previous \
            checks that an earlier checkpoint you kept is a prefix of the exported log. Exits 0 when \
            every check passes, 1 naming the first that failed, 3 when a file given cannot be read.
            """)

    @Argument(help: ArgumentHelp("The bundle directory.", valueName: "bundle"))
    var bundle: String

    @Option(help: ArgumentHelp("The ledger's public key file (from `incidents keys export`).", valueName: "file"))
    var key: String?

    @Option(help: ArgumentHelp("An earlier signed checkpoint to check the export's log against.", valueName: "file"))
    var previous: String?

    @OptionGroup var options: LedgerOptions

    func validate() throws {
        try PathOption.require(bundle, "BUNDLE")
        try PathOption.require(key, "--key")
        try PathOption.require(previous, "--previous")
    }

    func run() async throws {
        do {
            let publicKey = try key.map { try CheckpointVerifierKey(contentsOf: $0) } ?? CheckpointKeyFiles(ledgerPath: options.path).verifierKey()
            let earlier = try previous.map { try SignedCheckpoint(contentsOf: $0) }
            let result = try ExportVerifier.verify(bundle: bundle, key: publicKey, previous: earlier)
            Output.standard.line("ok: \(result.manifest.kind.rawValue) export of \(result.eventsChecked) events verified")
            for finding in result.findings {
                Output.standard.line("  - \(finding)")
            }
            if key == nil {
                Output.standard.line("note: checked with the ledger's own public key; an auditor should pass --key with a copy obtained independently")
            }
        } catch let error as AuditError {
            throw CommandFailure(error)
        }
    }
}
