import ArgumentParser
import Audit
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
            The ledger refuses to sign a checkpoint that disagrees with one it signed before (exit 1).
            """)

    @OptionGroup var options: LedgerOptions
    @OptionGroup var keys: KeyOptions

    @Option(help: ArgumentHelp("Also write the checkpoint to this file.", valueName: "file"))
    var output: String?

    func validate() throws {
        try PathOption.require(output, "--output")
    }

    func run() async throws {
        let ledger = try options.open()
        do {
            let key = try keys.files(ledger: options).signingKey()
            let checkpoint = try ExportWriter(ledger: ledger, key: key).checkpoint()
            if let output {
                try ReportFile.write(checkpoint.text, to: output, what: "checkpoint")
            }
            Output.standard.write(checkpoint.text)
        } catch let error as AuditError {
            throw CommandFailure(error)
        }
    }
}
