import IncidentImporters
public import LedgerModel
public import LedgerStore

/// A configured webhook receiver: where a tool delivers, and how its deliveries become events.
/// Never its secret: ``WebhookReceivers/add(kind:name:secret:incidentPrefix:createdAt:)`` shows that once.
public struct WebhookReceiver: Sendable, Hashable, Codable {
    /// The tool that delivers, which decides the route, the signature and the mapping.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// PagerDuty webhooks (v3), signed in `X-PagerDuty-Signature`.
        case pagerduty
        /// Statuspage incident webhooks, authenticated by the secret in the URL.
        case statuspage
        /// Catalog events (one, or JSON Lines), signed in `X-Incidents-Signature` with a timestamp.
        case generic

        /// The prefix of incident ids when none is given: `PD-` and `SP-`; the generic receiver's events name their incidents.
        public var defaultPrefix: String? {
            switch self {
            case .pagerduty: PagerDutyImporter.defaultPrefix
            case .statuspage: StatuspageImporter.defaultPrefix
            case .generic: nil
            }
        }
    }

    /// Names the receiver in its route (`/webhooks/<kind>/<name>`): 1 to 64 of a–z, 0–9, `.`, `_`, `-`.
    public var name: String
    public var kind: Kind
    /// Prepended to the tool's incident number or id to make the ledger's incident id; nil for generic.
    public var incidentPrefix: String?
    public var createdAt: Timestamp

    public init(name: String, kind: Kind, incidentPrefix: String?, createdAt: Timestamp) {
        self.name = name
        self.kind = kind
        self.incidentPrefix = incidentPrefix
        self.createdAt = createdAt
    }

    /// Who the receiver's events are recorded by: `tool:pagerduty`, `tool:statuspage`, or for a
    /// generic receiver `tool:<name>`.
    public var actor: Actor {
        switch kind {
        case .pagerduty: PagerDutyImporter.actor
        case .statuspage: Actor(kind: .tool, id: "statuspage")
        case .generic: Actor(kind: .tool, id: name)
        }
    }

    /// The events' source: the route they came through, `webhook:<kind>`.
    public var source: String { "webhook:\(kind.rawValue)" }

    /// The receiver's path under the server, with `{secret}` standing for a Statuspage receiver's secret.
    public var path: String {
        kind == .statuspage ? "/webhooks/statuspage/\(name)/{secret}" : "/webhooks/\(kind.rawValue)/\(name)"
    }

    /// Whether `name` may name a receiver.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }
}

/// A receiver just added, with its secret: the only time a generated secret is shown.
public struct AddedWebhookReceiver: Sendable {
    public var receiver: WebhookReceiver
    public var secret: String
    /// The secret was made here, not given.
    public var generated: Bool
}

/// A receiver as the settings table keeps it, under `webhook/receiver/<name>`: the configuration, and
/// the secret as the signature needs it. PagerDuty and generic receivers sign with HMAC, so their
/// secret is kept itself; a Statuspage receiver's secret is only compared, so only its SHA-256 is kept.
struct StoredReceiver: StoredSetting {
    static let what = "webhook receiver"

    var receiver: WebhookReceiver
    /// The HMAC key (PagerDuty, generic).
    var secret: String?
    /// The secret's SHA-256 in hexadecimal (Statuspage).
    var secretSHA256: String?

    static let keyPrefix = "webhook/receiver/"
    static func key(_ name: String) -> String { keyPrefix + name }

    init(receiver: WebhookReceiver, secret: String) {
        self.receiver = receiver
        if receiver.kind == .statuspage {
            secretSHA256 = TokenSecret.hash(secret)
        } else {
            self.secret = secret
        }
    }

    /// Receiver `key`, refused as damaged without its secret, with which it would accept what an empty key signs.
    static func read(key: String, bytes: [UInt8]) throws(LedgerError) -> StoredReceiver {
        let stored = try StoredReceiver(key: key, bytes: bytes)
        guard stored.receiver.kind == .statuspage ? stored.secretSHA256?.count == 64 : !(stored.secret ?? "").isEmpty else {
            throw LedgerError(.corrupt, "the webhook receiver stored under \(MessageText.quoted(key)) has no secret; remove it and add it again")
        }
        return stored
    }
}

/// The webhook receivers configured in a ledger, kept in its settings table beside the log, outside
/// the hash chain: add, list, remove, and find one for a delivery.
public struct WebhookReceivers: Sendable {
    let settings: Ledger

