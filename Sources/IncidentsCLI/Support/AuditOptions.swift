import ArgumentParser
import Audit

/// Where the checkpoint keys are: `--keys`, or the ledger's own `keys/` directory.
struct KeyOptions: ParsableArguments {
    @Option(
        name: .customLong("keys"),
        help: ArgumentHelp("The directory of the checkpoint key pair. Defaults to <ledger>/keys.", valueName: "dir"))
    var directory: String?

    func files(ledger: LedgerOptions) -> CheckpointKeyFiles {
        directory.map(CheckpointKeyFiles.init(directory:)) ?? CheckpointKeyFiles(ledgerPath: ledger.path)
    }
}

extension CommandFailure {
    /// The exit status of an audit failure: 1 when a check failed, 3 for unusable input or a missing key.
    init(_ error: AuditError) {
        switch error.code {
        case .verificationFailed: self.init(.damaged, error.message)
        case .invalidInput, .missingKey, .alreadyExists: self.init(.invalidInput, error.message)
        }
    }
}
