public import LedgerModel

public struct PostmortemStarted: EventPayload {
    public static let type = "postmortem.started"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The postmortem began."

    public var owner: String
    public var dueAt: Timestamp?

    public init(owner: String, dueAt: Timestamp? = nil) {
        self.owner = owner
        self.dueAt = dueAt
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        owner = try r.string("owner", "Who runs it.")
        dueAt = try r.optionalTimestamp("dueAt", "When it should be published.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("owner", owner)
        w.set("dueAt", dueAt)
    }
    public static let examples = [PostmortemStarted(owner: "dana@example.com", dueAt: exampleTime("2026-03-21T17:00:00Z"))]
}

public struct RootCauseRecorded: EventPayload {
    public static let type = "postmortem.root_cause_recorded"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The root cause, as the postmortem found it."

    public var summary: String
    public var category: RootCauseCategory

    public init(summary: String, category: RootCauseCategory) {
        self.summary = summary
        self.category = category
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        summary = try r.string("summary", "The root cause.", maxLength: 10_000)
        category = try r.value("category", "Its kind, for the quarterly review.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("summary", summary)
        w.set("category", category)
    }
    public static let examples = [RootCauseRecorded(summary: "A pool-size change was deployed without canary", category: .configuration)]
}

public struct ContributingFactorRecorded: EventPayload {
    public static let type = "postmortem.contributing_factor_recorded"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A factor that made the incident worse or longer."

    public var summary: String

    public init(summary: String) { self.summary = summary }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        summary = try r.string("summary", "The factor.", maxLength: 10_000)
    }
    public func write(to w: inout PayloadWriter) { w.set("summary", summary) }
    public static let examples = [ContributingFactorRecorded(summary: "The alert fired to a muted channel on Saturday night")]
}

public struct ActionItemOpened: EventPayload {
    public static let type = "postmortem.action_item_opened"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A follow-up action with an owner and a due date."

    public var actionItemId: String
    public var title: String
    public var owner: String
    public var dueAt: Timestamp

    public init(actionItemId: String, title: String, owner: String, dueAt: Timestamp) {
        self.actionItemId = actionItemId
        self.title = title
        self.owner = owner
        self.dueAt = dueAt
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        actionItemId = try r.string("actionItemId", "The item's id, unique within the incident.", maxLength: 200)
        title = try r.string("title", "What is to be done.", maxLength: 1000)
        owner = try r.string("owner", "Who does it.")
        dueAt = try r.timestamp("dueAt", "When it is due.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("actionItemId", actionItemId)
        w.set("title", title)
        w.set("owner", owner)
        w.set("dueAt", dueAt)
    }
    public static let examples = [
        ActionItemOpened(actionItemId: "ai-1", title: "Canary all gateway config changes", owner: "platform@example.com", dueAt: exampleTime("2026-04-15T17:00:00Z"))
    ]
}

public struct ActionItemCompleted: EventPayload {
    public static let type = "postmortem.action_item_completed"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A follow-up action was done."

    public var actionItemId: String
    public var note: String?

    public init(actionItemId: String, note: String? = nil) {
        self.actionItemId = actionItemId
        self.note = note
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        actionItemId = try r.string("actionItemId", "The item.", maxLength: 200)
        note = try r.optionalString("note", "How it was done.", maxLength: 4000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("actionItemId", actionItemId)
        w.set("note", note)
    }
    public static let examples = [ActionItemCompleted(actionItemId: "ai-1", note: "Canary stage added to the deploy pipeline")]
}

public struct PostmortemPublished: EventPayload {
    public static let type = "postmortem.published"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The postmortem was published."

    public var documentUrl: String?
    public var summary: String?

    public init(documentUrl: String? = nil, summary: String? = nil) {
        self.documentUrl = documentUrl
        self.summary = summary
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        documentUrl = try r.optionalString("documentUrl", "Where the document is.", maxLength: 2000)
        summary = try r.optionalString("summary", "Its summary.", maxLength: 10_000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("documentUrl", documentUrl)
        w.set("summary", summary)
    }
    public static let examples = [PostmortemPublished(documentUrl: "https://wiki.example.com/pm/INC-2026-0042")]
}

/// Under which of the postmortem's headings a finding of the review stands.
public enum PostmortemFindingKind: String, PayloadEnum {
    case wentWell = "went_well"
    case couldBeBetter = "could_be_better"
    case gotLucky = "got_lucky"
}

public struct PostmortemFindingRecorded: EventPayload {
    public static let type = "postmortem.finding_recorded"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A finding of the review: what went well, what could be better, or where the response got lucky."

    public var kind: PostmortemFindingKind
    public var text: String
    public var author: String?

    public init(kind: PostmortemFindingKind, text: String, author: String? = nil) {
        self.kind = kind
        self.text = text
        self.author = author
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        kind = try r.value("kind", "The heading it stands under: went_well, could_be_better or got_lucky.")
        text = try r.string("text", "The finding.", maxLength: 10_000)
        author = try r.optionalString("author", "Who raised it in the review, when not the one recording it (the event's actor).")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("kind", kind)
        w.set("text", text)
        w.set("author", author)
    }
    public static let examples = [
        PostmortemFindingRecorded(kind: .gotLucky, text: "The bad config reached one region only because the deploy ran at night", author: "dana@example.com")
    ]
}
