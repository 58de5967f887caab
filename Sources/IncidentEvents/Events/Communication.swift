public import LedgerModel

/// A customer wrote in about the incident.
public struct CustomerMessageReceived: EventPayload {
    public static let type = "customer.message_received"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A customer wrote in. Starts the clock for time to first reply."

    public var messageId: String
    public var channel: MessageChannel
    public var customer: String
    public var tier: String?
    public var subject: String?
    public var threatensToLeave: Bool?

    public init(messageId: String, channel: MessageChannel, customer: String, tier: String? = nil, subject: String? = nil, threatensToLeave: Bool? = nil) {
        self.messageId = messageId
        self.channel = channel
        self.customer = customer
        self.tier = tier
        self.subject = subject
        self.threatensToLeave = threatensToLeave
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        messageId = try r.string("messageId", "The message's id, unique within the incident; replies refer to it.", maxLength: 200)
        channel = try r.value("channel", "The channel it came in on.")
        customer = try r.string("customer", "The customer account.", maxLength: 200)
        tier = try r.optionalString("tier", "The customer's tier, for example enterprise.", maxLength: 100)
        subject = try r.optionalString("subject", "A short subject; keep message bodies in the helpdesk.", maxLength: 500)
        threatensToLeave = try r.optionalBool("threatensToLeave", "The customer threatens to cancel: a reason to escalate to executives.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("messageId", messageId)
        w.set("channel", channel)
        w.set("customer", customer)
        w.set("tier", tier)
        w.set("subject", subject)
        w.set("threatensToLeave", threatensToLeave)
    }
    public static let examples = [
        CustomerMessageReceived(messageId: "m-1", channel: .email, customer: "acme-retail", tier: "enterprise", subject: "Payments failing for all our shoppers")
    ]
}

public struct CustomerReplySent: EventPayload {
    public static let type = "customer.reply_sent"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A reply went to a customer's message. It must answer a message recorded in the same incident."

    public var inReplyTo: String
    public var channel: MessageChannel
    public var customer: String

    public init(inReplyTo: String, channel: MessageChannel, customer: String) {
        self.inReplyTo = inReplyTo
        self.channel = channel
        self.customer = customer
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        inReplyTo = try r.string("inReplyTo", "The messageId answered.", maxLength: 200)
        channel = try r.value("channel", "The channel the reply went out on.")
        customer = try r.string("customer", "The customer account.", maxLength: 200)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("inReplyTo", inReplyTo)
        w.set("channel", channel)
        w.set("customer", customer)
    }
    public static let examples = [CustomerReplySent(inReplyTo: "m-1", channel: .email, customer: "acme-retail")]
}

/// A public status update, version 4: several channels, an audience, when it was really posted, and
/// the template it was made from.
///
/// Version 1 had a single `channel` and no audience; version 2 no `postedAt`; version 3 no
/// `templateId` and `templateVersion`. ``Catalog`` upcasts them on read.
public struct StatusUpdatePublished: EventPayload {
    public static let type = "status_update.published"
    public static let schemaVersion: UInt16 = 4
    public static let summary = "A status update was published to customers, with the time of the next update promised and any ETA."

    public var status: PublicStatus
    public var audience: Audience
    public var channels: [UpdateChannel]
    public var text: String
    public var nextUpdateBy: Timestamp?
    public var etaAt: Timestamp?
    /// When the update really went out, when that differs from the time it shows (`occurredAt`);
    /// nil when it went out at the time it shows.
    public var postedAt: Timestamp?
    /// The template of the library (``LedgerStream/templates``) the text was made from, and its version.
    public var templateId: String?
    public var templateVersion: Int64?

    public init(
        status: PublicStatus, audience: Audience = .public, channels: [UpdateChannel], text: String, nextUpdateBy: Timestamp? = nil,
        etaAt: Timestamp? = nil, postedAt: Timestamp? = nil, templateId: String? = nil, templateVersion: Int64? = nil
    ) {
        self.status = status
        self.audience = audience
        self.channels = channels
        self.text = text
        self.nextUpdateBy = nextUpdateBy
        self.etaAt = etaAt
        self.postedAt = postedAt
        self.templateId = templateId
        self.templateVersion = templateVersion
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        self = try Self.readVersion3Fields(&r)
        templateId = try r.optionalString("templateId", "The template of the library the text was made from (incidents update --template).", maxLength: 100)
        templateVersion = try r.optionalInteger("templateVersion", "The version of that template; required with templateId.", in: 1...Int64(Int32.max))
    }

