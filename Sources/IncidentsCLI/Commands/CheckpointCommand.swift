import ArgumentParser
import IncidentService
import LedgerAudit
import Foundation
import LedgerModel
import LedgerStore

struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Print a signed checkpoint: the ledger's name, its size and Merkle root.",
        discussion: """
            The checkpoint is a signed note (docs/audit.md): three lines — the ledger's name, the number of \
            events, the base64 Merkle root of the log — a blank line, and an Ed25519 signature line. Keep \
            copies where the ledger's operator cannot change them: a later export is checked against them. \
            The ledger refuses to sign a checkpoint that disagrees with one it signed before (exit 1), \
            also after an older copy of data.mdb was put back: the last checkpoint signed is kept \
            beside the key (checkpoint.last). After a deliberate rollback, --accept-rollback SIZE \
            (the size the refusal names) signs anyway.
            """)

    @OptionGroup var options: LedgerOptions
    @OptionGroup var keys: KeyOptions
    @OptionGroup var signing: SigningOptions

    @Option(help: ArgumentHelp("Also write the checkpoint to this file.", valueName: "file"))
    var output: String?

    @OptionGroup var file: OutputFileOptions

    func validate() throws {
        try PathOption.require(output, "--output")
    }

    func run() async throws {
        if let output { try OutputFile.check(output, force: file.force, ledger: options.path) }
        let service = try await options.service()
        do {
            let checkpoint = try service.checkpoint(keys: keys.files(ledger: options), acceptingRollback: signing.acceptRollback)
            if let output {
                try OutputFile.write(Array(checkpoint.text.utf8), to: output, force: file.force, ledger: options.path)
            }
            Output.standard.write(checkpoint.text)
        } catch let error as AuditError {
            throw CommandFailure(error)
        }
    }
}
