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
}
