import LedgerModel

/// Why an audit operation failed: a small code for programs and one sentence for people.
public struct AuditError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// A bundle, proof, checkpoint or signature did not check out.
        case verificationFailed
        /// A file or argument given was unusable (missing, unreadable, malformed).
        case invalidInput
        /// The ledger's signing key is missing or unreadable.
        case missingKey
        /// A file that must not be replaced exists already.
        case alreadyExists
        /// The disk is full, a file-size limit was reached, or an I/O error occurred while writing.
        case storage
    }

    public var code: Code
    public var message: String
    public var description: String { message }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    static func failed(_ message: String) -> AuditError {
        AuditError(.verificationFailed, message)
    }

    /// A failed file operation: `.storage` when the disk is at fault, `.invalidInput` when the path
    /// is; the message says what failed (`doing`, such as "cannot write X"), why, and what to do.
    static func system(_ failure: SystemFailure, _ doing: String) -> AuditError {
        AuditError(failure.isStorage ? .storage : .invalidInput, "\(doing): \(failure.reason) — \(failure.remedy)")
    }

    /// The failure of a Foundation file operation, as ``system(_:_:)`` says it.
    static func system(_ error: any Error, _ doing: String) -> AuditError {
        system(SystemFailure(error) ?? SystemFailure(errno: 0), doing)
    }
}