    public init(ledger: Ledger) {
        settings = ledger
    }

    /// What every secret made for a receiver starts with.
    public static let secretPrefix = "whsec_"

    /// Adds a receiver. `secret` is the one the tool was given (PagerDuty makes its own, so it must be
    /// given); without one, a new secret is made and returned, the only time it is seen.
    /// `incidentPrefix` defaults to the kind's.
    ///
    /// - Throws: ``ServiceError`` `receiver-exists` when the name is taken; `LedgerError` (invalid input)
    ///   for a name or prefix that cannot be used. Nothing is stored then.
    public func add(kind: WebhookReceiver.Kind, name: String, secret: String?, incidentPrefix: String?, createdAt: Timestamp) async throws -> AddedWebhookReceiver {
        guard WebhookReceiver.isValidName(name) else {
            throw LedgerError(.invalidInput, "\(MessageText.quoted(name)) cannot name a receiver: use 1 to 64 of a–z, 0–9, '.', '_' and '-'; nothing was stored")
        }
        if let secret, secret.utf8.count < 16 || secret.contains(where: { $0.isWhitespace || $0 == "/" }) {
            throw LedgerError(.invalidInput, "a receiver's secret must be at least 16 characters, without spaces or '/'; nothing was stored")
        }
        if kind == .pagerduty, secret == nil {
            throw LedgerError(.invalidInput, "PagerDuty makes the signing secret of a webhook subscription itself: give it as the secret; nothing was stored")
        }
        if kind == .generic, incidentPrefix != nil {
            throw LedgerError(.invalidInput, "a generic receiver records the incidents its events name, so it takes no incident prefix; nothing was stored")
        }
        let prefix = incidentPrefix ?? kind.defaultPrefix
        if let prefix, prefix.utf8.count > 64 || prefix.contains(where: { $0.isNewline || $0.isWhitespace }) {
            throw LedgerError(.invalidInput, "an incident prefix must be at most 64 characters without spaces, not \(MessageText.quoted(prefix)); nothing was stored")
        }
        guard try settings.setting(StoredReceiver.key(name)) == nil else {
            throw ServiceError(.receiverExists, "a webhook receiver named \(MessageText.quoted(name)) is configured already; remove it first, or choose another name")
        }
        let receiver = WebhookReceiver(name: name, kind: kind, incidentPrefix: prefix, createdAt: createdAt)
        let used = secret ?? TokenSecret.make(prefix: Self.secretPrefix)
        let stored = StoredReceiver(receiver: receiver, secret: used)
        try await settings.setSetting(StoredReceiver.key(name), try stored.encoded())
        return AddedWebhookReceiver(receiver: receiver, secret: used, generated: secret == nil)
    }

    /// Every receiver, by name; never a secret.
    public func list() throws -> [WebhookReceiver] {
        try settings.settings(withPrefix: StoredReceiver.keyPrefix).map { entry throws(LedgerError) in try StoredReceiver.read(key: entry.key, bytes: entry.value).receiver }
    }

    /// Removes receiver `name`: its deliveries are refused from now on. Returns it as it was.
    ///
    /// - Throws: ``ServiceError`` `no-such-receiver` when none has that name.
    @discardableResult
    public func remove(_ name: String) async throws -> WebhookReceiver {
        let stored = try self.stored(name, kind: nil)
        try await settings.setSetting(StoredReceiver.key(name), nil)
        return stored.receiver
    }

    /// Receiver `name`, of `kind` when given.
    func stored(_ name: String, kind: WebhookReceiver.Kind?) throws -> StoredReceiver {
        let key = StoredReceiver.key(name)
        guard WebhookReceiver.isValidName(name), let bytes = try settings.setting(key) else {
            throw ServiceError(.noSuchReceiver, "no webhook receiver named \(MessageText.quoted(name)) is configured — `incidents webhooks list` shows them")
        }
        let stored = try StoredReceiver.read(key: key, bytes: bytes)
        if let kind, stored.receiver.kind != kind {
            throw ServiceError(.noSuchReceiver, "no \(kind.rawValue) webhook receiver named \(MessageText.quoted(name)) is configured (it is a \(stored.receiver.kind.rawValue) receiver: \(stored.receiver.path))")
        }
        return stored
    }
}

extension LedgerService {
    /// The webhook receivers configured in this ledger.
    public var webhookReceivers: WebhookReceivers { WebhookReceivers(ledger: ledger) }
}
