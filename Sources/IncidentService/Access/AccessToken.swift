public import IncidentEvents
public import LedgerModel

/// An access token as the ledger keeps it: its public id, who holds it, its role and its times.
/// Never its secret: only the secret's SHA-256 is stored, beside the record.
public struct AccessToken: Sendable, Codable, Equatable {
    /// The public id (12 hexadecimal digits) that lists, revocations and the log name it by.
    public var id: String
    /// Who holds it: the actor of every event recorded with it.
    public var holder: Actor
    public var role: AccessRole
    public var createdAt: Timestamp
    /// When it stops being accepted; never when nil.
    public var expiresAt: Timestamp?
    /// When it was revoked; nil while it stands.
    public var revokedAt: Timestamp?

    public init(id: String, holder: Actor, role: AccessRole, createdAt: Timestamp, expiresAt: Timestamp? = nil, revokedAt: Timestamp? = nil) {
        self.id = id
        self.holder = holder
        self.role = role
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether the token is accepted at `time`: not revoked, and not expired.
    public func isActive(at time: Timestamp) -> Bool {
        revokedAt == nil && expiresAt.map { time < $0 } ?? true
    }

    enum CodingKeys: String, CodingKey {
        case id, holder, role, createdAt, expiresAt, revokedAt
    }

    /// The holder as `kind:id`, as the access events name it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let holder = try container.decode(String.self, forKey: .holder)
        guard let actor = Actor(holder) else {
            throw DecodingError.dataCorruptedError(forKey: .holder, in: container, debugDescription: "not kind:id: \(holder)")
        }
        self.init(
            id: try container.decode(String.self, forKey: .id), holder: actor, role: try container.decode(AccessRole.self, forKey: .role),
            createdAt: try container.decode(Timestamp.self, forKey: .createdAt),
            expiresAt: try container.decodeIfPresent(Timestamp.self, forKey: .expiresAt),
            revokedAt: try container.decodeIfPresent(Timestamp.self, forKey: .revokedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(holder.description, forKey: .holder)
        try container.encode(role, forKey: .role)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(expiresAt, forKey: .expiresAt)
        try container.encodeIfPresent(revokedAt, forKey: .revokedAt)
    }
}

/// A token just created, with its secret: the only time the secret is seen. Hand it to the holder;
/// the ledger cannot show it again.
public struct IssuedToken: Sendable {
    public var token: AccessToken
    /// `il_` and 256 random bits in base64url (43 characters).
    public var secret: String
}
