import ArgumentParser
import LedgerAudit
import Foundation
import LedgerModel
import LedgerStore

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, show or export the ledger's checkpoint-signing key.",
        discussion: """
            The ledger signs its checkpoints with an Ed25519 key kept in <ledger>/keys (or --keys): \
            checkpoint.key, the private key, readable by its owner only (mode 0600), and \
            checkpoint.pub, the public key an auditor checks checkpoints with. A private key its group or \
            others may read is refused for signing, as ssh refuses one (run `chmod 600` on it). Beside \
            them, checkpoint.last keeps the last checkpoint signed (see `incidents checkpoint --help`).
            """,
        subcommands: [Create.self, Show.self, Export.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Make the key pair; an existing key is never replaced.")

        @OptionGroup var options: LedgerOptions
        @OptionGroup var keys: KeyOptions

        func run() async throws {
            let ledger = try await options.open()
            guard let ledgerID = try ledger.info().ledgerID else {
                throw CommandFailure(.unavailable, "the ledger at \(options.path) has no id to name its key by")
            }
            let files = keys.files(ledger: options)
            do {
                let key = try files.create(name: Checkpoint.origin(ledgerID: ledgerID))
                Output.standard.line("created \(files.privateKeyPath) (private, mode 0600) and \(files.publicKeyPath)")
                Output.standard.line(key.verifier.text)
            } catch {
                throw CommandFailure(error)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the public key's name, id and where the keys are.")

        @OptionGroup var options: LedgerOptions
        @OptionGroup var keys: KeyOptions

        func run() async throws {
            let files = keys.files(ledger: options)
            do {
                let key = try files.verifierKey()
                Output.standard.line("name     \(key.name)")
                Output.standard.line("key id   \(key.keyIDHex)")
                Output.standard.line("public   \(files.publicKeyPath)")
                Output.standard.line("private  \(files.privateKeyPath)")
            } catch {
                throw CommandFailure(error)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Print the public key (or write it to --output) to hand to auditors.")

        @OptionGroup var options: LedgerOptions
        @OptionGroup var keys: KeyOptions

        @Option(help: ArgumentHelp("Write the public key to this file instead of standard output.", valueName: "file"))
        var output: String?

        @OptionGroup var file: OutputFileOptions

        func validate() throws {
            try PathOption.require(output, "--output")
        }

        func run() async throws {
            do {
                let text = try keys.files(ledger: options).verifierKey().text + "\n"
                if let output {
                    try OutputFile.write(Array(text.utf8), to: output, force: file.force, ledger: options.path)
                } else {
                    Output.standard.write(text)
                }
            } catch let error as AuditError {
                throw CommandFailure(error)
            }
        }
    }
}
