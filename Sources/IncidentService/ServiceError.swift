/// A use case refused: what failed, as a fact with a code; entry points add the remedy their users
/// can act on (a flag to give, a request field to set).
public struct ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of refusal; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// A short, stable name such as `no-actor`.
        public let name: String

        public var description: String { name }

        /// The event names no actor, and the service has no default one to record it by.
        public static let noActor = Code(name: "no-actor")
        /// No incident of that id is in the ledger.
        public static let noSuchIncident = Code(name: "no-such-incident")
        /// A secret presented as an access token is not accepted: no token has it, or it was
        /// revoked, or it expired (the message says which).
        public static let unauthenticated = Code(name: "unauthenticated")
        /// No access token has the public id given.
        public static let noSuchToken = Code(name: "no-such-token")
        /// The access token's revocation is recorded already.
        public static let alreadyRevoked = Code(name: "already-revoked")
        /// A webhook delivery's signature (or the secret in its URL) is missing or wrong, or too old.
        public static let badSignature = Code(name: "bad-signature")
        /// No webhook receiver of that name and kind is configured.
        public static let noSuchReceiver = Code(name: "no-such-receiver")
        /// A webhook receiver of that name is configured already.
        public static let receiverExists = Code(name: "receiver-exists")
        /// A webhook delivery's event names another actor or source than the receiver records with.
        public static let notReceiversName = Code(name: "not-receivers-name")
        /// No template of that name is in the library.
        public static let noSuchTemplate = Code(name: "no-such-template")
        /// A template cannot be filled in: a placeholder has no value, or the template is retired or has no text for a channel asked for.
        public static let templateNotFilled = Code(name: "template-not-filled")
    }

    public var code: Code
    /// What failed, for a person to read; never names a flag or a command.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// No incident `incident` in the ledger at `location`, and where to see what is there.
    public static func noSuchIncident(_ incident: String, in location: String) -> ServiceError {
        ServiceError(.noSuchIncident, "no incident \(incident) in the ledger at \(location) — `incidents list` shows what is there")
    }
}
