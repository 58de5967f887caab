public import IncidentEvents
public import LedgerModel

/// Something an incident needs done by a deadline: what `incidents due`, `GET /v1/due` and the
/// incident pages' "due now" list.
///
/// An item is listed from `window` before its deadline; it is overdue once the deadline has passed
/// (at the deadline itself it is due, not yet overdue).
public struct DueItem: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The next public update the last one promised.
        case update
        /// The first reply to a customer message, within the target of the customer's tier.
        case firstReply = "first-reply"
        /// The acknowledgement of an escalation, within the policy's minutes.
        case escalationAcknowledgement = "escalation-acknowledgement"
        /// A satisfaction survey to the customers who wrote in, within the policy's hours of the resolution.
        case survey
        /// The start of the postmortem, within the policy's days of the resolution for the severity.
        case postmortem
        /// A public update saying the incident is resolved, to customers who were told of it, within
        /// the policy's minutes of the resolution.
        case resolutionAnnouncement = "resolution-announcement"
    }

    public var incident: String
    public var kind: Kind
    /// The deadline.
    public var dueAt: Timestamp
    /// When its clock started: the update that made the promise, the message's arrival, the
    /// escalation's raising, the resolution.
    public var since: Timestamp?
    /// Whom it is about: the customer, the escalation's level; nil for an update, a survey, a postmortem.
    public var subject: String?
    /// The customer's tier, for a first reply.
    public var tier: String?
    /// The id to answer: the message to reply to, the escalation to acknowledge.
    public var reference: String?
    /// Whether the deadline has passed.
    public var overdue: Bool

    public init(
        incident: String, kind: Kind, dueAt: Timestamp, since: Timestamp? = nil, subject: String? = nil, tier: String? = nil,
        reference: String? = nil, overdue: Bool
    ) {
        self.incident = incident
        self.kind = kind
        self.dueAt = dueAt
        self.since = since
        self.subject = subject
        self.tier = tier
        self.reference = reference
        self.overdue = overdue
    }

    /// Most urgent first: by deadline, then incident and kind, so that equal deadlines keep one order.
    public static func urgency(_ a: DueItem, _ b: DueItem) -> Bool {
        (a.dueAt, a.incident, a.kind.rawValue, a.reference ?? "") < (b.dueAt, b.incident, b.kind.rawValue, b.reference ?? "")
    }
}

extension IncidentSummary {
    /// What the incident needs done by `now + window`, most urgent first, with the deadlines of `responses`
    /// (window: by default the policy's `dueWindowMinutes`).
    ///
    /// While the incident is open: the promised update, first replies, escalation acknowledgements.
    /// Once it is resolved and until it is closed: the public announcement of the resolution (when
    /// customers were told of the incident and its last public update says otherwise), the survey
    /// (when customers wrote in and none was sent) and the postmortem (when its severity needs one
    /// and none was started). Nothing once it
    /// is closed or merged.
    public func due(at now: Timestamp, responses: PlaybookPolicy.Responses, window: Int64? = nil) -> [DueItem] {
        let horizon = now.microsecondsSinceEpoch + (window ?? responses.dueWindow)
        var items = [DueItem]()
        func add(_ kind: DueItem.Kind, by deadline: Int64, since: Timestamp?, subject: String? = nil, tier: String? = nil, reference: String? = nil) {
            guard deadline <= horizon else { return }
            let dueAt = Timestamp(microsecondsSinceEpoch: deadline)
            items.append(
                DueItem(
                    incident: incident, kind: kind, dueAt: dueAt, since: since, subject: subject, tier: tier, reference: reference, overdue: dueAt < now))
        }
        switch phase {
        case .closed:
            return []
        case .resolved:
            guard let resolvedAt else { return [] }
            let resolved = resolvedAt.microsecondsSinceEpoch
            // Customers who were told of the incident hear that it is over: its last public word must be that it is resolved.
            if let lastStatus = lastPublicStatus, ![.resolved, .postmortem, .completed].contains(lastStatus) {
                add(.resolutionAnnouncement, by: resolved + responses.resolutionAnnouncedWithin, since: resolvedAt)
            }
            if !customers.isEmpty, surveys.isEmpty {
                add(.survey, by: resolved + responses.surveyWithin, since: resolvedAt)
            }
            if postmortem == .none, let severity, let within = responses.postmortemDeadline(for: severity) {
                add(.postmortem, by: resolved + within, since: resolvedAt)
            }
        case .investigating, .identified, .mitigated, .monitoring:
            if let promised = nextUpdatePromisedBy {
                add(.update, by: promised.microsecondsSinceEpoch, since: lastPublicUpdateAt)
            }
            for message in awaitingReply {
                add(
                    .firstReply, by: message.receivedAt.microsecondsSinceEpoch + responses.firstReply(forTier: message.tier), since: message.receivedAt,
                    subject: message.customer, tier: message.tier, reference: message.messageId)
            }
            for escalation in openEscalations where !escalation.acknowledged {
                add(
                    .escalationAcknowledgement, by: escalation.raisedAt.microsecondsSinceEpoch + responses.escalationAcknowledge,
                    since: escalation.raisedAt, subject: escalation.level.rawValue, reference: escalation.id)
            }
        }
        return items.sorted(by: DueItem.urgency)
    }
}