    /// The fields version 3 has, which version 4 keeps as they were.
    static func readVersion3Fields(_ r: inout PayloadReader) throws(EventInputError) -> StatusUpdatePublished {
        var u = try Self.readVersion2Fields(&r)
        u.postedAt = try r.optionalTimestamp(
            "postedAt",
            "When the update really went out, when that differs from the time it shows (occurredAt): a source that back-dates its posts (Statuspage's display_at) keeps both. Time to first public update is measured to this time.")
        return u
    }

    public func validate() throws(EventInputError) {
        guard (templateId == nil) == (templateVersion == nil) else {
            throw EventInputError(field: templateId == nil ? "payload.templateId" : "payload.templateVersion", reason: "templateId and templateVersion go together: give both or neither")
        }
    }

    /// Version 3 when no template is named: updates stay what earlier builds wrote.
    public var writtenSchemaVersion: UInt16 { templateId == nil ? 3 : Self.schemaVersion }

    /// The fields version 2 has, which version 3 keeps as they were.
    static func readVersion2Fields(_ r: inout PayloadReader) throws(EventInputError) -> StatusUpdatePublished {
        var u = StatusUpdatePublished(status: .investigating, channels: [], text: "")
        u.status = try r.value("status", "The status announced.")
        u.audience = try r.value("audience", "Who it is for.")
        u.channels = try r.values("channels", "Every channel it was published on.", minItems: 1)
        u.text = try r.string("text", "The text as published.", maxLength: 10_000)
        u.nextUpdateBy = try r.optionalTimestamp("nextUpdateBy", "The time of the next update promised; must not be before the update itself.")
        u.etaAt = try r.optionalTimestamp("etaAt", "The resolution time promised, if any.")
        return u
    }

    public func write(to w: inout PayloadWriter) {
        w.set("status", status)
        w.set("audience", audience)
        w.set("channels", channels)
        w.set("text", text)
        w.set("nextUpdateBy", nextUpdateBy)
        w.set("etaAt", etaAt)
        w.set("postedAt", postedAt)
        w.set("templateId", templateId)
        w.set("templateVersion", templateVersion)
    }
    public static let examples = [
        StatusUpdatePublished(
            status: .investigating, channels: [.statusPage, .email],
            text: "We are investigating errors when paying for orders in Europe. Next update by 23:50 UTC.",
            nextUpdateBy: exampleTime("2026-03-14T23:50:00Z")),
        StatusUpdatePublished(
            status: .resolved, channels: [.statusPage],
            text: "This incident has been resolved.", postedAt: exampleTime("2026-03-17T09:12:00Z")),
        StatusUpdatePublished(
            status: .identified, channels: [.socialMedia],
            text: "We found the cause of failed payments in Europe and are fixing it. Next update by 00:20 UTC.",
            nextUpdateBy: exampleTime("2026-03-15T00:20:00Z"), templateId: "identified-en", templateVersion: 2),
    ]

    /// The time the update went out: `postedAt`, else the time it shows.
    public func postedTime(shownAt occurredAt: Timestamp) -> Timestamp { postedAt ?? occurredAt }

    /// Version 3 → 4: version 4 only adds the optional `templateId` and `templateVersion`, so a version 3 payload reads as it stands.
    static func upcastFromVersion3(_ payload: [String: JSONValue]) -> [String: JSONValue] { payload }

    /// The version 3 fields, for the version 3 schema.
    struct Version3: EventPayload {
        static let type = StatusUpdatePublished.type
        static let schemaVersion: UInt16 = 3
        static let summary = "A status update was published to customers, with when it really went out (superseded by version 4)."
        var current: StatusUpdatePublished

        init(_ current: StatusUpdatePublished) { self.current = current }
        init(from r: inout PayloadReader) throws(EventInputError) { current = try StatusUpdatePublished.readVersion3Fields(&r) }
        func write(to w: inout PayloadWriter) {
            var version3 = current
            version3.templateId = nil
            version3.templateVersion = nil
            version3.write(to: &w)
        }
        static let examples = StatusUpdatePublished.examples.prefix(2).map(Version3.init)
    }

