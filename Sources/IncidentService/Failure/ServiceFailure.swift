import Foundation
public import IncidentImporters
public import IncidentMetrics
public import IncidentProjections
public import LedgerAudit
public import LedgerModel
public import LedgerStore

/// Any failure of a use case as every entry point reports it: what kind of failure it is and one
/// sentence saying what is wrong and what to do. The CLI turns the kind into its exit status, the
/// server into an HTTP status and an RFC 9457 problem; both say the same sentence.
public struct ServiceFailure: Error, Sendable, CustomStringConvertible {
    /// What kind of failure: what the caller can do about it.
    public enum Kind: String, Sendable, CaseIterable {
        /// The ledger or a bundle is damaged, or a check failed: nothing to retry.
        case damaged
        /// The request or command was not well formed (a missing flag, an unknown option).
        case usage
        /// The input was refused: malformed, or not an event of the catalog.
        case invalidInput
        /// The input is well formed but the rules of the incident's life refuse it.
        case refusedByRule
        /// Someone else wrote first (a wrong expected version) or an id is taken.
        case conflict
        /// What was asked for does not exist.
        case notFound
        /// The ledger cannot be used now: missing, read-only, made by a newer build.
        case unavailable
        /// The disk failed or is full.
        case storage
        /// A write was interrupted while it committed (a lost connection to the database): it may or
        /// may not have been recorded. Sending the same events again, with the same ids, is safe.
        case outcomeUnknown
        /// The caller is not known: no credentials, or credentials that are wrong, revoked or expired.
        case unauthenticated
        /// The caller is known but may not do this.
        case forbidden
    }

    public var kind: Kind
    /// One sentence: the facts, then what to do.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The failure to report for any error a use case let through: the one place where every error
    /// type of the libraries gets its kind and its sentence. An error of no known type is still one
    /// sentence, `damaged`, naming its type so it can be given a place here.
    public init(reporting error: any Error) {
        if let failure = error as? ServiceFailure {
            self = failure
        } else if let error = LedgerError(converting: error) {
            self.init(error)
        } else if let error = error as? any ReportableFailure {
            self = error.failure
        } else if let system = SystemFailure(error) {
            self.init(system, "a file operation failed")
        } else {
            self.init(.damaged, "unexpected failure (\(String(reflecting: type(of: error)))): \(error) — nothing more is known; please report it")
        }
    }

    /// A ledger failure: the store's facts, then what to do about them.
    public init(_ error: LedgerError) {
        message = error.message + Self.remedy(for: error)
        switch error.code {
        case .invalidInput:
            kind = (error.cause as? EventInputError)?.isRuleRefusal == true ? .refusedByRule : .invalidInput
        case .wrongExpectedVersion, .duplicateEventID: kind = .conflict
        case .ledgerNotFound, .notALedger, .unsupportedFormat, .alreadyExists, .permissionDenied, .unavailable: kind = .unavailable
        case .corrupt, .rolledBack: kind = .damaged
        case .outcomeUnknown: kind = .outcomeUnknown
        default: kind = .storage
        }
    }

    /// A failed file operation: `storage` when the disk is at fault, `invalidInput` when the path
    /// is; `doing` says what failed, such as "cannot write report.md".
    public init(_ failure: SystemFailure, _ doing: String) {
        self.init(failure.isStorage ? .storage : .invalidInput, "\(doing): \(failure.reason) — \(failure.remedy)")
    }

    /// What to do about a ledger failure, joined to its message; empty when the message says all there is.
    public static func remedy(for error: LedgerError) -> String {
        if error.code == .unsupportedFormat { return " — use a newer `incidents`; the ledger was not touched" }
        if error.code == .outcomeUnknown {
            return " — it may or may not have been recorded: send the same events again with the same ids (a retry that finds them recorded records nothing twice)"
        }
        return remedy(for: error.detail, ledgerPath: error.ledgerPath)
    }

    /// What to do about a failure of this detail, joined to its message; empty when there is nothing to add.
    public static func remedy(for detail: LedgerError.Detail?, ledgerPath: String? = nil) -> String {
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
        case LedgerError.Detail.mirror?: return " — record through the database it copies (--ledger postgres://…)"
        default: return ""
        }
    }
}

