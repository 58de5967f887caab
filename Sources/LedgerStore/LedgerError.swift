package import Foundation
import LedgerModel

/// Why a ledger operation failed, as facts: a small, stable code for programs, what exactly failed
/// (``Detail``), on which ledger, with the cause, and a sentence saying so.
///
/// The library states facts only: what a person should do about them — which command to run,
/// which option to give — is the caller's to say (the CLI maps code and detail to a remedy).
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// There is no ledger at the path.
        public static let ledgerNotFound = Code(name: "ledger-not-found")
        /// The path holds something that is not an IncidentLedger ledger.
        public static let notALedger = Code(name: "not-a-ledger")
        /// The ledger was written by a newer build with a format this build cannot read.
        public static let unsupportedFormat = Code(name: "unsupported-format")
        /// `create` was asked for a ledger that already exists.
        public static let alreadyExists = Code(name: "already-exists")
        /// The operating system refused access to the ledger's files.
        public static let permissionDenied = Code(name: "permission-denied")
        /// An event or batch was refused by a rule; nothing was written.
        public static let invalidInput = Code(name: "invalid-input")
        /// The stream was not at the version the append expected; nothing was written.
        public static let wrongExpectedVersion = Code(name: "wrong-expected-version")
        /// An event id is already recorded elsewhere; nothing was written.
        public static let duplicateEventID = Code(name: "duplicate-event-id")
        /// The disk is full or a file size limit was reached; nothing was written.
        public static let storageFull = Code(name: "storage-full")
        /// Another input/output or storage-engine failure.
        public static let storage = Code(name: "storage")
        /// An append's commit was interrupted (a lost connection to a database server): it may or may
        /// not have been committed. Retrying the same events with the same ids is safe — a retry that
        /// finds them recorded succeeds without writing them again.
        public static let outcomeUnknown = Code(name: "outcome-unknown")
        /// The store cannot be reached now (a database server down, unreachable, or refusing
        /// connections); nothing was done.
        public static let unavailable = Code(name: "unavailable")
        /// Stored data is damaged.
        public static let corrupt = Code(name: "corrupt")
        /// The log is not an extension of a tree head signed before and remembered outside the
        /// ledger: an older copy of the ledger was restored, or another ledger put in its place.
        public static let rolledBack = Code(name: "rolled-back")

        public var description: String { name }
    }

    /// What exactly failed, within a code, where callers remedy the cases differently. New details
    /// may be added; switch with a default.
    public struct Detail: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// ``Code/ledgerNotFound``: nothing exists at the path.
        public static let noDirectory = Detail(name: "no-directory")
        /// ``Code/ledgerNotFound``: the directory exists but holds no `data.mdb`.
        public static let noDataFile = Detail(name: "no-data-file")
        /// ``Code/corrupt``: a record, index, chain head or Merkle tree of the log reads wrong.
        public static let damagedLog = Detail(name: "damaged-log")
        /// ``Code/corrupt``: the log contradicts a checkpoint this ledger signed before.
        public static let contradictsSignedCheckpoint = Detail(name: "contradicts-signed-checkpoint")
        /// ``Code/corrupt``: the storage engine reports its files damaged.
        public static let damagedFiles = Detail(name: "damaged-files")
        /// ``Code/corrupt``: pages of derived data (projections) are damaged; the log is intact.
        public static let damagedDerivedData = Detail(name: "damaged-derived-data")
        /// ``Code/corrupt``: a stored projection fails its checks; a rebuild from the log makes it again.
        public static let damagedProjection = Detail(name: "damaged-projection")
        /// ``Code/corrupt``: a projection rebuilt from the log is found damaged again.
        public static let damagedAfterRebuild = Detail(name: "damaged-after-rebuild")
        /// ``Code/permissionDenied``: the ledger's files are read-only to this user.
        public static let readOnlyFiles = Detail(name: "read-only-files")
        /// ``Code/permissionDenied``: the ledger is a mirror of a shared log, written only by copying it.
        public static let mirror = Detail(name: "mirror")
        /// ``Code/corrupt``: a mirror's records are not those of the shared log it is asked to copy.
        public static let mirrorDiverged = Detail(name: "mirror-diverged")

        public var description: String { name }
    }

    public var code: Code
    /// One sentence saying what failed, where and why.
    public var message: String
    /// What exactly failed, when the code alone does not say.
    public var detail: Detail?
    /// The ledger the failure concerns (its directory), when known.
    public var ledgerPath: String?
    /// The underlying error, when there is one.
    public var cause: (any Error & Sendable)?
    /// For ``Code/wrongExpectedVersion``: the stream's actual version (0 when it has no events).
    public var currentVersion: UInt64?

    public init(
        _ code: Code, _ message: String, detail: Detail? = nil, ledgerPath: String? = nil, cause: (any Error & Sendable)? = nil,
        currentVersion: UInt64? = nil
    ) {
        self.code = code
        self.message = message
        self.detail = detail
        self.ledgerPath = ledgerPath
        self.cause = cause
        self.currentVersion = currentVersion
    }

    public var description: String { message }

    /// The error for a stream that is not at the version an append expected.
    public static func wrongExpectedVersion(stream: String, current: UInt64, expected: ExpectedVersion) -> LedgerError {
        LedgerError(
            .wrongExpectedVersion,
            "\(stream) is at version \(current), but the append expected \(describe(expected)); nothing was written — read the incident again and retry",
            currentVersion: current)
    }

    /// The error for an append to a stream with no events.
    package static func emptyAppend(to stream: String) -> LedgerError {
        LedgerError(.invalidInput, "nothing to append to \(stream): the batch has no events")
    }

    /// The error for an event id already recorded, or given twice in one batch.
    package static func duplicateEventID(_ id: UUID) -> LedgerError {
        LedgerError(
            .duplicateEventID,
            "event id \(id.lowercasedString) is already recorded (or appears twice in this batch); nothing was written — give each event its own id")
    }

    /// The error for an append whose first event is recorded, but which does not repeat that append exactly.
    package static func notAnExactRetry(_ request: StreamAppend, firstPosition: UInt64) -> LedgerError {
        LedgerError(
            .duplicateEventID,
            "event id \(request.events[0].id.lowercasedString) is already recorded at position \(firstPosition), and this batch is not an exact retry of that append; nothing was written — a retry must repeat the same events, or new events need new ids")
    }

    /// The error for an exact retry made under an expectation its first landing did not meet.
    package static func retryUnderOtherExpectation(_ request: StreamAppend, firstVersion: UInt64) -> LedgerError {
        LedgerError(
            .wrongExpectedVersion,
            "these events are already recorded at version \(firstVersion) of \(request.stream), which does not match the expected \(describe(request.expectedVersion)); nothing was written",
            currentVersion: firstVersion - 1)
    }

    /// The error for a projection commit whose expected checkpoint another writer moved on.
    package static func projectionMovedOn(_ name: String) -> LedgerError {
        LedgerError(.wrongExpectedVersion, "projection \(name) was moved on by another process meanwhile")
    }

    /// An expectation in words, for messages.
    static func describe(_ expected: ExpectedVersion) -> String {
        switch expected {
        case .any: "any version"
        case .noStream: "no events yet (a new incident)"
        case .streamExists: "an existing incident"
        case .exact(let version): "version \(version)"
        }
    }
}

extension LedgerError {
    /// The ledger error that any error thrown by a ledger call stands for: itself, or a storage-engine
    /// failure (which the ledger keeps internal) in the ledger's terms; nil for an error from elsewhere.
    /// A caller that reports errors maps through this, so no storage-engine error escapes unnamed.
    public init?(converting error: any Error) {
        switch error {
        case let error as LedgerError: self = error
        case let error as LMDBError: self = error.ledgerError
        default: return nil
        }
    }
}
