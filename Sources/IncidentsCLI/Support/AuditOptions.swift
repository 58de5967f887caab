import ArgumentParser
import LedgerAudit
import LedgerStore

/// Where the checkpoint keys are: `--keys`, or the ledger's own `keys/` directory.
struct KeyOptions: ParsableArguments {
    @Option(
        name: .customLong("keys"),
        help: ArgumentHelp("The directory of the checkpoint key pair. Defaults to <ledger>/keys.", valueName: "dir"))
    var directory: String?

    func validate() throws {
        try PathOption.require(directory, "--keys")
    }

    func files(ledger: LedgerOptions) -> CheckpointKeyFiles {
        directory.map(CheckpointKeyFiles.init(directory:)) ?? CheckpointKeyFiles(ledgerPath: ledger.path)
    }
}

/// How a command that signs a checkpoint is told that the ledger was rolled back on purpose.
struct SigningOptions: ParsableArguments {
    @Option(
        name: .customLong("accept-rollback"),
        help: ArgumentHelp(
            "Sign although the ledger no longer extends the last checkpoint signed, which covered SIZE events (after a deliberate restore of an older ledger; that checkpoint is then contradicted).",
            valueName: "size"))
    var acceptRollback: UInt64?
}