/// A library error with a known kind and sentence. Every error type the libraries throw conforms
/// here (`LedgerError`, which also stands for the storage engine's errors, is mapped in
/// ``ServiceFailure/init(reporting:)``), so none reaches an entry point unexplained.
public protocol ReportableFailure: Error {
    var failure: ServiceFailure { get }
}

extension AuditError: ReportableFailure {
    /// `damaged` when a check failed, `invalidInput` for unusable input or a missing key, `storage`
    /// when the disk failed while writing.
    public var failure: ServiceFailure {
        switch code {
        case .verificationFailed: ServiceFailure(.damaged, message)
        case .invalidInput, .missingKey, .alreadyExists: ServiceFailure(.invalidInput, message)
        case .storage: ServiceFailure(.storage, message)
        }
    }
}

/// Stored read-model bytes that do not decode: damage outside the hash chain.
extension StateBytesError: ReportableFailure {
    public var failure: ServiceFailure {
        ServiceFailure(.damaged, "a stored projection state is damaged — run `incidents projections rebuild`, then `incidents verify`")
    }
}

/// A stored record that does not decode.
extension RecordCodec.DecodingError: ReportableFailure {
    public var failure: ServiceFailure { ServiceFailure(.damaged, "a stored record cannot be read (\(self)) — run `incidents verify`") }
}

extension MerkleProofError: ReportableFailure {
    public var failure: ServiceFailure { ServiceFailure(.damaged, "a proof does not check: \(self)") }
}

/// Input that was refused — an event, a JSON or CSV file, a compressed file, a Statuspage document:
/// its own sentence, and that nothing was written.
public protocol RefusedInput: ReportableFailure, CustomStringConvertible {}

extension RefusedInput {
    public var failure: ServiceFailure { ServiceFailure(.invalidInput, "\(self); nothing was written") }
}

extension EventInputError: RefusedInput {
    public var failure: ServiceFailure { ServiceFailure(isRuleRefusal ? .refusedByRule : .invalidInput, "\(self); nothing was written") }
}

extension JSONParseError: RefusedInput {}
extension Timestamp.ParseError: RefusedInput {}
extension StatuspageImportError: RefusedInput {}
extension PagerDutyImportError: RefusedInput {}
extension JSONIncidentImportError: RefusedInput {}
extension Gzip.Error: RefusedInput {}

/// Bad records in an all-or-nothing import: the message names them and says nothing was written.
extension ImportRefusal: ReportableFailure {
    public var failure: ServiceFailure { ServiceFailure(.invalidInput, description) }
}

extension MappingError: ReportableFailure {
    public var failure: ServiceFailure { ServiceFailure(.invalidInput, "the mapping: \(self); nothing was written") }
}

extension CSVTable.Error: ReportableFailure {
    public var failure: ServiceFailure { ServiceFailure(.invalidInput, "not CSV: \(self); nothing was written") }
}

extension BusinessCalendarError: ReportableFailure {
    public var failure: ServiceFailure { ServiceFailure(.invalidInput, "a calendar: \(self) — docs/metrics.md shows the form") }
}

/// A use case the service refused.
extension ServiceError: ReportableFailure {
    public var failure: ServiceFailure {
        switch code {
        case .noActor: ServiceFailure(.usage, "\(message); nothing was written")
        case .noSuchIncident: ServiceFailure(.notFound, message)
        case .noSuchToken: ServiceFailure(.notFound, "\(message) — `incidents tokens list` shows the tokens; nothing was written")
        case .alreadyRevoked: ServiceFailure(.invalidInput, "\(message); nothing was written")
        case .unauthenticated:
            ServiceFailure(
                .unauthenticated,
                "the token was refused: \(message) — `incidents tokens create` makes one, `incidents tokens list` shows them and their state")
        case .noSuchReceiver: ServiceFailure(.notFound, message)
        case .badSignature: ServiceFailure(.unauthenticated, message)
        case .notReceiversName: ServiceFailure(.forbidden, message)
        case .receiverExists: ServiceFailure(.conflict, message)
        case .noSuchTemplate: ServiceFailure(.notFound, "\(message); nothing was written")
        case .templateNotFilled: ServiceFailure(.invalidInput, "\(message); nothing was written")
        default: ServiceFailure(.invalidInput, message)
        }
    }
}
