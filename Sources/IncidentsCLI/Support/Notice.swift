import Foundation
import LedgerStore
import IncidentProjections

/// One line on standard error about something the command did that a person should know of (a
/// damaged projection rebuilt, a catch-up kept in memory), in the form of the error lines.
enum Notice {
    static func emit(_ text: String) {
        FileHandle.standardError.write(Data("incidents: \(text)\n".utf8))
    }
}

extension ProjectionRunner {
    /// A runner whose notices are printed on standard error.
    static func reporting(_ ledger: Ledger) -> ProjectionRunner {
        ProjectionRunner(ledger: ledger, notice: { Notice.emit($0) })
    }
}
