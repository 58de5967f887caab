import LedgerStore

/// A failure the tool reports as one line on standard error, with a documented exit status.
struct CommandFailure: Error {
    /// The exit statuses listed in `incidents --help` and docs/cli.md.
    enum ExitStatus: Int32 {
        case damaged = 1
        case usage = 2
        case invalidInput = 3
        case conflict = 4
        case unavailable = 5
        case storage = 6
    }

    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    init(_ error: LedgerError) {
        message = error.message
        switch error.code {
        case .invalidInput: status = .invalidInput
        case .wrongExpectedVersion, .duplicateEventID: status = .conflict
        case .ledgerNotFound, .notALedger, .unsupportedFormat, .alreadyExists, .permissionDenied: status = .unavailable
        case .corrupt: status = .damaged
        default: status = .storage
        }
    }
}