    /// Version 2 → 3: version 3 only adds the optional `postedAt`, so a version 2 payload reads as it stands.
    static func upcastFromVersion2(_ payload: [String: JSONValue]) -> [String: JSONValue] { payload }

    /// The version 2 fields, for the version 2 schema.
    struct Version2: EventPayload {
        static let type = StatusUpdatePublished.type
        static let schemaVersion: UInt16 = 2
        static let summary = "A status update was published to customers, on several channels, for an audience (superseded by version 3)."
        var current: StatusUpdatePublished

        init(_ current: StatusUpdatePublished) { self.current = current }
        init(from r: inout PayloadReader) throws(EventInputError) { current = try StatusUpdatePublished.readVersion2Fields(&r) }
        func write(to w: inout PayloadWriter) {
            var version2 = current
            version2.postedAt = nil
            version2.templateId = nil
            version2.templateVersion = nil
            version2.write(to: &w)
        }
        static let examples = [Version2(StatusUpdatePublished.examples[0])]
    }

    /// Version 1 → 2: `channel` becomes `channels: [channel]`, and the audience is public.
    static func upcastFromVersion1(_ payload: [String: JSONValue]) -> [String: JSONValue] {
        var upcast = payload
        if let channel = upcast.removeValue(forKey: "channel") { upcast["channels"] = .array([channel]) }
        if upcast["audience"] == nil { upcast["audience"] = .string(Audience.public.rawValue) }
        return upcast
    }

    /// The version 1 fields, for the version 1 schema.
    struct Version1: EventPayload {
        static let type = StatusUpdatePublished.type
        static let schemaVersion: UInt16 = 1
        static let summary = "A status update was published on one channel (superseded by version 2)."
        var status: PublicStatus
        var channel: UpdateChannel
        var text: String
        var nextUpdateBy: Timestamp?

        init(status: PublicStatus, channel: UpdateChannel, text: String, nextUpdateBy: Timestamp?) {
            self.status = status
            self.channel = channel
            self.text = text
            self.nextUpdateBy = nextUpdateBy
        }
        init(from r: inout PayloadReader) throws(EventInputError) {
            status = try r.value("status", "The status announced.")
            channel = try r.value("channel", "The channel it was published on.")
            text = try r.string("text", "The text as published.", maxLength: 10_000)
            nextUpdateBy = try r.optionalTimestamp("nextUpdateBy", "The time of the next update promised.")
        }
        func write(to w: inout PayloadWriter) {
            w.set("status", status)
            w.set("channel", channel)
            w.set("text", text)
            w.set("nextUpdateBy", nextUpdateBy)
        }
        static let examples = [Version1(status: .identified, channel: .statusPage, text: "We found the cause.", nextUpdateBy: nil)]
    }
}

public struct InternalNoteAdded: EventPayload {
    public static let type = "incident.note_added"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "An internal note: not shown to customers."

    public var text: String

    public init(text: String) { self.text = text }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        text = try r.string("text", "The note.", maxLength: 10_000)
    }
    public func write(to w: inout PayloadWriter) { w.set("text", text) }
    public static let examples = [InternalNoteAdded(text: "Rolling back gateway pool config; ETA 15 minutes")]
}

public struct StakeholdersNotified: EventPayload {
    public static let type = "stakeholders.notified"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "Internal stakeholders were told: account managers, customer success, executives."

    public var groups: [StakeholderGroup]
    public var people: [String]
    public var note: String?

    public init(groups: [StakeholderGroup], people: [String] = [], note: String? = nil) {
        self.groups = groups
        self.people = people
        self.note = note
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        groups = try r.values("groups", "The groups told.", minItems: 1)
        people = try r.strings("people", "The people told, if named.")
        note = try r.optionalString("note", "What they were told.", maxLength: 4000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("groups", groups)
        w.set("people", people)
        w.set("note", note)
    }
    public static let examples = [StakeholdersNotified(groups: [.accountManagers, .executives], people: ["cto@example.com"])]
}
