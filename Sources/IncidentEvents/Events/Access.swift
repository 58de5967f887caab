public import LedgerModel

/// The streams the ledger keeps for itself beside the incidents. No incident event goes into one,
/// and no read model of incidents (list, show, timelines, metrics, the review) reads one.
public enum LedgerStream {
    /// Who was given access to the ledger and when it was taken away: `access.granted` and
    /// `access.revoked`, and nothing else. A dotted name, never an incident id in use: incident
    /// events are refused here.
    public static let access = "ledger.access"
    /// The outage playbook's policy, every version of it: `playbook.policy_set`, and nothing else.
    public static let playbook = "ledger.playbook"

    /// The ledger's own streams, which hold no incident.
    public static let reserved = [access, playbook, templates]

    /// Whether `stream` is one of the ledger's own streams, not an incident.
    public static func isReserved(_ stream: String) -> Bool { reserved.contains(stream) }

    /// What one of the ledger's own streams is called in a sentence: `access`, `playbook`.
    public static func name(of stream: String) -> String { stream.hasPrefix("ledger.") ? String(stream.dropFirst("ledger.".count)) : stream }
}

/// What a holder of an access token may do; `IncidentService` keeps the table of permissions.
public enum AccessRole: String, PayloadEnum {
    /// Records incident, communication and escalation events; reads incidents.
    case responder
    /// Reads everything; records postmortem events.
    case reviewer
    /// Reads the log, checkpoints and exports.
    case auditor
    /// Manages tokens; reads everything.
    case admin
}

/// An access token was issued. The secret is never recorded, nor its hash: only the token's public id.
public struct AccessGranted: EventPayload {
    public static let type = "access.granted"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "An access token was issued to a holder with a role. Only the token's public id is recorded, never its secret or the secret's hash; the event goes in the stream ledger.access."

    /// The token's public id.
    public var tokenId: String
    /// Who holds it, as `kind:id`.
    public var holder: String
    public var role: AccessRole
    /// When it stops being accepted; never when nil.
    public var expiresAt: Timestamp?

    public init(tokenId: String, holder: String, role: AccessRole, expiresAt: Timestamp? = nil) {
        self.tokenId = tokenId
        self.holder = holder
        self.role = role
        self.expiresAt = expiresAt
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        tokenId = try r.string("tokenId", "The token's public id, unique in the ledger; never the secret.", maxLength: 64)
        holder = try r.string("holder", "Who holds the token, as kind:id (person, tool or system), such as person:jane@example.com.", maxLength: 300)
        role = try r.value("role", "What the holder may do: responder, reviewer, auditor or admin (docs/server.md).")
        expiresAt = try r.optionalTimestamp("expiresAt", "When the token stops being accepted; it never expires when left out.")
    }
    public func validate() throws(EventInputError) {
        try AccessRevoked.checkHolder(holder)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("tokenId", tokenId)
        w.set("holder", holder)
        w.set("role", role)
        w.set("expiresAt", expiresAt)
    }
    public static let examples = [
        AccessGranted(tokenId: "3f9a1c27b0de", holder: "person:jane@example.com", role: .responder, expiresAt: exampleTime("2027-01-01T00:00:00Z"))
    ]
}

/// An access token was revoked: it is no longer accepted.
public struct AccessRevoked: EventPayload {
    public static let type = "access.revoked"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "An access token was revoked and is no longer accepted. It names the token granted, its holder and role; the event goes in the stream ledger.access."

    public var tokenId: String
    public var holder: String
    public var role: AccessRole

    public init(tokenId: String, holder: String, role: AccessRole) {
        self.tokenId = tokenId
        self.holder = holder
        self.role = role
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        tokenId = try r.string("tokenId", "The public id of the token revoked; it must have been granted and not yet revoked.", maxLength: 64)
        holder = try r.string("holder", "Who held the token, as kind:id, as the grant names them.", maxLength: 300)
        role = try r.value("role", "The role the token granted, as the grant names it.")
    }
    public func validate() throws(EventInputError) {
        try Self.checkHolder(holder)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("tokenId", tokenId)
        w.set("holder", holder)
        w.set("role", role)
    }
    public static let examples = [AccessRevoked(tokenId: "3f9a1c27b0de", holder: "person:jane@example.com", role: .responder)]

    /// A holder must read as an actor, `kind:id`, whose id could name an event's actor.
    static func checkHolder(_ holder: String) throws(EventInputError) {
        guard let actor = Actor(holder) else {
            throw EventInputError(
                field: "payload.holder", reason: "must be kind:id with kind person, tool or system, such as person:jane@example.com; \(MessageText.quoted(holder)) is not")
        }
        try EnvelopeRules.validateLabel(actor.id, field: "payload.holder")
    }
}
