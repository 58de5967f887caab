import LedgerAudit
import Foundation
import IncidentImporters
import LedgerModel
import LedgerStore
import IncidentMetrics
import IncidentProjections
import IncidentService

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
        /// Not a failure of the command: `incidents due` found something overdue, for cron or a monitoring check.
        case overdue = 7
        /// A write was interrupted while it committed: it may or may not have been recorded.
        case outcomeUnknown = 8
    }

    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// A use case's failure: its sentence, and the exit status of its kind.
    init(_ failure: ServiceFailure) {
        message = failure.message
        switch failure.kind {
        case .damaged: status = .damaged
        case .usage: status = .usage
        case .invalidInput, .refusedByRule, .notFound: status = .invalidInput
        case .conflict: status = .conflict
        case .unavailable, .unauthenticated, .forbidden: status = .unavailable
        case .storage: status = .storage
        case .outcomeUnknown: status = .outcomeUnknown
        }
    }

    /// A ledger failure: the library's facts, then what to do about them.
    init(_ error: LedgerError) {
        self.init(ServiceFailure(error))
    }

    /// An audit failure: 1 when a check failed, 3 for unusable input or a missing key, 6 when the
    /// disk failed while writing.
    init(_ error: AuditError) {
        self.init(error.failure)
    }

    /// A failed file operation: a storage failure (6) when the disk is at fault, invalid input (3)
    /// when the path is; `doing` says what failed, such as "cannot write report.md".
    init(_ failure: SystemFailure, _ doing: String) {
        self.init(ServiceFailure(failure, doing))
    }

    /// The failure to report for any error a command let through: the service's classification
    /// (``ServiceFailure/init(reporting:)``, shared with the server), with this tool's words where a flag
    /// is the remedy.
    init(reporting error: any Error) {
        switch error {
        case let error as CommandFailure: self = error
        case let error as ServiceError where error.code == .noActor:
            self.init(.usage, "\(error.message): give --actor kind:id (person, tool or system), or set $USER; nothing was written")
        case let error as DecodingError: self.init(.invalidInput, "a file: \(MetricsOptions.describe(error))")
        default: self.init(ServiceFailure(reporting: error))
        }
    }
}
