/// Why a ledger operation failed: a small, stable code for programs, a sentence for people.
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
        /// Stored data is damaged.
        public static let corrupt = Code(name: "corrupt")
        /// The log is not an extension of a tree head signed before and remembered outside the
        /// ledger: an older copy of the ledger was restored, or another ledger put in its place.
        public static let rolledBack = Code(name: "rolled-back")

        public var description: String { name }
    }

    public var code: Code
    /// One sentence saying what is wrong and, where there is something to do, what to do.
    public var message: String
    /// The underlying error, when there is one.
    public var cause: (any Error & Sendable)?
    /// For ``Code/wrongExpectedVersion``: the stream's actual version (0 when it has no events).
    public var currentVersion: UInt64?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil, currentVersion: UInt64? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.currentVersion = currentVersion
    }

    public var description: String { message }

    /// The error for a stream that is not at the version an append expected.
    public static func wrongExpectedVersion(stream: String, current: UInt64, expected: ExpectedVersion) -> LedgerError {
        LedgerError(
            .wrongExpectedVersion,
            "\(stream) is at version \(current), but the append expected \(AppendTransaction.describe(expected)); nothing was written — read the incident again and retry",
            currentVersion: current)
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
