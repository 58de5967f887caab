import Foundation
public import IncidentEvents
public import LedgerModel
import LedgerStore

/// A token as the settings table keeps it, under ``LedgerService/tokenKeyPrefix`` and the
/// secret's SHA-256: the record, and the hash again for the constant-time comparison.
struct StoredToken: StoredSetting {
    static let what = "access token"

    var token: AccessToken
    var secretSHA256: String

    static func key(secretSHA256: String) -> String { LedgerService.tokenKeyPrefix + secretSHA256 }

    var key: String { Self.key(secretSHA256: secretSHA256) }

    init(token: AccessToken, secretSHA256: String) {
        self.token = token
        self.secretSHA256 = secretSHA256
    }
}

extension LedgerService {
    /// Where the tokens are kept in the ledger's settings: this prefix, then the secret's SHA-256 in hexadecimal.
    static let tokenKeyPrefix = "access/token/"

    /// Issues a token: a new secret (256 random bits) for `holder` with `role`, of which only the
    /// SHA-256 is stored (in the ledger's settings, outside the chain), and `access.granted` in the
    /// chain, recorded by the defaults' actor, naming the token by its public id only.
    ///
    /// The grant is recorded first, then the token stored: a failure between leaves a grant in the
    /// log whose token was never accepted, never a token the log does not show.
    ///
    /// - Parameter source: the channel the request came through (`cli`, `api`).
    /// - Throws: ``ServiceError`` (`no-actor`) when the defaults name nobody to record the grant;
    ///   ``LedgerError`` when the grant is refused (a holder that is not a valid actor, an expiry
    ///   not after now) or cannot be written. Nothing is stored then.
    public func createToken(holder: Actor, role: AccessRole, expiresAt: Timestamp?, source: String = "cli") async throws -> IssuedToken {
        guard let actor = defaults.actor else { throw ServiceError(.noActor, "who issues the token is not known") }
        guard ledger.isWritable else { throw LedgerError.notWritable(ledger.path) }
        let holder = Actor(kind: holder.kind, id: EnvelopeRules.normalized(holder.id))
        let granted = try accessFacts().accessGrants
        let secret = TokenSecret.make()
        let now = defaults.clock()
        let token = AccessToken(id: TokenSecret.makeID(avoiding: Set(granted.keys)), holder: holder, role: role, createdAt: now, expiresAt: expiresAt)
        let grant = AccessGranted(tokenId: token.id, holder: holder.description, role: role, expiresAt: expiresAt)
        try await recordAccess(.accessGranted(grant), at: now, by: actor, source: source)
        let stored = StoredToken(token: token, secretSHA256: TokenSecret.hash(secret))
        try await ledger.setSetting(stored.key, try stored.encoded())
        return IssuedToken(token: token, secret: secret)
    }

    /// Every token issued, revoked and expired ones included, oldest first; never a secret.
    public func tokens() throws -> [AccessToken] {
        try storedTokens().map(\.token).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Revokes the token with public id `id`: it is no longer accepted, and `access.revoked` is
    /// recorded in the chain by the defaults' actor. Returns the token as revoked.
    ///
    /// The token is marked revoked first, then the revocation recorded: a failure between leaves a
    /// token refused whose revocation the log lacks, and revoking it again records it. A token the
    /// log shows revoked but the settings do not (settings restored from an older backup) is marked,
    /// and nothing recorded again.
    ///
    /// - Throws: ``ServiceError`` `no-such-token` when no token has that id, `already-revoked` when
    ///   its revocation is recorded already, `no-actor` when the defaults name nobody.
    public func revokeToken(id: String, source: String = "cli") async throws -> AccessToken {
        guard let actor = defaults.actor else { throw ServiceError(.noActor, "who revokes the token is not known") }
        guard ledger.isWritable else { throw LedgerError.notWritable(ledger.path) }
        guard var stored = try storedTokens().first(where: { $0.token.id == id }) else {
            throw ServiceError(.noSuchToken, "no token has the id \(MessageText.quoted(id))")
        }
        let recorded = try accessFacts().revokedTokens.contains(id)
        if let revokedAt = stored.token.revokedAt, recorded {
            throw ServiceError(.alreadyRevoked, "token \(id) was already revoked at \(revokedAt.rfc3339)")
        }
        let now = defaults.clock()
        if stored.token.revokedAt == nil {
            stored.token.revokedAt = now
            try await ledger.setSetting(stored.key, try stored.encoded())
        }
        let token = stored.token
        if !recorded {
            let revocation = AccessRevoked(tokenId: id, holder: token.holder.description, role: token.role)
            try await recordAccess(.accessRevoked(revocation), at: now, by: actor, source: source)
        }
        return token
    }

    /// The token whose secret is `secret`, if it is accepted now: looked up by the secret's SHA-256,
    /// the stored hash compared in constant time.
    ///
    /// - Throws: ``ServiceError`` `unauthenticated` when no token has this secret, or it was revoked,
    ///   or it expired; the message says which, and never repeats the secret.
    public func authenticate(secret: String) throws -> AccessToken {
        let hash = TokenSecret.hash(secret)
        let key = StoredToken.key(secretSHA256: hash)
        guard let bytes = try ledger.setting(key), case let stored = try StoredToken(key: key, bytes: bytes),
            TokenSecret.constantTimeEqual(stored.secretSHA256, hash)
        else {
            throw ServiceError(.unauthenticated, "no such token")
        }
        let token = stored.token
        if let revokedAt = token.revokedAt {
            throw ServiceError(.unauthenticated, "the token was revoked at \(revokedAt.rfc3339)")
        }
        if let expiresAt = token.expiresAt, expiresAt <= defaults.clock() {
            throw ServiceError(.unauthenticated, "the token expired at \(expiresAt.rfc3339)")
        }
        return token
    }

    private func storedTokens() throws -> [StoredToken] {
        try ledger.settings(withPrefix: Self.tokenKeyPrefix).map { entry throws(LedgerError) in try StoredToken(key: entry.key, bytes: entry.value) }
    }

    /// The grants and revocations recorded in the access stream.
    private func accessFacts() throws -> IncidentFacts {
        try ledger.read { reader in try EventRecorder.facts(of: LedgerStream.access, in: reader).0 }
    }

    /// Records one access event in the access stream, through the catalog's rules.
    private func recordAccess(_ event: IncidentEvent, at time: Timestamp, by actor: Actor, source: String) async throws {
        _ = try await recordInOwnStream(event, at: time, by: actor, source: source)
    }
}
