import ArgumentParser
import Audit

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
