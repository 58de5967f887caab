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
    }

    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// A ledger failure: the library's facts, then what to do about them in this tool's words.
    init(_ error: LedgerError) {
        message = error.message + Self.remedy(for: error)
        switch error.code {
        case .invalidInput: status = .invalidInput
        case .wrongExpectedVersion, .duplicateEventID: status = .conflict
        case .ledgerNotFound, .notALedger, .unsupportedFormat, .alreadyExists, .permissionDenied: status = .unavailable
        case .corrupt, .rolledBack: status = .damaged
        default: status = .storage
        }
    }

    /// What to do about a ledger failure, worded for this tool and joined to its message; empty
    /// when the message says all there is.
    static func remedy(for error: LedgerError) -> String {
        if error.code == .unsupportedFormat { return " — use a newer `incidents`; the ledger was not touched" }
        return remedy(for: error.detail, ledgerPath: error.ledgerPath)
    }

    /// What to do about a failure of this detail, joined to its message; empty when there is nothing to add.
    static func remedy(for detail: LedgerError.Detail?, ledgerPath: String? = nil) -> String {
        switch detail {
        case LedgerError.Detail.noDirectory?:
            return " — create one with `incidents init`, or name an existing one with --ledger or INCIDENTS_LEDGER"
        case LedgerError.Detail.noDataFile?: return " — create one with `incidents init`"
        case LedgerError.Detail.readOnlyFiles?:
            return " — ask for write access to \(ledgerPath ?? "the ledger"), or run the command as its owner"
        case LedgerError.Detail.damagedLog?: return "; run `incidents verify`"
        case LedgerError.Detail.contradictsSignedCheckpoint?, LedgerError.Detail.damagedAfterRebuild?: return " — run `incidents verify`"
        case LedgerError.Detail.damagedFiles?: return " — run `incidents verify`, and restore from a backup if it fails"
        case LedgerError.Detail.damagedDerivedData?: return " — run `incidents projections rebuild`, else restore the ledger from a backup"
        case LedgerError.Detail.damagedProjection?: return " — `incidents projections rebuild` makes it again"
        default: return ""
        }
    }

    /// The exit status of an audit failure: 1 when a check failed, 3 for unusable input or a missing
    /// key, 6 when the disk failed while writing.
    init(_ error: AuditError) {
        switch error.code {
        case .verificationFailed: self.init(.damaged, error.message)
        case .invalidInput, .missingKey, .alreadyExists: self.init(.invalidInput, error.message)
        case .storage: self.init(.storage, error.message)
        }
    }

    /// A failed file operation: a storage failure (6) when the disk is at fault, invalid input (3)
    /// when the path is; `doing` says what failed, such as "cannot write report.md".
    init(_ failure: SystemFailure, _ doing: String) {
        self.init(failure.isStorage ? .storage : .invalidInput, "\(doing): \(failure.reason) — \(failure.remedy)")
    }

    /// The failure to report for any error a command let through: the one place where every error
    /// type of the libraries gets its exit status (see ``ReportableError``). An error of no known
    /// type is still one line, exit 1, naming its type so it can be given a place here.
    init(reporting error: any Error) {
        if let error = error as? CommandFailure {
            self = error
        } else if let error = LedgerError(converting: error) {
            self.init(error)
        } else if let error = error as? any ReportableError {
            self = error.commandFailure
        } else if let system = SystemFailure(error) {
            self.init(system, "a file operation failed")
        } else {
            self.init(.damaged, "unexpected failure (\(String(reflecting: type(of: error)))): \(error) — nothing more is known; please report it")
        }
    }
}

/// A library error the tool knows how to report: its exit status and its one-line message.
/// Every error type the libraries throw conforms here, so none reaches the argument parser's
/// fallback (`LedgerError`, which also stands for the storage engine's errors, is mapped above).
protocol ReportableError: Error {
    var commandFailure: CommandFailure { get }
}

extension AuditError: ReportableError {
    var commandFailure: CommandFailure { CommandFailure(self) }
}

/// Stored read-model bytes that do not decode: damage outside the hash chain.
extension StateBytesError: ReportableError {
    var commandFailure: CommandFailure {
        CommandFailure(.damaged, "a stored projection state is damaged — run `incidents projections rebuild`, then `incidents verify`")
    }
}

/// A stored record that does not decode.
extension RecordCodec.DecodingError: ReportableError {
    var commandFailure: CommandFailure {
        CommandFailure(.damaged, "a stored record cannot be read (\(self)) — run `incidents verify`")
    }
}

extension MerkleProofError: ReportableError {
    var commandFailure: CommandFailure { CommandFailure(.damaged, "a proof does not check: \(self)") }
}

/// Input that was refused — an event, a JSON or CSV file, a compressed file, a Statuspage document:
/// exit 3, its own sentence, and that nothing was written.
protocol RefusedInputError: ReportableError, CustomStringConvertible {}

extension RefusedInputError {
    var commandFailure: CommandFailure { CommandFailure(.invalidInput, "\(self); nothing was written") }
}

extension EventInputError: RefusedInputError {}
extension JSONParseError: RefusedInputError {}
extension Timestamp.ParseError: RefusedInputError {}
extension StatuspageImportError: RefusedInputError {}
extension JSONIncidentImportError: RefusedInputError {}
extension Gzip.Error: RefusedInputError {}

/// Bad records in an all-or-nothing import: the message names them and says nothing was written.
extension ImportRefusal: ReportableError {
    var commandFailure: CommandFailure { CommandFailure(.invalidInput, description) }
}

extension MappingError: ReportableError {
    var commandFailure: CommandFailure { CommandFailure(.invalidInput, "the mapping: \(self); nothing was written") }
}

extension CSVTable.Error: ReportableError {
    var commandFailure: CommandFailure { CommandFailure(.invalidInput, "not CSV: \(self); nothing was written") }
}

extension BusinessCalendarError: ReportableError {
    var commandFailure: CommandFailure { CommandFailure(.invalidInput, "a calendar: \(self) — docs/metrics.md shows the form") }
}

extension DecodingError: ReportableError {
    var commandFailure: CommandFailure { CommandFailure(.invalidInput, "a file: \(MetricsOptions.describe(self))") }
}

/// A use case the service refused: its fact, and what to give the command instead.
extension ServiceError: ReportableError {
    var commandFailure: CommandFailure {
        switch code {
        case .noActor:
            CommandFailure(.usage, "\(message): give --actor kind:id (person, tool or system), or set $USER; nothing was written")
        case .noSuchToken:
            CommandFailure(.invalidInput, "\(message) — `incidents tokens list` shows the tokens; nothing was written")
        case .alreadyRevoked:
            CommandFailure(.invalidInput, "\(message); nothing was written")
        case .unauthenticated:
            CommandFailure(.invalidInput, "the token was refused: \(message) — `incidents tokens list` shows the tokens and their state")
        default:
            CommandFailure(.invalidInput, message)
        }
    }
}
